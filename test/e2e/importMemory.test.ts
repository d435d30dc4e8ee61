import fs from 'node:fs';
import path from 'node:path';
import { startBotProcess, type BotProcess } from '../support/botProcess';
import { adminAccessOf, healthOf, postImport, uploadsIn, writeInventoryJson, writeSolutionsCsv } from '../support/importUploads';
import { temporaryDataDir } from '../support/testApp';

/**
 * A heap below what the imports below take held whole (the bot itself holds some 55 MB of it);
 * `npm start` gives the bot 256 MB. Held whole, each of them ran this bot out of memory.
 */
const HEAP_MB = 112;
const CSV_ROWS = 70_000;
const JSON_ROWS = 150_000;
/** An import of these sizes takes some seconds on a busy machine. */
const IMPORT_TIMEOUT_MS = 60_000;

/**
 * Imports much larger than the bot's heap, through its admin endpoint: a refused one whose
 * problems would fill the heap, and a JSON document that would, parsed whole. The bot lives, stays
 * healthy, and answers each with its report.
 */
describe(`imports larger than a ${HEAP_MB} MB heap can hold`, () => {
  let bot: BotProcess;
  let dataDir: string;
  let files: string;

  beforeAll(async () => {
    dataDir = temporaryDataDir();
    files = temporaryDataDir();
    bot = await startBotProcess({ DATA_DIR: dataDir, DEMO_DATA: 'off', CERTIFICATION_SIMULATOR: 'off' }, [
      `--max-old-space-size=${HEAP_MB}`,
    ]);
  });
  afterAll(async () => {
    bot.child.kill('SIGTERM');
    await bot.exited;
  });

  test(
    'three CSV files repeating the same rows: refused with the first 1,000 problems and their count',
    async () => {
      const partners = path.join(files, 'partners.csv');
      fs.writeFileSync(partners, 'partnerAccountId,name,partnerIds\nbulk,Bulk,7100001\n');
      const solutions = await writeSolutionsCsv(path.join(files, 'solutions-1.csv'), CSV_ROWS);
      for (const copy of ['solutions-2.csv', 'solutions-3.csv']) fs.copyFileSync(solutions, path.join(files, copy));

      const answer = await postImport(adminAccessOf(dataDir), [
        partners,
        ...['solutions-1.csv', 'solutions-2.csv', 'solutions-3.csv'].map((name) => path.join(files, name)),
      ]);
      expect(answer).toMatchObject({
        status: 200,
        body: { ok: false, problemCount: 2 * CSV_ROWS, read: { solutions: { rows: 3 * CSV_ROWS, refused: 2 * CSV_ROWS } } },
      });
      const problems = (answer.body as { problems: unknown[] }).problems;
      expect(problems).toHaveLength(1000);
      expect(problems[0]).toEqual({
        file: 'solutions-2.csv',
        line: 2,
        column: 'ocpSolutionId',
        reason: 'OCP-9000000 is listed twice (first at solutions-1.csv:2)',
      });
      expect(await healthOf(bot.url)).toBe(200);
      expect(uploadsIn(dataDir)).toEqual([]);
    },
    IMPORT_TIMEOUT_MS,
  );

  test(
    'a JSON document is streamed and imported',
    async () => {
      const inventory = await writeInventoryJson(path.join(files, 'inventory.json'), JSON_ROWS);
      expect(fs.statSync(inventory).size).toBeGreaterThan(30 * 1024 * 1024);
      expect(await postImport(adminAccessOf(dataDir), [inventory])).toMatchObject({
        status: 200,
        body: { ok: true, dryRun: false, summary: { counts: { partners: { added: 1 }, solutions: { added: JSON_ROWS } } } },
      });
      expect(await healthOf(bot.url)).toBe(200);
      expect(uploadsIn(dataDir)).toEqual([]);
      expect(bot.log.filter((entry) => Number(entry.level) >= 50)).toEqual([]);
    },
    IMPORT_TIMEOUT_MS,
  );
});
