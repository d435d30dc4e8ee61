import { demoSeed } from '../demo/seedDemoData';
import type { SqliteDatabase } from './database';

/** Loads the demo partner into an empty store; a store that already holds partners is left alone. */
export function seedDemoData(db: SqliteDatabase, now: Date): boolean {
  const seed = db.transaction((): boolean => {
    const existing = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM partner_accounts').get();
    if (existing && existing.n > 0) return false;
    for (const { table, columns, rows } of demoSeed(now)) {
      const placeholders = columns.split(',').map(() => '?');
      // Table and column names are the seed's own constants, never input.
      const insert = db.prepare(`INSERT INTO ${table} (${columns}) VALUES (${placeholders.join(', ')})`);
      for (const row of rows) insert.run(...row);
    }
    return true;
  });
  return seed();
}
