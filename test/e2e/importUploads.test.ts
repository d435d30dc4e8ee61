import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../store/sqlite/database';
import { killHard, startBotProcess, type BotProcess } from '../support/botProcess';
import type { AdminAccess } from '../../sources/import/adminAccess';
import {
  adminAccessOf,
  healthOf,
  type Answer,
  multipartBody,
  partHead,
  postImport,
  rawImport,
  uploadsIn,
  writeSolutionsCsv,
} from '../support/importUploads';
import { temporaryDataDir } from '../support/testApp';
import { waitFor } from '../support/waitFor';

const PARTNERS = 'partnerAccountId,name,partnerIds\nbulk,Bulk,7100001\n';
const SOLUTIONS = 'partnerAccountId,partnerId,ocpSolutionId,name\nbulk,7100001,OCP-1,One\nbulk,7100001,OCP-2,Two\n';
const MAX_BYTES = 300_000;

/** The bot with a umask that leaves every bit on: what it makes private, it makes private itself. */
async function startWideOpen(env: Record<string, string>): Promise<BotProcess> {
  const umask = process.umask(0);
  try {
    return await startBotProcess(env);
  } finally {
    process.umask(umask);
  }
}

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe('the admin endpoint: uploads and their limits', () => {
  let bot: BotProcess;
  let dataDir: string;
  let files: string;
  let access: AdminAccess;

  beforeAll(async () => {
    dataDir = temporaryDataDir();
    files = temporaryDataDir();
    bot = await startWideOpen({
      DATA_DIR: dataDir,
      DEMO_DATA: 'off',
      CERTIFICATION_SIMULATOR: 'off',
      IMPORT_MAX_BYTES: String(MAX_BYTES),
    });
    access = adminAccessOf(dataDir);
  });
  afterAll(async () => {
    await killHard(bot);
  });
  afterEach(async () => {
    // However an import ends, its upload is gone by the time it is answered, and every write of it was awaited.
    expect(uploadsIn(dataDir)).toEqual([]);
    expect(await healthOf(bot.url)).toBe(200);
    expect(bot.log.filter((entry) => entry.msg === 'unhandled promise rejection')).toEqual([]);
  });

  test('an upload is private while it is received, whatever the umask, and gone once its client goes away mid-file', async () => {
    const slow = rawImport(access);
    slow.answer.catch(() => undefined);
    slow.request.write(`${partHead('solutions.csv')}${SOLUTIONS}`);
    await waitFor(() => uploadsIn(dataDir).some((folder) => fs.existsSync(path.join(dataDir, 'uploads', folder, '0.csv'))));
    const [folder = ''] = uploadsIn(dataDir);
    expect([
      modeOf(path.join(dataDir, 'uploads')),
      modeOf(path.join(dataDir, 'uploads', folder)),
      modeOf(path.join(dataDir, 'uploads', folder, '0.csv')),
    ]).toEqual([0o700, 0o700, 0o600]);
    slow.request.destroy();
    await waitFor(() => uploadsIn(dataDir).length === 0);
  });

  test.each<[string, Readonly<Record<string, string>>, () => Buffer, Answer]>([
    [
      'a body that ends in the middle of its file',
      {},
      () => Buffer.from(`${partHead('solutions.csv')}${SOLUTIONS.slice(0, 40)}`),
      { status: 400, body: { error: 'BadRequest', problems: ['the upload could not be read: Unexpected end of form'] } },
    ],
    [
      'files larger than IMPORT_MAX_BYTES together, each below it',
      {},
      () => multipartBody({ 'a.csv': 'x'.repeat(120_000), 'b.csv': 'x'.repeat(120_000), 'c.csv': 'x'.repeat(120_000) }),
      {
        status: 413,
        body: { error: 'PayloadTooLarge', problems: ['the files of an import are larger than 300,000 bytes in all'] },
      },
    ],
    [
      'a compressed body, which inflates to 64 MiB',
      { 'content-encoding': 'gzip' },
      () => gzipSync(multipartBody({ 'solutions.csv': Buffer.alloc(64 * 1024 * 1024, 0x61) })),
      {
        status: 415,
        body: {
          error: 'UnsupportedMediaType',
          problems: ['the upload must not be encoded (Content-Encoding: gzip); send the files as they are'],
        },
      },
    ],
  ])('%s is refused', async (_label, headers, body, expected) => {
    const bytes = body();
    const upload = rawImport(access, { ...headers, 'content-length': String(bytes.length) });
    upload.request.end(bytes);
    expect(await upload.answer).toEqual(expected);
  });

  test('rows with bytes that are not UTF-8 are refused with their lines, in JSON and in CSV', async () => {
    const csv = path.join(files, 'solutions.csv');
    fs.writeFileSync(
      csv,
      Buffer.concat([Buffer.from(`${SOLUTIONS}bulk,7100001,OCP-3,Thr`), Buffer.from([0xff]), Buffer.from('ee\n')]),
    );
    const json = path.join(files, 'partners.json');
    fs.writeFileSync(
      json,
      Buffer.concat([
        Buffer.from('{\n  "partners": [\n    { "partnerAccountId": "bulk", "name": "Bulk", "partnerIds": ["7100001"] },\n'),
        Buffer.from('    {\n      "partnerAccountId": "other",\n      "name": "B'),
        Buffer.from([0xc0, 0xaf]),
        Buffer.from('ad",\n      "partnerIds": ["7100002"]\n    }\n  ]\n}\n'),
      ]),
    );
    expect(await postImport(access, [json, csv])).toMatchObject({
      status: 200,
      body: {
        ok: false,
        problemCount: 2,
        problems: [
          { file: 'partners.json', line: 4, column: 'name', reason: 'is not valid UTF-8' },
          { file: 'solutions.csv', line: 4, column: 'name', reason: 'is not valid UTF-8' },
        ],
      },
    });
  });

  test('a dry run writes nothing, and the import then lands', async () => {
    const partners = path.join(files, 'partners.csv');
    const solutions = path.join(files, 'solutions.csv');
    fs.writeFileSync(partners, PARTNERS);
    fs.writeFileSync(solutions, SOLUTIONS);
    const counts = { partners: { added: 1 }, solutions: { added: 2 } };
    expect(await postImport(access, [partners, solutions], { dryRun: true })).toMatchObject({
      status: 200,
      body: { ok: true, dryRun: true, summary: { counts } },
    });
    expect(await postImport(access, [partners, solutions])).toMatchObject({
      status: 200,
      body: { ok: true, summary: { counts } },
    });
    expect(bot.log.filter((entry) => entry.msg === 'unhandled promise rejection')).toEqual([]);
  });
});

