import type { MigrationStore } from '../../domain/ports/migration';
import type { NotificationStore } from '../../domain/ports/notifications';
import { pgText } from '../../store/postgres/database';
import { pgStores } from '../../store/postgres/pgStores';
import { openDatabase } from '../../store/sqlite/database';
import { sqliteStores } from '../../store/sqlite/sqliteStores';
import type { StoreKind, Stores } from '../../store/stores';
import { CountingSignal } from './outboxSignal';
import { describeWithPostgres, TestSchema } from './postgres';

/**
 * A store for one test: every port, the queueing stores on a counting signal, and plain SQL on the
 * same tables. SQLite lives in memory; PostgreSQL on a schema of its own, dropped on close.
 */
export interface TestStores extends Stores {
  readonly signal: CountingSignal;
  readonly migrations: MigrationStore;
  readonly notifications: NotificationStore;
  /** Rows of `query`, written for SQLite (`?` placeholders), which PostgreSQL takes through pgText. */
  sql<R>(query: string, ...params: readonly unknown[]): Promise<R[]>;
  /** The first row of `query`; fails when there is none. */
  row<R>(query: string, ...params: readonly unknown[]): Promise<R>;
}

export interface TestStoreOptions {
  /** Loads the demo partner as of this moment. */
  readonly seed?: Date;
  readonly instanceId?: string;
  readonly leaseMs?: number;
  readonly now?: () => Date;
}

export async function openTestStores(kind: StoreKind, options: TestStoreOptions = {}): Promise<TestStores> {
  const now = options.now ?? (() => new Date());
  let stores: Stores;
  let sql: <R>(query: string, params: readonly unknown[]) => Promise<R[]>;
  let dispose: () => Promise<void>;
  if (kind === 'sqlite') {
    const db = openDatabase({ location: ':memory:' });
    stores = sqliteStores(db);
    sql = async <R>(query: string, params: readonly unknown[]) => {
      const statement = db.prepare<unknown[], R>(query);
      if (statement.reader) return statement.all(...params);
      statement.run(...params);
      return [];
    };
    dispose = () => stores.close();
  } else {
    const schema = await TestSchema.create();
    const pg = await pgStores(schema.db, { instanceId: options.instanceId ?? 'test', leaseMs: options.leaseMs ?? 60_000, now });
    stores = pg;
    sql = async <R>(query: string, params: readonly unknown[]) => {
      const { rows } = await schema.db.query<R & object>(pgText(query), params);
      // A change made around the bot: what it keeps of the store is forgotten now, not when the
      // store's announcement arrives (which the cache tests check on their own).
      if (!/^\s*SELECT/i.test(query)) pg.forgetKept();
      return rows;
    };
    // The schema's pool stays open for the drop; the stores close it with their own connection.
    dispose = () => schema.drop(() => pg.close());
  }
  const signal = new CountingSignal();
  if (options.seed) await stores.seedDemoData(options.seed);
  return {
    ...stores,
    ...stores.queueing(signal),
    signal,
    sql: (query, ...params) => sql(query, params),
    row: async <R>(query: string, ...params: readonly unknown[]) => {
      const [first] = await sql<R>(query, params);
      if (first === undefined) throw new Error(`no row for ${query}`);
      return first;
    },
    close: dispose,
  };
}

const NAMES: Readonly<Record<StoreKind, string>> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/**
 * The same tests on each store: `body` gets the store's kind, and opens it with openTestStores.
 * PostgreSQL's run is skipped, saying why, only where no database answers and none is required.
 */
export function describeEachStore(name: string, body: (kind: StoreKind) => void): void {
  describe(`${name} (${NAMES.sqlite})`, () => body('sqlite'));
  describeWithPostgres(`${name} (${NAMES.postgres})`, () => body('postgres'));
}
