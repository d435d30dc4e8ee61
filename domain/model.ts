// The migration domain's vocabulary. Plain data: no behaviour, no framework types.

export const PARTNER_ROLES = [
  'owner',
  'manager',
  'developer',
  'businessContributor',
  'financialContributor',
  'marketer',
] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

export interface PartnerAccount {
  readonly id: string;
  readonly name: string;
  /** PartnerIDs (formerly MPN IDs) whose OCP GTM solutions belong to this account. */
  readonly partnerIds: readonly string[];
  readonly cloudPartnerProgramActive: boolean;
  readonly marketplaceEnrolled: boolean;
  /** The Entra tenants whose users belong to the account; empty when not known. */
  readonly tenantIds: readonly string[];
}

export interface Member {
  readonly partnerAccountId: string;
  /** The Bot Framework channel user id. */
  readonly userId: string;
  readonly displayName: string;
  readonly role: PartnerRole;
  readonly tenantId?: string;
  readonly aadObjectId?: string;
  readonly userPrincipalName?: string;
}

/** Who is asking, as far as a channel can tell us. */
export interface UserIdentity {
  readonly userId: string;
  readonly name?: string;
  readonly tenantId?: string;
  readonly aadObjectId?: string;
  readonly userPrincipalName?: string;
}

export interface Actor {
  readonly member: Member;
  readonly account: PartnerAccount;
}

export const CO_SELL_STATUSES = ['notReady', 'coSellReady', 'incentiveEligible'] as const;
export type CoSellStatus = (typeof CO_SELL_STATUSES)[number];

export const MIGRATION_STATUSES = [
  'pendingAction',
  'awaitingNewOffer',
  'mergeRequested',
  'merged',
  'discarded',
  'migratedAsDraft',
] as const;
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

/** What a merge carries over from OCP GTM into the marketplace offer. */
export interface CarriedOver {
  readonly openReferrals: number;
  readonly collateralDocuments: number;
}

export interface Solution {
  /** The OCP solution ID. */
  readonly id: string;
  readonly partnerAccountId: string;
  readonly partnerId: string;
  readonly name: string;
  readonly coSellStatus: CoSellStatus;
  readonly carriedOver: CarriedOver;
  readonly status: MigrationStatus;
  readonly statusChangedAt: Date;
  /** Incremented on every status change; the store refuses a change made against an older version. */
  readonly version: number;
  /** The open or latest merge request, while the solution is merge requested. */
  readonly mergeRequest?: MergeRequestSummary;
  /** While it awaits a new offer: the offer it waits for, when someone named it. */
  readonly awaitedOffer?: AwaitedOffer;
}

/**
 * The new offer a solution waits for, as a user named it: one of the partner's offers that is not
 * live yet (its id and name), or only the name of an offer Partner Center does not have yet.
 */
export interface AwaitedOffer {
  readonly offerId?: string;
  readonly name: string;
}

/** What a page of the solution list shows of each solution. */
export type SolutionSummary = Pick<Solution, 'id' | 'partnerId' | 'name' | 'status' | 'mergeRequest'>;

export const OFFER_TYPES = [
  'azureApplication',
  'azureContainer',
  'azureVirtualMachine',
  'consultingService',
  'dynamics365Dataverse',
  'dynamics365Operations',
  'dynamics365BusinessCentral',
  'iotEdgeModule',
  'managedService',
  'powerBiApp',
  'powerBiVisual',
  'microsoft365',
  'saas',
] as const;
export type OfferType = (typeof OFFER_TYPES)[number];

export const STOREFRONTS = ['appSource', 'azureMarketplace'] as const;
export type Storefront = (typeof STOREFRONTS)[number];

export const PUBLISHING_STATES = ['draft', 'inCertification', 'certificationFailed', 'previewReady', 'live'] as const;
export type PublishingState = (typeof PUBLISHING_STATES)[number];

export interface Offer {
  /**
   * The marketplace product id, `{publisherId}.{offerId}`: what customer-facing listing URLs end
   * with, and the id that card actions and notifications carry.
   */
  readonly id: string;
  readonly partnerAccountId: string;
  readonly publisherId: string;
  readonly offerId: string;
  readonly type: OfferType;
  readonly name: string;
  readonly storefront: Storefront;
  /** The customer-facing listing; known once the offer has been live. */
  readonly listingUrl?: string;
  readonly publishingState: PublishingState;
}

