import type { CoSellStatus, Member, MigrationStatus, Offer, PartnerAccount } from '../../domain/model';

export const DEMO_PARTNER_ACCOUNT_ID = 'demo-contoso';

export const DEMO_ACCOUNT: PartnerAccount = {
  id: DEMO_PARTNER_ACCOUNT_ID,
  name: 'Contoso Cloud Solutions',
  partnerIds: ['6104213', '6104588'],
  cloudPartnerProgramActive: true,
  marketplaceEnrolled: true,
  tenantIds: [],
};

const demoMember = (member: Omit<Member, 'partnerAccountId'>): Member => ({
  ...member,
  partnerAccountId: DEMO_PARTNER_ACCOUNT_ID,
});

export const DEMO_MEMBERS: readonly Member[] = (
  [
    { userId: 'demo-owner', displayName: 'Morgan Lee', role: 'owner' },
    { userId: 'demo-manager', displayName: 'Jordan Park', role: 'manager' },
    { userId: 'demo-developer', displayName: 'Sam Choi', role: 'developer' },
    { userId: 'demo-marketer', displayName: 'Riley Han', role: 'marketer' },
    { userId: 'demo-business', displayName: 'Taylor Yoon', role: 'businessContributor' },
    { userId: 'demo-finance', displayName: 'Casey Cho', role: 'financialContributor' },
  ] satisfies Omit<Member, 'partnerAccountId'>[]
).map(demoMember);

export interface DemoSolution {
  readonly id: string;
  readonly partnerId: string;
  readonly name: string;
  readonly coSellStatus: CoSellStatus;
  readonly openReferrals: number;
  readonly collateralDocuments: number;
  readonly status: MigrationStatus;
  /** How long ago the solution reached its status. */
  readonly daysAgo: number;
  /** For a solution awaiting a new offer: the demo offer it waits for. */
  readonly awaitedOfferId?: string;
}

export const DEMO_SOLUTIONS: readonly DemoSolution[] = [
  {
    id: 'OCP-1042173',
    partnerId: '6104213',
    name: 'Contoso Fleet Telematics',
    coSellStatus: 'coSellReady',
    openReferrals: 4,
    collateralDocuments: 6,
    status: 'pendingAction',
    daysAgo: 40,
  },
  {
    id: 'OCP-1042188',
    partnerId: '6104213',
    name: 'Contoso Secure Gateway for SAP',
    coSellStatus: 'incentiveEligible',
    openReferrals: 11,
    collateralDocuments: 9,
    status: 'pendingAction',
    daysAgo: 40,
  },
  {
    id: 'OCP-1042201',
    partnerId: '6104213',
    name: 'Contoso Retail Insights',
    coSellStatus: 'coSellReady',
    openReferrals: 2,
    collateralDocuments: 5,
    status: 'pendingAction',
    daysAgo: 38,
  },
  {
    id: 'OCP-1042219',
    partnerId: '6104588',
    name: 'Contoso Teams Approvals',
    coSellStatus: 'coSellReady',
    openReferrals: 3,
    collateralDocuments: 4,
    status: 'pendingAction',
    daysAgo: 38,
  },
  {
    id: 'OCP-1042236',
    partnerId: '6104588',
    name: 'Contoso Clinical Scheduling',
    coSellStatus: 'notReady',
    openReferrals: 0,
    collateralDocuments: 2,
    status: 'pendingAction',
    daysAgo: 35,
  },
  {
    id: 'OCP-1042247',
    partnerId: '6104213',
    name: 'Contoso Predictive Maintenance',
    coSellStatus: 'incentiveEligible',
    openReferrals: 7,
    collateralDocuments: 8,
    status: 'pendingAction',
    daysAgo: 33,
  },
  {
    id: 'OCP-1042262',
    partnerId: '6104588',
    name: 'Contoso Contract Intelligence',
    coSellStatus: 'coSellReady',
    openReferrals: 1,
    collateralDocuments: 3,
    status: 'pendingAction',
    daysAgo: 30,
  },
  {
    id: 'OCP-1042270',
    partnerId: '6104213',
    name: 'Contoso Edge Vision',
    coSellStatus: 'notReady',
    openReferrals: 0,
    collateralDocuments: 1,
    status: 'pendingAction',
    daysAgo: 30,
  },
  {
    id: 'OCP-1042285',
    partnerId: '6104588',
    name: 'Contoso Cloud Migration Assessment',
    coSellStatus: 'coSellReady',
    openReferrals: 5,
    collateralDocuments: 7,
    status: 'pendingAction',
    daysAgo: 28,
  },
  {
    id: 'OCP-1042291',
    partnerId: '6104213',
    name: 'Contoso Energy Analytics',
    coSellStatus: 'incentiveEligible',
    openReferrals: 6,
    collateralDocuments: 5,
    status: 'pendingAction',
    daysAgo: 25,
  },
  {
    id: 'OCP-1041950',
    partnerId: '6104588',
    name: 'Contoso Field Service Companion',
    coSellStatus: 'coSellReady',
    openReferrals: 2,
    collateralDocuments: 4,
    status: 'awaitingNewOffer',
    daysAgo: 12,
    awaitedOfferId: 'contoso.field-service-companion',
  },
  {
    id: 'OCP-1041962',
    partnerId: '6104213',
    name: 'Contoso Analytics Hub Classic',
    coSellStatus: 'incentiveEligible',
    openReferrals: 9,
    collateralDocuments: 10,
    status: 'mergeRequested',
    daysAgo: 6,
  },
  {
    id: 'OCP-1041977',
    partnerId: '6104213',
    name: 'Contoso CRM Connector',
    coSellStatus: 'coSellReady',
    openReferrals: 3,
    collateralDocuments: 5,
    status: 'merged',
    daysAgo: 60,
  },
  {
    id: 'OCP-1041983',
    partnerId: '6104588',
    name: 'Contoso Legacy Fax Gateway',
    coSellStatus: 'notReady',
    openReferrals: 0,
    collateralDocuments: 1,
    status: 'discarded',
    daysAgo: 45,
  },
  {
    id: 'OCP-1041990',
    partnerId: '6104588',
    name: 'Contoso Managed SOC',
    coSellStatus: 'coSellReady',
    openReferrals: 2,
    collateralDocuments: 3,
    status: 'migratedAsDraft',
    daysAgo: 2020,
  },
];

