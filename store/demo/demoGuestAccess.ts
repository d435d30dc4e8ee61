import type { Member, Offer, PartnerAccount, PublishingState, UserIdentity } from '../../domain/model';
import type { PartnerDataSource } from '../../domain/ports/partners';
import { DEMO_PARTNER_ACCOUNT_ID } from './demoData';

/**
 * Development mode only: someone who is not a demo member acts as a Manager of the demo partner, so
 * that a new Emulator user can try every flow.
 */
export class DemoGuestAccess implements PartnerDataSource {
  constructor(private readonly inner: PartnerDataSource) {}

  async findMember(identity: UserIdentity): Promise<Member | undefined> {
    return (
      (await this.inner.findMember(identity)) ?? {
        userId: identity.userId,
        partnerAccountId: DEMO_PARTNER_ACCOUNT_ID,
        displayName: identity.name?.trim() || identity.userId,
        role: 'manager',
      }
    );
  }

  getAccount(partnerAccountId: string): Promise<PartnerAccount | undefined> {
    return this.inner.getAccount(partnerAccountId);
  }

  listOffers(partnerAccountId: string, publishingState?: PublishingState): Promise<readonly Offer[]> {
    return this.inner.listOffers(partnerAccountId, publishingState);
  }

  getOffer(partnerAccountId: string, offerId: string): Promise<Offer | undefined> {
    return this.inner.getOffer(partnerAccountId, offerId);
  }

  findOffer(offerId: string): Promise<Offer | undefined> {
    return this.inner.findOffer(offerId);
  }
}
