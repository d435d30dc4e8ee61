import type { Leases } from '../../domain/ports/leases';
import type { Queryable } from './database';

/** Leases in the shared store: a lease is taken when it is free or lapsed, renewed by its holder. */
export class PgLeases implements Leases {
  constructor(
    private readonly db: Queryable,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.now().getTime();
    const { rowCount } = await this.db.query(
      `INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
       WHERE leases.holder = excluded.holder OR leases.until < $4`,
      [name, holder, now + ttlMs, now],
    );
    return rowCount === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
  }
}
