import type Database from 'better-sqlite3';
import type { SharedStatements } from '../retention';
import type { SqliteDatabase } from './database';

/** Statements shared with PostgreSQL (store/rows), prepared once each on first use. */
export function sqliteStatements(db: SqliteDatabase): SharedStatements {
  // Keyed by text: the texts are constants of store/rows, so the map stays as small as they are few.
  const prepared = new Map<string, Database.Statement<number[], unknown>>();
  const statement = (sql: string): Database.Statement<number[], unknown> => {
    const known = prepared.get(sql);
    if (known) return known;
    const made = db.prepare<number[], unknown>(sql);
    prepared.set(sql, made);
    return made;
  };
  return {
    get: async (sql, values) => {
      const row = statement(sql).get(...Array.from(values));
      return isRow(row) ? row : undefined;
    },
    run: async (sql, values) => statement(sql).run(...Array.from(values)).changes,
  };
}

function isRow(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null;
}
