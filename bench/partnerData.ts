import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { once } from 'node:events';
import { NotificationService } from '../domain/notificationService';
import { OfferSync } from '../domain/offerSync';
import { systemClock } from '../domain/ports/clock';
import { readAdminAccess } from '../sources/import/adminAccess';
import { importReportSchema } from '../sources/import/reportSchema';
import { PartnerCenterApis } from '../sources/partnerCenter/catalog';
import { EntraTokens } from '../sources/partnerCenter/entraTokens';
import { ApiClient } from '../sources/partnerCenter/http';
import { openDatabase } from '../store/sqlite/database';
import { SqliteConversationReferences } from '../store/sqlite/sqliteConversationReferences';
import { SqliteNotificationStore } from '../store/sqlite/sqliteNotificationStore';
import { SqliteOfferSync } from '../store/sqlite/sqliteOfferSync';
import { SqlitePartnerData } from '../store/sqlite/sqlitePartnerData';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_TENANT, FakePartnerCenter } from '../test/support/fakePartnerCenter';
import { BotProcess } from './processes';

const DIST = path.resolve(__dirname, '..');

/** Solutions imported by `npm run import` into a stopped store, and through a running bot. */
export const IMPORT_ROUNDS = { commandSolutions: 100_000, liveSolutions: 200_000 } as const;
const PARTNER = 'bench-import';

export interface ImportFigures {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly solutions: number;
}

