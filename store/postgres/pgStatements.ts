import type { SharedStatements } from '../retention';
import { pgText, type Queryable } from './database';

/** Statements shared with SQLite (store/rows), in PostgreSQL's words. */
export function pgStatements(db: Queryable): SharedStatements {
  return {
    get: async (sql, values) => (await db.query<Record<string, unknown>>(pgText(sql), values)).rows[0],
    run: async (sql, values) => (await db.query(pgText(sql), values)).rowCount ?? 0,
  };
}
