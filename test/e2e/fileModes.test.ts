import fs from 'node:fs';
import path from 'node:path';
import { startBotProcess, stopBot, type BotProcess } from '../support/botProcess';
import { temporaryDataDir } from '../support/testApp';

/** Permission bits of what is in `dir`, and of `dir` itself as '.', by name. */
function modes(dir: string): Record<string, string> {
  const entries = fs.readdirSync(dir).map((name): [string, string] => [name, mode(path.join(dir, name))]);
  return Object.fromEntries([['.', mode(dir)], ...entries]);
}

function mode(target: string): string {
  return (fs.statSync(target).mode & 0o777).toString(8).padStart(4, '0');
}

/** Starts the bot with `umask` for this process and so for the bot, as a service manager's own umask would be. */
async function startWithUmask(umask: number, env: Record<string, string>): Promise<BotProcess> {
  const before = process.umask(umask);
  try {
    return await startBotProcess(env);
  } finally {
    process.umask(before);
  }
}

/**
 * Partner data, members, dialog state, conversation references and the admin token: readable by the
 * bot's user alone, whatever the umask it was started with, and whatever an earlier version left.
 */
describe('the files of the bot are its own', () => {
  let bot: BotProcess | undefined;
  afterEach(async () => {
    if (bot && bot.child.exitCode === null) await stopBot(bot);
    bot = undefined;
  });

  test.each<[string, number]>([
    ['a umask that takes nothing away', 0o000],
    ['the common umask', 0o022],
  ])('with %s: the folder 0700, the store and the admin access 0600', async (_label, umask) => {
    const dataDir = path.join(temporaryDataDir(), 'data');
    bot = await startWithUmask(umask, { DATA_DIR: dataDir, CERTIFICATION_SIMULATOR: 'off' });
    const running = modes(dataDir);
    expect(running['.']).toBe('0700');
    expect(Object.keys(running)).toEqual(expect.arrayContaining(['migration-bot.sqlite', 'admin.json']));
    for (const [name, bits] of Object.entries(running)) if (name !== '.') expect([name, bits]).toEqual([name, '0600']);
  });

  test('a folder and store an earlier version left readable by all are made private at start', async () => {
    const dataDir = path.join(temporaryDataDir(), 'data');
    bot = await startWithUmask(0o022, { DATA_DIR: dataDir, CERTIFICATION_SIMULATOR: 'off' });
    expect(await stopBot(bot)).toBe(0);
    fs.chmodSync(dataDir, 0o755);
    for (const name of fs.readdirSync(dataDir)) fs.chmodSync(path.join(dataDir, name), 0o644);
    fs.writeFileSync(path.join(dataDir, 'migration-bot.sqlite-wal'), '');
    fs.chmodSync(path.join(dataDir, 'migration-bot.sqlite-wal'), 0o644);

    bot = await startWithUmask(0o022, { DATA_DIR: dataDir, CERTIFICATION_SIMULATOR: 'off' });
    const running = modes(dataDir);
    expect(running['.']).toBe('0700');
    for (const [name, bits] of Object.entries(running)) if (name !== '.') expect([name, bits]).toEqual([name, '0600']);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });
});
