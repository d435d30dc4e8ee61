import { demoSeed } from '../demo/seedDemoData';
import { placeholders, type PgDatabase } from './database';

/**
 * Loads the demo partner into a store that holds no partner yet. Instances starting together
 * serialize on a lock of the table, so the partner is loaded once.
 */
export async function seedDemoData(db: PgDatabase, now: Date): Promise<boolean> {
  return db.transaction(async (client) => {
    await client.query('LOCK TABLE partner_accounts IN SHARE ROW EXCLUSIVE MODE');
    const { rows } = await client.query<{ n: number }>('SELECT count(*) AS n FROM partner_accounts');
    if ((rows[0]?.n ?? 0) > 0) return false;
    for (const { table, columns, rows: values } of demoSeed(now)) {
      const width = columns.split(',').length;
      // Table and column names are the seed's own constants, never input.
      for (const row of values) await client.query(`INSERT INTO ${table} (${columns}) VALUES (${placeholders(width)})`, [...row]);
    }
    return true;
  });
}
