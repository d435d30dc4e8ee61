import { listingUrlFor, storefrontFor } from './listingUrl';
import type { Offer } from './model';
import type { NotificationService } from './notificationService';
import type { Clock } from './ports/clock';
import type { CatalogOffer, OfferSyncStore, PartnerCenterCatalog } from './ports/partnerCenter';
import type { PartnerDataSource } from './ports/partners';

export interface OfferSyncDeps {
  readonly catalog: PartnerCenterCatalog;
  readonly store: OfferSyncStore;
  readonly notifications: NotificationService;
  readonly partners: PartnerDataSource;
  readonly clock: Clock;
}

export interface OfferSyncOptions {
  /** The partner account the synced offers belong to. */
  readonly partnerAccountId: string;
  /** For offers the bot has no publisher id of yet; else the one the account's offers share. */
  readonly publisherId?: string;
}

export type SyncOutcome =
  | {
      readonly ok: true;
      /** Offers read, added, updated, and certification changes recorded. */
      readonly read: number;
      readonly added: number;
      readonly updated: number;
      readonly changes: number;
      readonly failures: readonly string[];
      readonly requests: number;
      /** The first complete read: offers were taken as they were, without notifications. */
      readonly baseline: boolean;
    }
  | { readonly ok: false; readonly error: string };

/**
 * Keeps a partner's offers as Partner Center publishes them. The first read takes them as they are;
 * after it, every move of an offer's certification becomes a certification change, through the same
 * path as a release pipeline's post: the same cards to the same channels, once. A change is keyed by
 * the offer and the change it follows, so that an overlapping or repeated read, or a restart
 * in the middle, records it once. What could not be read is left as it was.
 */
export class OfferSync {
  constructor(
    private readonly deps: OfferSyncDeps,
    private readonly options: OfferSyncOptions,
  ) {}

  async run(): Promise<SyncOutcome> {
    const { partnerAccountId } = this.options;
    const { store, clock } = this.deps;
    try {
      if (!(await this.deps.partners.getAccount(partnerAccountId))) {
        throw new Error(`no partner account ${partnerAccountId} in the store: import it first`);
      }
      const baseline = !(await store.syncState(partnerAccountId))?.baselineAt;
      const catalog = await this.deps.catalog.read();
      const publisherId = this.options.publisherId ?? (await this.sharedPublisherId());
      let added = 0;
      let updated = 0;
      let changes = 0;
      for (const found of catalog.offers) {
        const outcome = await this.keep(found, publisherId, baseline);
        if (outcome.upsert === 'added') added++;
        if (outcome.upsert === 'updated') updated++;
        if (outcome.changed) changes++;
      }
      if (catalog.failures.length > 0) {
        await store.recordFailure(partnerAccountId, clock.now(), `could not read ${catalog.failures.join('; ')}`);
      } else {
        await store.recordSuccess(partnerAccountId, clock.now(), catalog.offers.length, baseline);
      }
      return {
        ok: true,
        read: catalog.offers.length,
        added,
        updated,
        changes,
        failures: catalog.failures,
        requests: catalog.requests,
        baseline,
      };
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      await store.recordFailure(partnerAccountId, clock.now(), message);
      return { ok: false, error: message };
    }
  }

  /** Stores one offer as read, and records its move when it moved. */
  private async keep(
    found: CatalogOffer,
    publisherId: string,
    baseline: boolean,
  ): Promise<{ upsert: 'added' | 'updated' | 'unchanged'; changed: boolean }> {
    const { store } = this.deps;
    const { partnerAccountId } = this.options;
    const known = await store.offerByOfferId(partnerAccountId, found.offerId);
    const offer = this.offerOf(found, known, publisherId, baseline);
    const upsert = await store.upsertOffer(offer, found.productId);
    const stored = known?.publishingState ?? offer.publishingState;
    if (found.state === stored) return { upsert, changed: false };
    if (baseline || found.state === 'draft') {
      await store.setState(offer.id, found.state);
      return { upsert, changed: false };
    }
    const previous = await store.latestChangeId(offer.id);
    const recorded = await this.deps.notifications.recordChange({
      offerId: offer.id,
      status: found.state,
      source: 'partnerCenter',
      ...(found.state === 'certificationFailed' && { reportUrl: found.pageUrl }),
      // The key names the step in the offer's history, the change it follows, so that a sync retried
      // after a crash, or two at once, record it once. By that change's id, which retention keeps,
      // and not by how many changes there are, which retention lowers.
      idempotency: { key: `partnerCenter:${offer.id}:after:${previous ?? 0}:${found.state}`, digest: found.state },
    });
    return { upsert, changed: recorded.ok && !recorded.value.repeated };
  }

  /** The offer as the bot keeps it: what the bot knew of it, with what Partner Center says now. */
  private offerOf(found: CatalogOffer, known: Offer | undefined, publisherId: string, baseline: boolean): Offer {
    const base = {
      partnerAccountId: this.options.partnerAccountId,
      type: found.type,
      name: found.name,
      offerId: found.offerId,
    };
    if (known) return { ...known, ...base };
    // New after the baseline: stored as a draft, so that where it stands now arrives as a change.
    const state = baseline ? found.state : 'draft';
    const offer: Offer = {
      ...base,
      id: `${publisherId}.${found.offerId}`,
      publisherId,
      storefront: storefrontFor(found.type),
      publishingState: state,
    };
    return state === 'live' ? { ...offer, listingUrl: listingUrlFor(offer) } : offer;
  }

  /** The publisher id the account's offers are stored under, when they agree; else the account id. */
  private async sharedPublisherId(): Promise<string> {
    const offers = await this.deps.partners.listOffers(this.options.partnerAccountId);
    const ids = new Set(offers.map((offer) => offer.publisherId));
    const [only] = ids;
    return ids.size === 1 && only ? only : this.options.partnerAccountId;
  }
}
