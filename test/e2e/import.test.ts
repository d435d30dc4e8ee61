import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Conversation, onlyCard, texts } from '../support/botClient';
import { startBotProcess, type BotProcess } from '../support/botProcess';
import { textOf } from '../support/cards';
import { LoopbackConnector } from '../support/loopbackConnector';
import { temporaryDataDir } from '../support/testApp';
import { openDatabase } from '../../store/sqlite/database';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'sources/import/examples');
const EXAMPLE_CSV = ['partners.csv', 'members.csv', 'offers.csv', 'solutions.csv'].map((name) => path.join(EXAMPLES, name));

interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run import` as a user runs it, without the build step the tests' setup did already. */
function runImport(dataDir: string, args: readonly string[]): Promise<CommandResult> {
  const child = spawn(process.execPath, ['dist/scripts/import.js', ...args], {
    cwd: ROOT,
    env: { DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run import', () => {
  let bot: BotProcess | undefined;
  let connector: LoopbackConnector | undefined;
  afterEach(async () => {
    bot?.child.kill('SIGTERM');
    await bot?.exited;
    bot = undefined;
    await connector?.close();
    connector = undefined;
  });

  test('into a stopped store: imports, says nothing changed the second time, refuses a bad file with its problems', async () => {
    const dataDir = temporaryDataDir();
    const first = await runImport(dataDir, EXAMPLE_CSV);
    expect(first).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/solutions\s+4\s+0\s+0\s+0\s+0\nImported\.|Imported\./),
    });
    const second = await runImport(dataDir, [...EXAMPLE_CSV, '--dry-run']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Nothing changed: the store already holds these rows as they are in the files.');

    const bad = path.join(dataDir, 'members-bad.csv');
    fs.writeFileSync(bad, 'partnerAccountId,userId,displayName,role\nfabrikam,u9,New Person,admin\n');
    const refused = await runImport(dataDir, [bad]);
    expect(refused.code).toBe(1);
    expect(refused.stdout.split('\n')[0]).toBe(
      `${bad}:2: role: must be one of owner, manager, developer, businessContributor, financialContributor, marketer`,
    );
    expect(refused.stdout).toContain('Nothing was imported: 1 problem in 1 row.');
  });

  test('into a stopped store that a stopped import left applying: says so, marks it interrupted, and imports', async () => {
    const dataDir = temporaryDataDir();
    expect((await runImport(dataDir, EXAMPLE_CSV)).code).toBe(0);
    const db = openDatabase({ location: dataDir });
    db.exec("UPDATE import_runs SET state = 'applying'");
    db.close();
    const again = await runImport(dataDir, EXAMPLE_CSV);
    expect(again).toMatchObject({ code: 0, stderr: expect.stringContaining('stopped while it was applied') });
    const after = openDatabase({ location: dataDir });
    expect(after.prepare('SELECT state FROM import_runs ORDER BY id').all()).toEqual([
      { state: 'interrupted' },
      { state: 'done' },
    ]);
    after.close();
  });

  test('without files, or with an option it does not know, it says how to use it', async () => {
    const dataDir = temporaryDataDir();
    expect(await runImport(dataDir, [])).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run import') });
    expect(await runImport(dataDir, ['--force', 'x.csv'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown option --force'),
    });
  });

  test('while the bot runs with demo data off: the files go through the bot, whose imported Manager lists them and a stranger is refused', async () => {
    const dataDir = temporaryDataDir();
    connector = await LoopbackConnector.start();
    bot = await startBotProcess({ DATA_DIR: dataDir, DEMO_DATA: 'off', CERTIFICATION_SIMULATOR: 'off' });
    const stranger = new Conversation(bot.url, connector, { userId: 'someone-new' });
    expect(texts(await stranger.say('solutions'))).toEqual([expect.stringMatching(/not registered/i)]);

    const imported = await runImport(dataDir, EXAMPLE_CSV);
    expect(imported.stderr).toContain('A running bot holds the store; importing through it');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported.');
    expect(fs.readdirSync(path.join(dataDir, 'uploads'))).toEqual([]);

    const manager = new Conversation(bot.url, connector, { userId: 'kim.minji@fabrikam.example' });
    const list = textOf(onlyCard(await manager.say('solutions')).card);
    expect(list).toMatch(/Fabrikam, Inc\./);
    for (const name of [
      'Fabrikam Route Optimizer',
      'Fabrikam Insights, "Retail" edition',
      '패브리캄 스마트 팩토리',
      'Fabrikam Legacy Connector',
    ]) {
      expect(list).toContain(name);
    }
    expect(texts(await stranger.say('solutions'))).toEqual([expect.stringMatching(/not registered/i)]);
    expect((await runImport(dataDir, EXAMPLE_CSV)).stdout).toContain('Nothing changed');
  });
});
