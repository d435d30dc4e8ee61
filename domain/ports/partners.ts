import type { Member, Offer, PartnerAccount, PublishingState, UserIdentity } from '../model';

/** Who the partners are and what they publish: the demo data today, the Partner Center APIs next. */
export interface PartnerDataSource {
  getAccount(partnerAccountId: string): Promise<PartnerAccount | undefined>;
  findMember(identity: UserIdentity): Promise<Member | undefined>;
  listOffers(partnerAccountId: string, publishingState?: PublishingState): Promise<readonly Offer[]>;
  getOffer(partnerAccountId: string, offerId: string): Promise<Offer | undefined>;
  /** An offer by its id alone, whichever partner publishes it: what release pipelines post about. */
  findOffer(offerId: string): Promise<Offer | undefined>;
}
