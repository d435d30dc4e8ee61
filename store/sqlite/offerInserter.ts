import type { Offer } from '../../domain/model';
import { OFFER_INSERT_COLUMNS, offerValues } from '../rows/partners';
import type { SqliteDatabase } from './database';

/** Adds an offer; with the Partner Center product it was read from, when it was. */
export function offerInserter(db: SqliteDatabase): (offer: Offer, productId?: string) => void {
  const insert = db.prepare<ReturnType<typeof offerValues>>(
    `INSERT INTO offers (${OFFER_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (offer, productId) => {
    insert.run(...offerValues(offer, productId));
  };
}