export interface AuditEntry {
  readonly solutionId: string;
  readonly actorUserId: string;
  readonly actorName: string;
  readonly at: Date;
  readonly event: MigrationEvent;
  readonly from: MigrationStatus;
  readonly to: MigrationStatus;
  /** What the solution waits for from this change on, for the changes that name it. */
  readonly awaitedOffer?: AwaitedOffer;
}

export const MIGRATION_EVENTS = [
  'discard',
  'undoDiscard',
  'awaitNewOffer',
  'setAwaitedOffer',
  'requestMerge',
  'completeMerge',
] as const;
export type MigrationEvent = (typeof MIGRATION_EVENTS)[number];

export const SUPPORT_REQUEST_STATES = ['open', 'infoRequested', 'completed'] as const;
export type SupportRequestState = (typeof SUPPORT_REQUEST_STATES)[number];

export const SUPPORT_CHANNELS = ['stored', 'webhook', 'teams'] as const;
/** How a merge request reaches partner support. */
export type SupportChannel = (typeof SUPPORT_CHANNELS)[number];

/** A merge request to partner support: "Save & Contact support" with the issue details. */
export interface SupportRequest {
  readonly id: string;
  readonly partnerAccountId: string;
  readonly solutionId: string;
  readonly offerType: OfferType;
  readonly offerName: string;
  readonly ocpSolutionId: string;
  readonly listingUrl: string;
  /** The partner's offer the listing was matched to, when it is one the bot knows. */
  readonly offerId?: string;
  readonly requestedBy: { readonly userId: string; readonly name: string };
  readonly requestedAt: Date;
  /** Partner support answers within two business days of the request. */
  readonly dueAt: Date;
  readonly state: SupportRequestState;
  /** What partner support asked for, when it did. */
  readonly infoNeeded?: string;
  readonly completedAt?: Date;
  /** Where to tell the requester about the outcome; opaque to the domain. */
  readonly requesterAddress?: string;
}

/** A solution's merge request as the list shows it. */
export interface MergeRequestSummary {
  readonly id: string;
  readonly state: SupportRequestState;
  readonly dueAt: Date;
}

/** Someone on the configured partner support team, acting on a request. */
export interface SupportAgent {
  readonly userId: string;
  readonly name: string;
}

/** A merge request with what partner support needs beside it. */
export interface SupportCase {
  readonly request: SupportRequest;
  readonly solution: Solution;
  readonly account: PartnerAccount;
}

/** What a release pipeline, the simulator or Partner Center says about an offer's certification. */
export const CERTIFICATION_STATUSES = ['inCertification', 'certificationFailed', 'previewReady', 'live'] as const;
export type CertificationStatus = (typeof CERTIFICATION_STATUSES)[number];

export const CHANGE_SOURCES = ['api', 'simulator', 'partnerCenter'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

export interface CertificationChange {
  readonly id: number;
  readonly partnerAccountId: string;
  readonly offerId: string;
  readonly status: CertificationStatus;
  /** Actionable feedback or other words from the source, shown as written. */
  readonly detail?: string;
  readonly reportUrl?: string;
  readonly source: ChangeSource;
  readonly receivedAt: Date;
}

/** Where a conversation is, as the bot knows it. */
export interface ConversationInfo {
  /** Stable across threads of a channel: the channel, not a reply chain in it. */
  readonly key: string;
  readonly kind: 'personal' | 'channel' | 'groupChat';
  /** How to post to it later, opaque to the domain. */
  readonly address: string;
  readonly locale: string;
  readonly tenantId?: string;
  readonly teamId?: string;
}

/** A channel or group chat that hears about its partner's offers' certification. */
export interface Subscription {
  readonly conversationKey: string;
  readonly partnerAccountId: string;
  readonly address: string;
  /** The language the channel chose when it subscribed; its cards use it. */
  readonly locale: string;
  readonly tenantId?: string;
  readonly teamId?: string;
  readonly subscribedBy: { readonly userId: string; readonly name: string };
  readonly subscribedAt: Date;
}
