import type { Offer, OfferType, PublishingState } from '../model';

/** An offer as Partner Center publishes it: its product, and where its latest submission stands. */
export interface CatalogOffer {
  /** Partner Center's durable id of the product (a GUID), the same in both of its APIs. */
  readonly productId: string;
  /** The offer id the partner chose: what its listing URL ends with, after the publisher id. */
  readonly offerId: string;
  readonly name: string;
  readonly type: OfferType;
  readonly state: PublishingState;
  /** The offer's page in Partner Center, where certification feedback is read. */
  readonly pageUrl: string;
}

/** One read of the partner's catalog: what could be read, and what could not. */
export interface CatalogRead {
  readonly offers: readonly CatalogOffer[];
  /** A product or a page that failed, with why; what it held is left as it was. */
  readonly failures: readonly string[];
  /** HTTP requests made, retries included. */
  readonly requests: number;
}

/** Partner Center's publishing APIs, as far as the sync reads them. Throws when nothing could be read. */
export interface PartnerCenterCatalog {
  read(): Promise<CatalogRead>;
}

/** How the sync of one partner account stands: shown by `status` and by /healthz. */
export interface SyncState {
  readonly partnerAccountId: string;
  /** The first complete read: offers were taken as they were, without notifications. */
  readonly baselineAt?: Date;
  readonly lastSuccessAt?: Date;
  readonly lastErrorAt?: Date;
  readonly lastError?: string;
  readonly offers?: number;
}

export type OfferUpsert = 'added' | 'updated' | 'unchanged';

/** What the sync keeps: the offers it found, their Partner Center product ids, and how it went. */
export interface OfferSyncStore {
  syncState(partnerAccountId: string): Promise<SyncState | undefined>;
  /** The account's stored offer with this offer id, whichever publisher id it was stored under. */
  offerByOfferId(partnerAccountId: string, offerId: string): Promise<Offer | undefined>;
  /**
   * Adds an offer found in Partner Center, in the state given, or updates what Partner Center says
   * of a known one (name, type, product id) leaving its state to certification changes.
   */
  upsertOffer(offer: Offer, productId: string): Promise<OfferUpsert>;
  /** Sets an offer's state without a certification change: the baseline, and a return to draft. */
  setState(offerId: string, state: PublishingState): Promise<void>;
  /** The id of the offer's newest certification change, which retention keeps: what keys the next one. */
  latestChangeId(offerId: string): Promise<number | undefined>;
  recordSuccess(partnerAccountId: string, at: Date, offers: number, baseline: boolean): Promise<void>;
  recordFailure(partnerAccountId: string, at: Date, error: string): Promise<void>;
}
