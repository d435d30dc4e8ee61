import { createHash } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { DatabaseUnavailableError, StoreUnavailableError } from '../storeErrors';
import { PG_MIGRATIONS, type PgMigration } from './migrations';

export interface PostgresOptions {
  readonly url: string;
  /** The schema the tables live in; created when missing. */
  readonly schema: string;
  /** Connections the pool may hold: several instances share the server's limit. */
  readonly poolSize?: number;
  readonly connectTimeoutMs?: number;
  /**
   * Asked for each new connection's password instead of the URL's (which must have none): a
   * Microsoft Entra token, current when the connection is made, that the server checks then only.
   */
  readonly password?: () => Promise<string>;
  readonly migrations?: readonly PgMigration[];
}

/** Something that runs SQL: the pool, or one client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>>;
}

// Defined beside the other store errors, which the process entry point reads before pg is loaded.
export { DatabaseUnavailableError };

/** int8 is the type of `count(*)` and of epoch milliseconds: as numbers, every value kept is far below 2^53. */
const INT8_OID = 20;

/** The pool's type parsers: pg's own, but int8 read as a number instead of a string. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return (value: string): number => Number(value);
    const parser: unknown = format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid);
    return parser;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** A pool on the bot's schema, and transactions on it. */
export class PgDatabase implements Queryable {
  private readonly statements = new PreparedStatements();
  /** Connections that have served a statement: only those can have died unseen while idle. */
  private readonly served = new WeakSet<pg.PoolClient>();

  private constructor(
    readonly pool: pg.Pool,
    readonly schema: string,
    private readonly clientConfig: pg.ClientConfig,
    private readonly poolSize: number,
  ) {}

  /**
   * Connects, creates the schema when missing and brings it up to date under an advisory lock, so
   * that instances starting together migrate once. Throws DatabaseUnavailableError naming why a
   * database that cannot be used is not.
   */
  static async open(options: PostgresOptions): Promise<PgDatabase> {
    let config: pg.ClientConfig;
    try {
      const url = new URL(options.url);
      // As psql does: without a user in the URL, the one this process runs as.
      if (url.username === '') url.username = os.userInfo().username;
      config = {
        // pg lets a connection string's empty password win over a password function: parsed here instead.
        ...(options.password
          ? { ...parseIntoClientConfig(url.toString()), password: options.password }
          : { connectionString: url.toString() }),
        connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
        // The schema first, so that every statement names its tables without it.
        options: `-c search_path=${options.schema}`,
        application_name: 'ocp-gtm-migration-bot',
        types,
      };
      if (!url.hostname && !url.searchParams.has('host')) throw new Error('no host');
    } catch (error: unknown) {
      throw new DatabaseUnavailableError(
        `DATABASE_URL is not a usable URL (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const poolSize = options.poolSize ?? 10;
    const pool = new pg.Pool({ ...config, max: poolSize });
    // An idle client that loses its server (a restart, a network cut) must not stop the process.
    pool.on('error', () => undefined);
    const database = new PgDatabase(pool, options.schema, config, poolSize);
    try {
      await database.migrate(options.migrations ?? PG_MIGRATIONS);
      return database;
    } catch (error: unknown) {
      await pool.end();
      throw new DatabaseUnavailableError(`PostgreSQL at ${where(options.url)} cannot be used: ${describe(error)}`);
    }
  }

  /**
   * One statement on a pooled connection. A connection that served before may have died while idle
   * (a server restart, a fail-over, an administrator's cut) before the pool heard of it: a read that
   * fails for that reason is run again on another one. A write is not, since whether it took effect
   * cannot be known.
   */
  async query<R extends pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>> {
    const config = this.statements.config(text, values);
    for (let attempt = 1; ; attempt++) {
      const lease = await this.lease();
      try {
        const result = await lease.client.query<R>(config);
        lease.release();
        return result;
      } catch (error: unknown) {
        lease.release(true);
        const again = lease.reused && attempt <= this.poolSize && isUnavailable(error) && isReadOnly(text);
        if (!again) return unavailable(error);
      }
    }
  }

  /**
   * Runs `work` in one transaction on one client; it commits when `work` resolves, and rolls back
   * when it throws. A `snapshot` transaction only reads, and all its statements see one moment. A
   * connection found dead at BEGIN has run nothing of it, so the transaction starts again on another.
   */
  async transaction<T>(work: (client: Queryable) => Promise<T>, options: { readonly snapshot?: boolean } = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const lease = await this.lease();
      const { client } = lease;
      try {
        await client.query(options.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      } catch (error: unknown) {
        lease.release(true);
        if (lease.reused && attempt <= this.poolSize && isUnavailable(error)) continue;
        return unavailable(error);
      }
      let broken = false;
      try {
        const result = await work({
          query: <R extends pg.QueryResultRow>(text: string, values?: readonly unknown[]) =>
            client.query<R>(this.statements.config(text, values)),
        });
        await client.query('COMMIT');
        return result;
      } catch (error: unknown) {
        // A connection that cannot even roll back is gone: it leaves the pool instead of going back.
        broken = await client.query('ROLLBACK').then(
          () => false,
          () => true,
        );
        return unavailable(error);
      } finally {
        lease.release(broken);
      }
    }
  }

  /**
   * A pooled connection with a listener for its errors while it is out of the pool (the pool's own
   * listens only while it is idle): a connection lost between statements then fails the next
   * statement instead of throwing in the process.
   */
  private async lease(): Promise<{ client: pg.PoolClient; reused: boolean; release(destroy?: boolean): void }> {
    const client = await this.pool.connect().catch(unavailable);
    const reused = this.served.has(client);
    this.served.add(client);
    const ignore = (): void => undefined;
    client.on('error', ignore);
    return {
      client,
      reused,
      release: (destroy = false) => {
        client.removeListener('error', ignore);
        client.release(destroy);
      },
    };
  }

  /** A connection of the caller's own, for what lives on one (a temporary table); the caller releases it. */
  connect(): Promise<pg.PoolClient> {
    return this.pool.connect().catch(unavailable);
  }

  /**
   * A connection outside the pool, for what holds one for as long as the process runs (LISTEN); not
   * yet connected, and the caller's to end.
   */
  standaloneClient(applicationName: string): pg.Client {
    return new pg.Client({ ...this.clientConfig, application_name: applicationName });
  }

  /** Whether the server answers now: what /healthz reports. */
  async ping(timeoutMs = 2000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([this.pool.query('SELECT 1').then(() => true), late]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async migrate(migrations: readonly PgMigration[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      // One lock per schema: instances of the same bot wait for each other, other schemas do not.
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`ocp-gtm-migration-bot:${this.schema}`]);
      try {
        await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
          version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`);
        const applied = new Set(
          (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version),
        );
        for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
          if (applied.has(migration.version)) continue;
          await client.query('BEGIN');
          try {
            await client.query(migration.sql);
            await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
              migration.version,
              migration.name,
              Date.now(),
            ]);
            await client.query('COMMIT');
          } catch (error: unknown) {
            await client.query('ROLLBACK');
            throw error;
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`ocp-gtm-migration-bot:${this.schema}`]);
      }
    } finally {
      client.release();
    }
  }
}

