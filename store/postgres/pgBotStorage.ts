import type { Storage, StoreItems } from 'botbuilder';
import { StateConflictError } from '../concurrencyCheckedState';
import type { PgDatabase, Queryable } from './database';

/**
 * Bot Framework state (dialog stacks) in the shared store, with the eTag semantics of the Bot
 * Framework storage providers: no eTag or '*' writes unconditionally, any other eTag must match. A
 * user's two turns on two instances then never overwrite each other unseen.
 */
export class PgBotStorage implements Storage {
  constructor(private readonly db: PgDatabase) {}

  async read(keys: string[]): Promise<StoreItems> {
    const { rows } = await this.db.query<{ key: string; etag: number; document: string }>(
      'SELECT key, etag, document FROM bot_state WHERE key = ANY($1::text[])',
      [keys],
    );
    const items: StoreItems = {};
    for (const row of rows) {
      const document: unknown = JSON.parse(row.document);
      items[row.key] = Object.assign({}, document, { eTag: String(row.etag) });
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const now = Date.now();
    await this.db.transaction(async (client: Queryable) => {
      for (const [key, item] of Object.entries<unknown>(changes)) {
        const { eTag, ...document } = isObject(item) ? item : {};
        const json = JSON.stringify(document);
        if (typeof eTag !== 'string' || eTag === '*') {
          await client.query(
            `INSERT INTO bot_state (key, etag, document, updated_at) VALUES ($1, 1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET etag = bot_state.etag + 1, document = excluded.document,
               updated_at = excluded.updated_at`,
            [key, json, now],
          );
        } else {
          // Compared as text: an eTag no write gave matches nothing, and is a conflict like a stale one.
          const { rowCount } = await client.query(
            'UPDATE bot_state SET etag = etag + 1, document = $1, updated_at = $2 WHERE key = $3 AND etag::text = $4',
            [json, now, key, eTag],
          );
          if (rowCount !== 1) throw new StateConflictError(key);
        }
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    await this.db.query('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
