/** Where the bot sends people in Partner Center and the docs. */
export const LINKS = {
  partnerSupport: 'https://partner.microsoft.com/support',
  migrationPortal: 'https://go.microsoft.com/fwlink/?linkid=2165807',
  migrationGuide: 'https://learn.microsoft.com/partner-center/marketplace/co-sell-migration',
  publisherList: 'https://go.microsoft.com/fwlink/?linkid=2165704',
  addUsers: 'https://go.microsoft.com/fwlink/?linkid=2166003',
  userRoles: 'https://learn.microsoft.com/partner-center/marketplace/user-roles',
  joinCloudPartnerProgram: 'https://partner.microsoft.com/dashboard/account/v3/enrollment/introduction/partnership',
  enrollMarketplace: 'https://learn.microsoft.com/partner-center/marketplace/create-account',
  coSellRequirements: 'https://learn.microsoft.com/partner-center/referrals/co-sell-requirements',
  reviewAndPublish: 'https://learn.microsoft.com/partner-center/marketplace/review-publish-offer',
  publishingGuide: 'https://learn.microsoft.com/partner-center/marketplace/publisher-guide-by-offer-type',
  listingBestPractices: 'https://learn.microsoft.com/partner-center/marketplace/gtm-offer-listing-best-practices',
  partnerCenterOffers: 'https://partner.microsoft.com/dashboard/marketplace-offers/overview',
  migrationFaq: 'https://partner.microsoft.com/resources/detail/co-sell-requirements-publish-commercial-marketplace-faq-pdf',
} as const;
