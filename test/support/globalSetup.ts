import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { markPostgresAvailable, postgresRequired, probePostgres, testDatabaseUrl } from './postgres';

/**
 * Tests that start the bot as a separate process run what `npm start` runs: the compiled build.
 * Tests of the shared store need PostgreSQL: looked for once here, and required when asked.
 */
export default async function globalSetup(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  const postgres = await probePostgres();
  markPostgresAvailable(postgres.ok);
  if (postgres.ok) return;
  const why = `PostgreSQL at ${testDatabaseUrl()} does not answer (${postgres.reason})`;
  if (postgresRequired()) throw new Error(`${why}, and REQUIRE_POSTGRES=1: the shared store's tests cannot run`);
  process.stderr.write(`\n*** ${why}: the shared store's tests are SKIPPED. Start it, or set TEST_DATABASE_URL. ***\n\n`);
}
