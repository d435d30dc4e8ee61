import type { SyncState } from '../../domain/ports/partnerCenter';

/** How the Partner Center sync of a partner stands, as its table holds it, in either store. */

export interface SyncRow {
  partner_account_id: string;
  baseline_at: number | null;
  last_success_at: number | null;
  last_error_at: number | null;
  last_error: string | null;
  offers: number | null;
}

export const SYNC_COLUMNS = 'partner_account_id, baseline_at, last_success_at, last_error_at, last_error, offers';

/** Longest error text kept: enough to tell the cause, bounded whatever the API answered. */
export const SYNC_ERROR_MAX = 2000;

export function toSyncState(row: SyncRow): SyncState {
  return {
    partnerAccountId: row.partner_account_id,
    ...(row.baseline_at !== null && { baselineAt: new Date(row.baseline_at) }),
    ...(row.last_success_at !== null && { lastSuccessAt: new Date(row.last_success_at) }),
    ...(row.last_error_at !== null && { lastErrorAt: new Date(row.last_error_at) }),
    ...(row.last_error !== null && { lastError: row.last_error }),
    ...(row.offers !== null && { offers: row.offers }),
  };
}
