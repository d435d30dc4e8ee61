import fs from 'node:fs';
import { openDatabase } from '../../store/sqlite/database';
import { startBotProcess, stopBot, type BotProcess } from '../support/botProcess';
import { temporaryDataDir } from '../support/testApp';
import { waitFor } from '../support/waitFor';

const DAY = 24 * 60 * 60 * 1000;

describe('retention in the running bot', () => {
  let bot: BotProcess | undefined;
  let dataDir: string;
  beforeEach(() => {
    dataDir = temporaryDataDir();
  });
  afterEach(async () => {
    if (bot) await stopBot(bot);
    bot = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('at start, deletes the jobs sent before OUTBOX_RETENTION_DAYS, and keeps the rest', async () => {
    const now = Date.now();
    const db = openDatabase({ location: dataDir });
    const job = db.prepare<[string, string, number, number, number | null]>(
      `INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, state, next_attempt_at, created_at, finished_at)
       VALUES ('certificationCard', ?, 'conversation:c', '{"changeId":1,"conversationKey":"c"}', ?, ?, ?, ?)`,
    );
    const add = (key: string, state: string, createdAt: number, finishedAt: number | null, nextAttemptAt?: number): void => {
      job.run(key, state, nextAttemptAt ?? createdAt, createdAt, finishedAt);
    };
    // Its next attempt is tomorrow: it stays pending while the bot runs.
    add('pending for 9 days', 'pending', now - 9 * DAY, null, now + DAY);
    add('sent 8 days ago', 'delivered', now - 8 * DAY, now - 8 * DAY);
    add('given up 8 days ago', 'failed', now - 8 * DAY, now - 8 * DAY);
    add('sent 6 days ago', 'delivered', now - 6 * DAY, now - 6 * DAY);
    db.close();

    bot = await startBotProcess({ DATA_DIR: dataDir, CERTIFICATION_SIMULATOR: 'off', OUTBOX_RETENTION_DAYS: '7' });
    const running = bot;
    await waitFor(() => running.log.some((entry) => entry.msg === 'deleted what retention keeps no longer'));
    expect(running.log.find((entry) => entry.msg === 'deleted what retention keeps no longer')).toMatchObject({
      pruned: { outbox: 2, certificationChanges: 0, auditEntries: 0, importRuns: 0 },
    });
    await stopBot(running);
    bot = undefined;

    const after = openDatabase({ location: dataDir });
    const left = after.prepare<[], { key: string }>('SELECT dedupe_key AS key FROM outbox ORDER BY id').all();
    after.close();
    expect(left.map((row) => row.key)).toEqual(['pending for 9 days', 'sent 6 days ago']);
  });
});
