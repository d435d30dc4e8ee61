import type { Member, Offer, PartnerAccount, PublishingState, UserIdentity } from '../domain/model';
import type { PartnerDataSource } from '../domain/ports/partners';
import type { LanguagePreferences } from '../domain/ports/users';
import type { ReadCache } from './readCache';

/**
 * Members and accounts, read on every turn to know who is asking, kept while the cache is open;
 * offers are not kept (the Partner Center sync moves them, and they are read off the hot path).
 */
export class CachedPartnerData implements PartnerDataSource {
  constructor(
    private readonly source: PartnerDataSource,
    private readonly members: ReadCache<Member | undefined>,
    private readonly accounts: ReadCache<PartnerAccount | undefined>,
  ) {}

  getAccount(partnerAccountId: string): Promise<PartnerAccount | undefined> {
    return this.accounts.read(partnerAccountId, () => this.source.getAccount(partnerAccountId));
  }

  findMember(identity: UserIdentity): Promise<Member | undefined> {
    // Everything the lookup goes by, and nothing else (the display name is not part of it).
    const key = JSON.stringify([
      identity.userId,
      identity.tenantId ?? null,
      identity.aadObjectId?.toLowerCase() ?? null,
      identity.userPrincipalName?.toLowerCase() ?? null,
    ]);
    return this.members.read(key, () => this.source.findMember(identity));
  }

  listOffers(partnerAccountId: string, publishingState?: PublishingState): Promise<readonly Offer[]> {
    return this.source.listOffers(partnerAccountId, publishingState);
  }

  getOffer(partnerAccountId: string, offerId: string): Promise<Offer | undefined> {
    return this.source.getOffer(partnerAccountId, offerId);
  }

  findOffer(offerId: string): Promise<Offer | undefined> {
    return this.source.findOffer(offerId);
  }
}

/** Languages by key, kept while the cache is open; a language set here is forgotten here at once. */
export class CachedLanguages implements LanguagePreferences {
  constructor(
    private readonly source: LanguagePreferences,
    private readonly cache: ReadCache<string | undefined>,
  ) {}

  language(key: string): Promise<string | undefined> {
    return this.cache.read(key, () => this.source.language(key));
  }

  async setLanguage(key: string, locale: string, at: Date): Promise<void> {
    try {
      await this.source.setLanguage(key, locale, at);
    } finally {
      // The store announces it to every instance too; this one must not wait for that to answer right.
      this.cache.invalidate();
    }
  }
}
