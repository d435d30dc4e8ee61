import type { Offer, PublishingState } from '../../domain/model';
import type { OfferSyncStore, OfferUpsert, SyncState } from '../../domain/ports/partnerCenter';
import { OFFER_COLUMNS, OFFER_INSERT_COLUMNS, offerValues, toOffer, type OfferRow } from '../rows/partners';
import { SYNC_COLUMNS, SYNC_ERROR_MAX, toSyncState, type SyncRow } from '../rows/partnerCenterSync';
import { placeholders, type PgDatabase } from './database';

/** The Partner Center sync's side of the shared store; one instance at a time syncs, under a lease. */
export class PgOfferSync implements OfferSyncStore {
  constructor(private readonly db: PgDatabase) {}

  async syncState(partnerAccountId: string): Promise<SyncState | undefined> {
    const { rows } = await this.db.query<SyncRow>(
      `SELECT ${SYNC_COLUMNS} FROM partner_center_sync WHERE partner_account_id = $1`,
      [partnerAccountId],
    );
    return rows[0] && toSyncState(rows[0]);
  }

  async offerByOfferId(partnerAccountId: string, offerId: string): Promise<Offer | undefined> {
    const { rows } = await this.db.query<OfferRow>(
      `SELECT ${OFFER_COLUMNS} FROM offers WHERE partner_account_id = $1 AND offer_id = $2 ORDER BY id COLLATE "C" LIMIT 1`,
      [partnerAccountId, offerId],
    );
    return rows[0] && toOffer(rows[0]);
  }

  async upsertOffer(offer: Offer, productId: string): Promise<OfferUpsert> {
    return this.db.transaction(async (client) => {
      const { rows } = await client.query<OfferRow & { product: string | null }>(
        `SELECT ${OFFER_COLUMNS}, partner_center_product_id AS product FROM offers
         WHERE partner_account_id = $1 AND offer_id = $2 ORDER BY id COLLATE "C" LIMIT 1 FOR UPDATE`,
        [offer.partnerAccountId, offer.offerId],
      );
      const stored = rows[0];
      if (!stored) {
        const values = offerValues(offer, productId);
        await client.query(`INSERT INTO offers (${OFFER_INSERT_COLUMNS}) VALUES (${placeholders(values.length)})`, values);
        return 'added';
      }
      if (stored.type === offer.type && stored.name === offer.name && stored.product === productId) return 'unchanged';
      await client.query('UPDATE offers SET type = $1, name = $2, partner_center_product_id = $3 WHERE id = $4', [
        offer.type,
        offer.name,
        productId,
        stored.id,
      ]);
      return 'updated';
    });
  }

  async setState(offerId: string, state: PublishingState): Promise<void> {
    await this.db.query('UPDATE offers SET publishing_state = $1 WHERE id = $2', [state, offerId]);
  }

  async latestChangeId(offerId: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ id: number | null }>(
      'SELECT max(id) AS id FROM certification_changes WHERE offer_id = $1',
      [offerId],
    );
    return rows[0]?.id ?? undefined;
  }

  async recordSuccess(partnerAccountId: string, at: Date, offers: number, baseline: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO partner_center_sync (partner_account_id, baseline_at, last_success_at, offers) VALUES ($1, $2, $3, $4)
       ON CONFLICT (partner_account_id) DO UPDATE SET baseline_at = coalesce(partner_center_sync.baseline_at, excluded.baseline_at),
         last_success_at = excluded.last_success_at, offers = excluded.offers`,
      [partnerAccountId, baseline ? at.getTime() : null, at.getTime(), offers],
    );
  }

  async recordFailure(partnerAccountId: string, at: Date, error: string): Promise<void> {
    await this.db.query(
      `INSERT INTO partner_center_sync (partner_account_id, last_error_at, last_error) VALUES ($1, $2, $3)
       ON CONFLICT (partner_account_id) DO UPDATE SET last_error_at = excluded.last_error_at, last_error = excluded.last_error`,
      [partnerAccountId, at.getTime(), error.slice(0, SYNC_ERROR_MAX)],
    );
  }
}
