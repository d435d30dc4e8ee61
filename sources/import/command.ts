import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../../domain/ports/clock';
import type { Telemetry } from '../../domain/ports/telemetry';
import { DatabaseUnavailableError, PgDatabase } from '../../store/postgres/database';
import { PgInventory } from '../../store/postgres/pgInventory';
import { openDatabase, StoreInUseError } from '../../store/sqlite/database';
import { SqliteInventory } from '../../store/sqlite/sqliteInventory';
import { readAdminAccess, type AdminAccess } from './adminAccess';
import type { ImportFile } from './files';
import { InventoryImporter, type ImportProgress, type ImportReport } from './importer';
import { reportLines } from './report';
import { importReportSchema } from './reportSchema';

const USAGE = 'usage: npm run import -- FILE... [--dry-run]';

/** Where the command imports into, and what file arguments are relative to. */
export interface ImportCommandSettings {
  readonly dataDir: string;
  /** The shared store, which the command imports into itself, whatever instances are running. */
  readonly database?: { readonly url: string; readonly schema: string };
  readonly invocationDirectory: string;
  /** Where an import the command runs itself is recorded. */
  readonly telemetry?: Telemetry;
}

/**
 * npm run import -- FILE... [--dry-run]: loads partner data into the store: the shared one when
 * DATABASE_URL names it, else the one DATA_DIR names. When a running bot holds that embedded store,
 * the files go to the bot's admin endpoint instead, and the bot imports them. Exit 0 when imported (or, dry, importable), 1 when any row is refused, 2 when the
 * command could not run.
 */
export async function runImportCommand(args: readonly string[], settings: ImportCommandSettings): Promise<number> {
  const dryRun = args.includes('--dry-run');
  const unknownOption = args.find((arg) => arg.startsWith('--') && arg !== '--dry-run');
  const names = args.filter((arg) => !arg.startsWith('--'));
  if (unknownOption !== undefined || names.length === 0) {
    process.stderr.write(`${unknownOption ? `unknown option ${unknownOption}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const files = names.map((name): ImportFile => ({ path: path.resolve(settings.invocationDirectory, name), name }));
  const report = settings.database
    ? await importIntoShared(settings.database, files, dryRun, settings.telemetry)
    : await importInto(settings.dataDir, files, dryRun, settings.telemetry);
  if (!report) return 2;
  process.stdout.write(`${reportLines(report).join('\n')}\n`);
  return report.ok ? 0 : 1;
}

async function importInto(
  dataDir: string,
  files: readonly ImportFile[],
  dryRun: boolean,
  telemetry?: Telemetry,
): Promise<ImportReport | undefined> {
  let db;
  try {
    // A short wait: a store that stays busy is held by a running bot, which takes the files itself.
    // Held until the import is done: it is applied in batches, and a bot started between two of them must not take the store.
    db = openDatabase({ location: dataDir, busyTimeoutMs: 200, exclusive: true });
  } catch (error: unknown) {
    if (!(error instanceof StoreInUseError)) throw error;
    const access = readAdminAccess(dataDir);
    if (!access) {
      process.stderr.write(`${error.message}, and it says nowhere where to send an import. Stop it, or start it again.\n`);
      return undefined;
    }
    process.stderr.write(`A running bot holds the store; importing through it at ${access.url}\n`);
    return importThroughBot(access, files, dryRun);
  }
  try {
    const inventory = new SqliteInventory(db);
    // Held exclusively here, the store has no import under way: one left applying was stopped.
    for (const run of await inventory.markInterruptedRuns()) {
      process.stderr.write(
        `An import of ${run.files.join(', ')} on ${run.at.toISOString()} stopped while it was applied: the rows of its first batches are in the store.\n`,
      );
    }
    const importer = new InventoryImporter(inventory, systemClock, telemetry);
    return await importer.run(files, { dryRun, actor: 'npm run import', onProgress: progressLine() });
  } finally {
    db.close();
  }
}

/** Into PostgreSQL directly: instances of the bot see what it applies as soon as it commits. */
async function importIntoShared(
  database: NonNullable<ImportCommandSettings['database']>,
  files: readonly ImportFile[],
  dryRun: boolean,
  telemetry?: Telemetry,
): Promise<ImportReport | undefined> {
  let db: PgDatabase;
  try {
    db = await PgDatabase.open({ url: database.url, schema: database.schema, poolSize: 2 });
  } catch (error: unknown) {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return undefined;
  }
  try {
    const importer = new InventoryImporter(new PgInventory(db), systemClock, telemetry);
    return await importer.run(files, { dryRun, actor: 'npm run import', onProgress: progressLine() });
  } finally {
    await db.close();
  }
}

/** The files as one multipart upload, streamed from disk. */
async function importThroughBot(
  access: AdminAccess,
  files: readonly ImportFile[],
  dryRun: boolean,
): Promise<ImportReport | undefined> {
  const form = new FormData();
  for (const file of files) {
    if (!fs.existsSync(file.path)) {
      process.stderr.write(`${file.name}: no such file\n`);
      return undefined;
    }
    form.append('file', await fs.openAsBlob(file.path), file.name);
  }
  const url = new URL('/api/admin/import', access.url);
  if (dryRun) url.searchParams.set('dryRun', 'true');
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${access.token}` }, body: form });
  const body: unknown = await response.json().catch(() => undefined);
  const report = importReportSchema.safeParse(body);
  if (!response.ok || !report.success) {
    process.stderr.write(`The bot did not take the import: HTTP ${response.status} ${JSON.stringify(body ?? '')}\n`);
    return undefined;
  }
  return report.data;
}

/** A line that counts the rows as they are checked, on a terminal only. */
function progressLine(): ((progress: ImportProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (progress) => {
    const now = Date.now();
    if (progress.phase === 'checking' && now - last < 200) return;
    last = now;
    const verb = progress.phase === 'checking' ? 'Checked' : 'Applying';
    process.stderr.write(`\r${verb} ${progress.rows.toLocaleString('en-US')} rows…${progress.phase === 'applying' ? '\n' : ''}`);
  };
}