const offer = (fields: Omit<Offer, 'id' | 'partnerAccountId' | 'publisherId'>): Offer => ({
  ...fields,
  id: `contoso.${fields.offerId}`,
  partnerAccountId: DEMO_PARTNER_ACCOUNT_ID,
  publisherId: 'contoso',
});

export const DEMO_OFFERS: readonly Offer[] = [
  offer({
    offerId: 'crm-connect',
    name: 'Contoso CRM Connect',
    type: 'saas',
    storefront: 'appSource',
    publishingState: 'live',
    listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect',
  }),
  offer({
    offerId: 'analytics-hub',
    name: 'Contoso Analytics Hub',
    type: 'powerBiApp',
    storefront: 'appSource',
    publishingState: 'live',
    listingUrl: 'https://appsource.microsoft.com/en-us/product/power-bi/contoso.analytics-hub',
  }),
  offer({
    offerId: 'teams-approvals',
    name: 'Contoso Approvals for Teams',
    type: 'microsoft365',
    storefront: 'appSource',
    publishingState: 'live',
    listingUrl: 'https://appsource.microsoft.com/en-us/product/office/WA200004567',
  }),
  offer({
    offerId: 'secure-gateway',
    name: 'Contoso Secure Gateway',
    type: 'azureApplication',
    storefront: 'azureMarketplace',
    publishingState: 'live',
    listingUrl: 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.secure-gateway',
  }),
  offer({
    offerId: 'edge-vision-module',
    name: 'Contoso Edge Vision Module',
    type: 'iotEdgeModule',
    storefront: 'azureMarketplace',
    publishingState: 'live',
    listingUrl: 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.edge-vision-module',
  }),
  offer({
    offerId: 'migration-assessment',
    name: 'Contoso Cloud Migration Assessment: 3-Week Assessment',
    type: 'consultingService',
    storefront: 'azureMarketplace',
    publishingState: 'live',
    listingUrl: 'https://azuremarketplace.microsoft.com/en-us/marketplace/consulting-services/contoso.migration-assessment',
  }),
  offer({
    offerId: 'field-service-companion',
    name: 'Contoso Field Service Companion',
    type: 'dynamics365Dataverse',
    storefront: 'appSource',
    publishingState: 'inCertification',
  }),
  offer({
    offerId: 'energy-analytics',
    name: 'Contoso Energy Analytics',
    type: 'saas',
    storefront: 'azureMarketplace',
    publishingState: 'previewReady',
  }),
  offer({
    offerId: 'managed-soc',
    name: 'Contoso Managed SOC',
    type: 'managedService',
    storefront: 'azureMarketplace',
    publishingState: 'draft',
  }),
];

/** The request behind the demo solution that is merge requested; old enough to be overdue. */
export const DEMO_SUPPORT_REQUEST = {
  id: 'MR-DEMO-00001',
  solutionId: 'OCP-1041962',
  offerId: 'contoso.analytics-hub',
  requestedBy: 'demo-owner',
} as const;
