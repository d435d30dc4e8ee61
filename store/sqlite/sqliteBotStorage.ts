import type { Storage, StoreItems } from 'botbuilder';
import { StateConflictError } from '../concurrencyCheckedState';
import type { SqliteDatabase } from './database';

interface StateRow {
  etag: number;
  document: string;
}

/**
 * Bot Framework state (dialog stacks) in the embedded store, with the eTag semantics of the
 * Bot Framework storage providers: no eTag or '*' writes unconditionally, any other eTag must match.
 */
export class SqliteBotStorage implements Storage {
  private readonly selectOne;
  private readonly upsert;
  private readonly updateIfMatch;
  private readonly deleteOne;
  private readonly writeAll;

  constructor(db: SqliteDatabase) {
    this.selectOne = db.prepare<[string], StateRow>('SELECT etag, document FROM bot_state WHERE key = ?');
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO bot_state (key, etag, document, updated_at) VALUES (?, 1, ?, ?)
       ON CONFLICT (key) DO UPDATE SET etag = etag + 1, document = excluded.document, updated_at = excluded.updated_at`,
    );
    this.updateIfMatch = db.prepare<[string, number, string, number]>(
      'UPDATE bot_state SET etag = etag + 1, document = ?, updated_at = ? WHERE key = ? AND etag = ?',
    );
    this.deleteOne = db.prepare<[string]>('DELETE FROM bot_state WHERE key = ?');
    this.writeAll = db.transaction((changes: StoreItems) => {
      const now = Date.now();
      for (const [key, item] of Object.entries<unknown>(changes)) {
        const { eTag, ...document } = isObject(item) ? item : {};
        const json = JSON.stringify(document);
        const expected = typeof eTag === 'string' && eTag !== '*' ? Number(eTag) : undefined;
        if (expected === undefined) {
          this.upsert.run(key, json, now);
        } else if (this.updateIfMatch.run(json, now, key, expected).changes !== 1) {
          throw new StateConflictError(key);
        }
      }
    });
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.selectOne.get(key);
      if (!row) continue;
      const document: unknown = JSON.parse(row.document);
      items[key] = Object.assign({}, document, { eTag: String(row.etag) });
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    this.writeAll(changes);
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.deleteOne.run(key);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
