import { PgDatabase } from './postgres/database';
import { pgStores } from './postgres/pgStores';
import { openDatabase } from './sqlite/database';
import { sqliteStores } from './sqlite/sqliteStores';
import type { StoreLog, Stores } from './stores';

export interface StoreSettings {
  /** The embedded store's directory, used when no database is given. */
  readonly dataDir: string;
  readonly database?: {
    readonly url: string;
    readonly schema: string;
    readonly leaseMs: number;
    readonly takeoverGraceMs: number;
    /** Each new connection's password, when the URL has none (an Entra token). */
    readonly password?: () => Promise<string>;
  };
  /** This instance, as claims and leases in the shared store name it. */
  readonly instanceId: string;
  readonly now: () => Date;
  readonly log?: StoreLog;
}

/**
 * Opens the shared PostgreSQL store when a database is given, else the embedded SQLite one, which
 * this process then holds alone. Throws DatabaseUnavailableError or StoreInUseError saying why not.
 */
export async function openStores(settings: StoreSettings): Promise<Stores> {
  const { database } = settings;
  if (!database) return sqliteStores(openDatabase({ location: settings.dataDir, exclusive: true }));
  const db = await PgDatabase.open({
    url: database.url,
    schema: database.schema,
    ...(database.password && { password: database.password }),
  });
  return pgStores(db, {
    instanceId: settings.instanceId,
    leaseMs: database.leaseMs,
    takeoverGraceMs: database.takeoverGraceMs,
    now: settings.now,
    ...(settings.log && { log: settings.log }),
  });
}
