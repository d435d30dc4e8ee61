import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';

export type SqliteDatabase = Database.Database;

export const DATABASE_FILE = 'migration-bot.sqlite';

export interface OpenOptions {
  /** A directory for the database file, or ':memory:' for a throwaway store. */
  readonly location: string;
  readonly migrations?: readonly Migration[];
}

/**
 * Opens the store and brings its schema up to date. WAL with synchronous=FULL: a commit is on disk
 * before the bot acknowledges anything, so neither kill -9 nor a power cut loses it.
 */
export function openDatabase(options: OpenOptions): SqliteDatabase {
  const file = options.location === ':memory:' ? ':memory:' : path.join(prepareDirectory(options.location), DATABASE_FILE);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  applyMigrations(db, options.migrations ?? MIGRATIONS);
  return db;
}

function prepareDirectory(dir: string): string {
  const absolute = path.resolve(dir);
  fs.mkdirSync(absolute, { recursive: true });
  return absolute;
}

export function applyMigrations(db: SqliteDatabase, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((row) => row.version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const newlyApplied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    })();
    newlyApplied.push(migration.version);
  }
  return newlyApplied;
}