describe('uploads and runs a stopped bot left', () => {
  let bot: BotProcess | undefined;
  afterEach(async () => {
    if (bot) await killHard(bot);
    bot = undefined;
  });

  test('a crash while an import is applied: the next start says so, removes its upload and not a live instance’s, and the import again finishes it', async () => {
    const dataDir = temporaryDataDir();
    const files = temporaryDataDir();
    const rows = 40_000;
    const partners = path.join(files, 'partners.csv');
    fs.writeFileSync(partners, PARTNERS);
    const solutions = await writeSolutionsCsv(path.join(files, 'solutions.csv'), rows);
    // Another instance sharing DATA_DIR (the shared store's do) is importing: this test's own process stands for it.
    const uploads = path.join(dataDir, 'uploads');
    const live = `${encodeURIComponent(os.hostname())}+${process.pid}+live-instance`;
    fs.mkdirSync(path.join(uploads, live), { recursive: true });
    fs.writeFileSync(path.join(uploads, live, '0.csv'), SOLUTIONS);
    const env = { DATA_DIR: dataDir, DEMO_DATA: 'off', CERTIFICATION_SIMULATOR: 'off' };

    bot = await startBotProcess(env);
    const crashed = bot;
    const answered = postImport(adminAccessOf(dataDir), [partners, solutions]).catch(() => 'no answer');
    await waitFor(() => crashed.log.some((entry) => entry.msg === 'inventory import checked, applying'), 30_000);
    // Killed once batches were committed (the write-ahead log grows with each), long before the last.
    const wal = path.join(dataDir, `${DATABASE_FILE}-wal`);
    const walAtApply = fs.statSync(wal).size;
    await waitFor(() => fs.statSync(wal).size > walAtApply + 512 * 1024, 30_000);
    await killHard(crashed);
    bot = undefined;
    expect(await answered).toBe('no answer');
    const left = storeRows(dataDir);
    expect(left.runs).toEqual([{ state: 'applying' }]);
    // Killed between batches: some of them are in the store, not all.
    expect(left.solutions).toBeGreaterThan(0);
    expect(left.solutions).toBeLessThan(rows);
    const crashedUpload = uploadsIn(dataDir).filter((folder) => folder !== live);
    expect(crashedUpload).toEqual([expect.stringContaining(`+${crashed.child.pid}+`)]);

    bot = await startBotProcess(env);
    expect(bot.log).toContainEqual(
      expect.objectContaining({
        msg: 'an import stopped while it was applied: the rows of the batches it had committed are in the store; run it again to apply the rest',
        files: ['partners.csv', 'solutions.csv'],
      }),
    );
    expect(uploadsIn(dataDir)).toEqual([live]);
    expect(await postImport(adminAccessOf(dataDir), [partners, solutions])).toMatchObject({
      status: 200,
      body: { ok: true, summary: { counts: { solutions: { added: rows - left.solutions, unchanged: left.solutions } } } },
    });
    await killHard(bot);
    bot = undefined;
    expect(storeRows(dataDir)).toEqual({ solutions: rows, runs: [{ state: 'interrupted' }, { state: 'done' }] });
  }, 60_000);

  test('a stopped process of this host leaves uploads that the next start removes; one older than a day goes whoever left it', async () => {
    const dataDir = temporaryDataDir();
    const uploads = path.join(dataDir, 'uploads');
    const gone = spawn(process.execPath, ['-e', '']);
    await once(gone, 'exit');
    const leftovers = [
      `${encodeURIComponent(os.hostname())}+${gone.pid}+gone`,
      `${encodeURIComponent('another-host.example')}+${process.pid}+old`,
      'an-upload-of-an-older-version',
    ];
    const kept = `${encodeURIComponent('another-host.example')}+1+recent`;
    for (const folder of [...leftovers, kept]) fs.mkdirSync(path.join(uploads, folder), { recursive: true });
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    for (const folder of leftovers.slice(1)) fs.utimesSync(path.join(uploads, folder), dayAgo, dayAgo);

    bot = await startBotProcess({ DATA_DIR: dataDir, DEMO_DATA: 'off', CERTIFICATION_SIMULATOR: 'off' });
    expect(uploadsIn(dataDir)).toEqual([kept]);
    expect(bot.log).toContainEqual(expect.objectContaining({ msg: 'removed the import uploads a stopped process left' }));
  });
});

/** What the store holds, read while no bot holds it (after a crash too: opening it recovers its journal, as a start would). */
function storeRows(dataDir: string): { solutions: number; runs: { state: string }[] } {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { fileMustExist: true });
  try {
    const solutions = db
      .prepare<[], { n: number }>("SELECT count(*) AS n FROM solutions WHERE partner_account_id = 'bulk'")
      .get();
    const runs = db.prepare<[], { state: string }>('SELECT state FROM import_runs ORDER BY id').all();
    return { solutions: solutions?.n ?? 0, runs };
  } finally {
    db.close();
  }
}
