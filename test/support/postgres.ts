import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgDatabase } from '../../store/postgres/database';

/**
 * The PostgreSQL the tests use: TEST_DATABASE_URL, or the machine's own on 127.0.0.1:5432. The
 * global setup looks for it once and says here whether it answered (TEST_POSTGRES); tests that
 * need it run only then. REQUIRE_POSTGRES=1 (set by .ci/run) makes a missing database fail the run
 * instead of skipping them. Read here, in test support: these are the tests' knobs, not the bot's.
 */
export function testDatabaseUrl(): string {
  // eslint-disable-next-line no-restricted-properties -- the tests' own database, not a bot setting (see above)
  return process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
}

export function postgresRequired(): boolean {
  // eslint-disable-next-line no-restricted-properties -- see above
  return process.env.REQUIRE_POSTGRES === '1';
}

/** Whether the global setup found the tests' database; set there, read by every test file. */
export function postgresAvailable(): boolean {
  // eslint-disable-next-line no-restricted-properties -- set by the global setup, see above
  return process.env.TEST_POSTGRES === '1';
}

export function markPostgresAvailable(available: boolean): void {
  // eslint-disable-next-line no-restricted-properties -- handed from the global setup to the test workers
  process.env.TEST_POSTGRES = available ? '1' : '0';
}

/** Whether the tests' database answers, and why not when it does not. */
export async function probePostgres(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const url = new URL(testDatabaseUrl());
  if (url.username === '') url.username = (await import('node:os')).userInfo().username;
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true };
  } catch (error: unknown) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema of its own for a test: made with the bot's tables, and dropped after. */
export class TestSchema {
  private constructor(
    readonly name: string,
    readonly db: PgDatabase,
  ) {}

  static async create(): Promise<TestSchema> {
    const name = `test_${randomBytes(6).toString('hex')}`;
    return new TestSchema(name, await PgDatabase.open({ url: testDatabaseUrl(), schema: name, poolSize: 4 }));
  }

  /** The settings that point a bot process at this schema. */
  settings(): Record<string, string> {
    return { DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: this.name };
  }

  /** Drops the schema, then closes the pool, or whatever holds it (stores made on it close it with theirs). */
  async drop(close: () => Promise<void> = () => this.db.close()): Promise<void> {
    await this.db.query(`DROP SCHEMA ${this.name} CASCADE`);
    await close();
  }
}

/** `describe`, or a skipped one with the reason, for what needs the tests' database. */
export function describeWithPostgres(name: string, body: () => void): void {
  if (postgresAvailable()) describe(name, body);
  else describe.skip(`${name} (no PostgreSQL at ${testDatabaseUrl()})`, body);
}
