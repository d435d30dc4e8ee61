import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { NotificationService } from '../domain/notificationService';
import { OfferSync } from '../domain/offerSync';
import { systemClock } from '../domain/ports/clock';
import { PartnerCenterApis } from '../sources/partnerCenter/catalog';
import { EntraTokens } from '../sources/partnerCenter/entraTokens';
import { ApiClient } from '../sources/partnerCenter/http';
import { openDatabase } from '../store/sqlite/database';
import { SqliteConversationReferences } from '../store/sqlite/sqliteConversationReferences';
import { SqliteNotificationStore } from '../store/sqlite/sqliteNotificationStore';
import { SqliteOfferSync } from '../store/sqlite/sqliteOfferSync';
import { SqlitePartnerData } from '../store/sqlite/sqlitePartnerData';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_TENANT, FakePartnerCenter } from '../test/support/fakePartnerCenter';

const DIST = path.resolve(__dirname, '..');
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
