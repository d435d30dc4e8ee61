import path from 'node:path';
import Database from 'better-sqlite3';
import { makePrivateDirectory, makePrivateFile } from '../privateFiles';
import { StoreInUseError } from '../storeErrors';
import { MIGRATIONS, type Migration } from './migrations';

export type SqliteDatabase = Database.Database;

export const DATABASE_FILE = 'migration-bot.sqlite';
const JOURNAL_SUFFIXES = ['-wal', '-shm', '-journal'];

export interface OpenOptions {
  /** A directory for the database file, or ':memory:' for a throwaway store. */
  readonly location: string;
  readonly migrations?: readonly Migration[];
  /**
   * The bot's own store: held by this connection alone until it closes. WAL then keeps its index in
   * memory instead of taking shared-memory locks on every read, and a second process pointed at the
   * same directory is refused instead of sending from the same outbox with a pacer of its own.
   */
  readonly exclusive?: boolean;
  /** How long to wait for a store another connection holds (a bot still stopping, say). */
  readonly busyTimeoutMs?: number;
}

// Defined beside the other store errors, which the process entry point reads before the stores are loaded.
export { StoreInUseError };

/**
 * Opens the store and brings its schema up to date. WAL with synchronous=FULL: a commit is on disk
 * before the bot acknowledges anything, so neither kill -9 nor a power cut loses it.
 */
export function openDatabase(options: OpenOptions): SqliteDatabase {
  const file = options.location === ':memory:' ? ':memory:' : path.join(makePrivateDirectory(options.location), DATABASE_FILE);
  // 0600 before SQLite opens it: the journal files it creates take the database file's mode.
  if (file !== ':memory:') makePrivateFile(file, JOURNAL_SUFFIXES);
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    // Before the first access, so that WAL never sets up shared memory.
    if (options.exclusive) db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    applyMigrations(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (error: unknown) {
    db.close();
    if (isBusy(error)) throw new StoreInUseError(file);
    throw error;
  }
}

/**
 * By its code, not by class: the native addon keeps the SqliteError class (and the Error it extends)
 * of its first load, so where modules are loaded again, in another realm (jest does, per test file),
 * neither instanceof holds.
 */
function isBusy(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'SQLITE_BUSY';
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
