import type { Offer, PublishingState } from '../../domain/model';
import type { OfferSyncStore, OfferUpsert, SyncState } from '../../domain/ports/partnerCenter';
import type { SqliteDatabase } from './database';
import { OFFER_COLUMNS, toOffer, type OfferRow } from '../rows/partners';
import { offerInserter } from './offerInserter';
import { SYNC_COLUMNS, SYNC_ERROR_MAX, toSyncState, type SyncRow } from '../rows/partnerCenterSync';

/** The Partner Center sync's side of the embedded store. */
export class SqliteOfferSync implements OfferSyncStore {
  private readonly selectState;
  private readonly selectByOfferId;
  private readonly selectProductId;
  private readonly insertOffer;
  private readonly updateOffer;
  private readonly updateState;
  private readonly selectLatestChange;
  private readonly upsertSuccess;
  private readonly upsertFailure;
  private readonly upsertOfferTx;

  constructor(db: SqliteDatabase) {
    this.selectState = db.prepare<[string], SyncRow>(
      `SELECT ${SYNC_COLUMNS} FROM partner_center_sync WHERE partner_account_id = ?`,
    );
    this.selectByOfferId = db.prepare<[string, string], OfferRow>(
      `SELECT ${OFFER_COLUMNS} FROM offers WHERE partner_account_id = ? AND offer_id = ? ORDER BY id LIMIT 1`,
    );
    this.selectProductId = db.prepare<[string], { product: string | null }>(
      'SELECT partner_center_product_id AS product FROM offers WHERE id = ?',
    );
    this.insertOffer = offerInserter(db);
    this.updateOffer = db.prepare<[string, string, string, string]>(
      'UPDATE offers SET type = ?, name = ?, partner_center_product_id = ? WHERE id = ?',
    );
    this.updateState = db.prepare<[string, string]>('UPDATE offers SET publishing_state = ? WHERE id = ?');
    this.selectLatestChange = db.prepare<[string], { id: number | null }>(
      'SELECT max(id) AS id FROM certification_changes WHERE offer_id = ?',
    );
    this.upsertSuccess = db.prepare<[string, number | null, number, number]>(
      `INSERT INTO partner_center_sync (partner_account_id, baseline_at, last_success_at, offers) VALUES (?, ?, ?, ?)
       ON CONFLICT (partner_account_id) DO UPDATE SET baseline_at = coalesce(baseline_at, excluded.baseline_at),
         last_success_at = excluded.last_success_at, offers = excluded.offers`,
    );
    this.upsertFailure = db.prepare<[string, number, string]>(
      `INSERT INTO partner_center_sync (partner_account_id, last_error_at, last_error) VALUES (?, ?, ?)
       ON CONFLICT (partner_account_id) DO UPDATE SET last_error_at = excluded.last_error_at, last_error = excluded.last_error`,
    );
    this.upsertOfferTx = db.transaction((offer: Offer, productId: string): OfferUpsert => {
      const stored = this.selectByOfferId.get(offer.partnerAccountId, offer.offerId);
      if (!stored) {
        this.insertOffer(offer, productId);
        return 'added';
      }
      const product = this.selectProductId.get(stored.id)?.product;
      if (stored.type === offer.type && stored.name === offer.name && product === productId) return 'unchanged';
      this.updateOffer.run(offer.type, offer.name, productId, stored.id);
      return 'updated';
    });
  }

  async syncState(partnerAccountId: string): Promise<SyncState | undefined> {
    const row = this.selectState.get(partnerAccountId);
    return row && toSyncState(row);
  }

  async offerByOfferId(partnerAccountId: string, offerId: string): Promise<Offer | undefined> {
    const row = this.selectByOfferId.get(partnerAccountId, offerId);
    return row && toOffer(row);
  }

  async upsertOffer(offer: Offer, productId: string): Promise<OfferUpsert> {
    return this.upsertOfferTx(offer, productId);
  }

  async setState(offerId: string, state: PublishingState): Promise<void> {
    this.updateState.run(state, offerId);
  }

  async latestChangeId(offerId: string): Promise<number | undefined> {
    return this.selectLatestChange.get(offerId)?.id ?? undefined;
  }

  async recordSuccess(partnerAccountId: string, at: Date, offers: number, baseline: boolean): Promise<void> {
    this.upsertSuccess.run(partnerAccountId, baseline ? at.getTime() : null, at.getTime(), offers);
  }

  async recordFailure(partnerAccountId: string, at: Date, error: string): Promise<void> {
    this.upsertFailure.run(partnerAccountId, at.getTime(), error.slice(0, SYNC_ERROR_MAX));
  }
}