/** Writes a partner and `solutions` solutions as CSV, the way an OCP GTM export would hold them. */
export async function writeInventory(dir: string, solutions: number): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const partners = path.join(dir, 'partners.csv');
  fs.writeFileSync(partners, `partnerAccountId,name,partnerIds\n${PARTNER},Bench Import,7100001;7100002\n`);
  const file = path.join(dir, 'solutions.csv');
  const out = fs.createWriteStream(file);
  out.write('partnerAccountId,partnerId,ocpSolutionId,name,coSellStatus,openReferrals,collateralDocuments,migratedAsDraft\n');
  for (let index = 0; index < solutions; index++) {
    const line = `${PARTNER},${7100001 + (index % 2)},OCP-${9_000_000 + index},"Bench solution ${index}, ""imported""",coSellReady,${index % 7},${index % 5},${index % 50 === 0}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return [partners, file];
}

/** The import command on `files` into a fresh store, as a process: its time and its peak memory. */
export async function importInventory(dataDir: string, files: readonly string[]): Promise<ImportFigures> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(DIST, 'bench', 'importRun.js'), dataDir, ...files], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  const last = output.trim().split('\n').at(-1) ?? '';
  const result: unknown = JSON.parse(last);
  const peak = typeof result === 'object' && result !== null && 'peakRssMb' in result ? Number(result.peakRssMb) : NaN;
  if (code !== 0) throw new Error(`the import exited with ${code}: ${output.slice(0, 2000)}`);
  const db = openDatabase({ location: dataDir });
  try {
    const row = db
      .prepare<[string], { n: number }>('SELECT count(*) AS n FROM solutions WHERE partner_account_id = ?')
      .get(PARTNER);
    return { seconds, peakRssMb: peak, solutions: row?.n ?? 0 };
  } finally {
    db.close();
  }
}

export interface LiveImportFigures {
  readonly seconds: number;
  /** The longest time between two answers of /healthz, asked every HEALTH_POLL_MS, while the import ran. */
  readonly maxStallMs: number;
  readonly peakRssMb: number;
  readonly solutions: number;
}

const HEALTH_POLL_MS = 20;

/**
 * `solutions` solutions imported through the admin endpoint of a running bot (its SQLite store, as
 * `npm start` runs it), as `npm run import` sends them while the bot holds the store; meanwhile
 * /healthz is asked every 20 ms, and the longest wait between two answers is what a turn would
 * have waited at worst.
 */
export async function importThroughRunningBot(workDir: string, solutions: number): Promise<LiveImportFigures> {
  const files = await writeInventory(path.join(workDir, 'live-inventory'), solutions);
  const dataDir = path.join(workDir, 'live-import');
  const bot = await BotProcess.migrationBot(dataDir, {});
  try {
    const access = readAdminAccess(dataDir);
    if (!access) throw new Error('the bot wrote no admin access');
    const form = new FormData();
    for (const file of files) form.append('file', await fs.openAsBlob(file), path.basename(file));
    const health = pollHealth(bot.url);
    const started = performance.now();
    const response = await fetch(new URL('/api/admin/import', access.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${access.token}` },
      body: form,
    });
    const body: unknown = await response.json();
    const seconds = (performance.now() - started) / 1000;
    const maxStallMs = await health.stop();
    const report = importReportSchema.safeParse(body);
    if (!report.success || !report.data.ok)
      throw new Error(`the import was not taken: HTTP ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
    return { seconds, maxStallMs, peakRssMb: bot.peakRssMb(), solutions: report.data.summary.counts.solutions.added };
  } finally {
    await bot.stop();
  }
}

/** Asks /healthz every HEALTH_POLL_MS, each after the last was answered, until stopped: the longest gap between answers. */
function pollHealth(botUrl: string): { stop(): Promise<number> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL('/healthz', botUrl);
  let running = true;
  let longest = 0;
  const loop = (async () => {
    let last = performance.now();
    while (running) {
      const asked = performance.now();
      const status = await get(url, agent);
      if (status !== 200) throw new Error(`/healthz answered ${status}`);
      const answered = performance.now();
      longest = Math.max(longest, answered - last);
      last = answered;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, HEALTH_POLL_MS - (answered - asked))));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      agent.destroy();
      return longest;
    },
  };
}

function get(url: URL, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      })
      .once('error', reject);
  });
}

export interface SyncFigures {
  readonly seconds: number;
  readonly offers: number;
  readonly requests: number;
}

/** One full sync of `offers` offers against the fake Partner Center with `latencyMs` a request. */
export async function syncOffers(dataDir: string, offers: number, latencyMs: number): Promise<SyncFigures> {
  const fake = await FakePartnerCenter.start({ latencyMs, pageSize: 100 });
  const db = openDatabase({ location: dataDir });
  try {
    db.prepare(
      `INSERT INTO partner_accounts (id, name, partner_ids, cloud_partner_program_active, marketplace_enrolled)
      VALUES (?, 'Bench Sync', '["7200001"]', 1, 1)`,
    ).run('bench-sync');
    for (let index = 0; index < offers; index++) {
      const legacy = index % 2 === 0;
      fake.addProduct({
        api: legacy ? 'partnerIngestion' : 'productIngestion',
        offerId: `offer-${index}`,
        name: `Bench offer ${index}`,
        type: legacy ? 'AzureApplication' : 'softwareAsAService',
        state: index % 3 === 0 ? 'live' : 'inCertification',
      });
    }
    const credentials = {
      authorityUrl: fake.url,
      tenantId: FAKE_TENANT,
      clientId: FAKE_CLIENT_ID,
      clientSecret: FAKE_CLIENT_SECRET,
    };
    const client = (): ApiClient =>
      new ApiClient(new EntraTokens(credentials, `${fake.url}/.default`, 10_000), { timeoutMs: 10_000 });
    const store = new SqliteOfferSync(db);
    const partners = new SqlitePartnerData(db);
    const notifications = new NotificationService({
      store: new SqliteNotificationStore(db, { jobsQueued: () => undefined }),
      references: new SqliteConversationReferences(db),
      partners,
      clock: systemClock,
    });
    const catalog = new PartnerCenterApis({
      productIngestionUrl: `${fake.url}/rp/product-ingestion`,
      partnerIngestionUrl: `${fake.url}/v1.0/ingestion`,
      productIngestion: client(),
      partnerIngestion: client(),
    });
    const sync = new OfferSync(
      { catalog, store, notifications, partners, clock: systemClock },
      { partnerAccountId: 'bench-sync' },
    );
    const started = performance.now();
    const outcome = await sync.run();
    const seconds = (performance.now() - started) / 1000;
    if (!outcome.ok) throw new Error(`the sync failed: ${outcome.error}`);
    if (outcome.read !== offers || outcome.failures.length > 0)
      throw new Error(`the sync read ${outcome.read} of ${offers} offers`);
    return { seconds, offers: outcome.read, requests: fake.requests.token + fake.requests.products + fake.requests.submissions };
  } finally {
    db.close();
    await fake.close();
  }
}