/**
 * Statements with parameters go as named prepared statements: each connection parses and plans one
 * once and then only binds it, which is most of what a short read costs the server. Names come from
 * the text, so the same statement has the same name on every connection. Every such text is a
 * constant of this code (values are always parameters), so the set of names is bounded; the map of
 * names is bounded all the same, beyond which a statement simply goes unnamed.
 */
class PreparedStatements {
  private static readonly MAX_NAMES = 2000;
  private readonly names = new Map<string, string>();

  config(text: string, values: readonly unknown[] | undefined): pg.QueryConfig {
    if (!values || values.length === 0) return { text };
    return { text, values: [...values], ...this.nameOf(text) };
  }

  private nameOf(text: string): { name?: string } {
    const known = this.names.get(text);
    if (known) return { name: known };
    if (this.names.size >= PreparedStatements.MAX_NAMES) return {};
    const name = `s${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    this.names.set(text, name);
    return { name };
  }
}

/**
 * SQLSTATE classes and Node errors that mean the server is not there for us: connection exceptions
 * (08), an administrator's shutdown or a server starting or stopping (57P), too many connections (53300).
 */
const UNAVAILABLE_STATES = /^(08|57P0[1-3]$|53300$)/;
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/** Whether `error` is a lost or refused connection, rather than something the statement did. */
function isUnavailable(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const message = error instanceof Error ? error.message : String(error);
  return (
    UNAVAILABLE_STATES.test(code) ||
    UNAVAILABLE_CODES.has(code) ||
    // pg's own words for a connection that ended, or a pool that could not get one in time.
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message)
  );
}

/** Rethrows a lost or refused connection as StoreUnavailableError, anything else as it is. */
function unavailable(error: unknown): never {
  if (!isUnavailable(error)) throw error;
  const message = error instanceof Error ? error.message : String(error);
  throw new StoreUnavailableError(`PostgreSQL is not available: ${message}`, error);
}

/**
 * A statement that only reads, so that running it twice is the same as once: a SELECT or WITH that
 * writes nothing and calls none of the functions this code calls for their effects.
 */
function isReadOnly(text: string): boolean {
  return (
    /^\s*(SELECT|WITH)\b/i.test(text) &&
    !/\b(INSERT|UPDATE|DELETE|MERGE|nextval|setval|pg_notify|pg_(try_)?advisory\w*)\b/i.test(text)
  );
}

/** The statement broke a unique constraint: a row it would add is there already. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

/** `$1, $2, …` for `count` values, numbered from `from`. */
export function placeholders(count: number, from = 1): string {
  return Array.from({ length: count }, (_, index) => `$${from + index}`).join(', ');
}

/**
 * A statement written once for both stores, in SQLite's words (`?` placeholders, `rowid`), as
 * PostgreSQL takes it: `$1, $2, …` and `ctid`. For statements of this code, which have neither
 * word inside a literal or a name.
 */
export function pgText(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`).replace(/\browid\b/g, 'ctid');
}

/** Host, port and database of a URL, without its credentials, for messages. */
function where(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** Why a connection failed, as PostgreSQL or the network said it. */
function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = String(error.code);
    const reasons: Readonly<Record<string, string>> = {
      ECONNREFUSED: 'the connection was refused (is the server running?)',
      ENOTFOUND: 'the host is not known',
      ETIMEDOUT: 'the connection timed out',
      '28P01': 'the password was refused',
      '28000': 'the user may not connect',
      '3D000': 'the database does not exist',
      '42501': 'the user may not create or use the schema',
    };
    const reason = reasons[code];
    if (reason) return code.startsWith('E') ? reason : `${reason} (${error instanceof Error ? error.message : code})`;
  }
  return error instanceof Error ? error.message : String(error);
}
