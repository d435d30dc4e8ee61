import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { startBotProcess, stopBot, type BotProcess } from '../support/botProcess';
import { cardsOf } from '../support/cards';
import { LocalOpenIdProvider, channelClaims, signToken } from '../support/localIdentity';
import { LocalManagedIdentity } from '../support/localManagedIdentity';
import { LoopbackConnector } from '../support/loopbackConnector';
import {
  APP_ID,
  IDENTITY_TENANT_ID,
  NOTIFY_TOKEN,
  managedIdentityEnv,
  personalMessage,
  postActivity,
  seededDataDir,
} from '../support/productionBot';
import { appCommandLine, webAppNodeMajor, webAppSettings } from '../support/webAppSettings';
import { zipRecords } from '../support/zipReader';

/**
 * npm run bundle's build/bot.zip as the Web App gets it: unzipped into an empty directory and
 * started there with nothing but `node` and the Web App's settings (infra/appSettings.json and what
 * webApp.bicep adds), the identity, the channel's keys and the connector on loopback.
 */
const ROOT = path.resolve(__dirname, '..', '..');
/** npm ci of the production tree builds SQLite from source: minutes on two busy cores. */
const BUNDLE_TIMEOUT_MS = 15 * 60_000;
const CONNECTOR_RESOURCE = 'https://api.botframework.test';
const ADMIN_TOKEN = 'local-admin-token-for-the-bundle-test-0123456789';
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The bundle script as `npm run bundle` runs it once built (the tests' global setup built dist/), writing to `out`. */
function runBundle(out: string): Promise<Run> {
  const child = spawn(process.execPath, ['dist/scripts/bundle.js', '--out', out], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Extracted {
  readonly name: string;
  readonly mode: number;
  readonly dosDateTime: number;
}

/** A name that stays inside the directory it is unzipped into. */
function isRelativeName(name: string): boolean {
  return name !== '' && !name.startsWith('/') && !name.includes('\\') && !name.split('/').includes('..');
}

/** Writes every entry under `dir` with its mode, as App Service's mount shows them; refuses a name that would leave it. */
function extract(archive: Buffer, dir: string): Extracted[] {
  const extracted: Extracted[] = [];
  for (const { name, data, mode, dosDateTime } of zipRecords(archive)) {
    if (!isRelativeName(name)) throw new Error(`the archive names ${name}, outside the directory it is unzipped into`);
    const target = path.join(dir, name);
    if (name.endsWith('/')) fs.mkdirSync(target, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, data);
      fs.chmodSync(target, mode & 0o777);
    }
    extracted.push({ name, mode, dosDateTime });
  }
  return extracted;
}

/** The folders of installed packages: node_modules/<name>, nested ones included, each with its package.json. */
function installedPackages(names: readonly string[]): Set<string> {
  const folder = /^node_modules\/(?:@[^/]+\/)?[^/]+(?:\/node_modules\/(?:@[^/]+\/)?[^/]+)*$/;
  return new Set(
    names
      .flatMap((name) => (name.endsWith('/package.json') ? [name.slice(0, -'/package.json'.length)] : []))
      .filter((dir) => folder.test(dir)),
  );
}

const lockSchema = z.object({
  packages: z.record(z.string(), z.object({ dev: z.boolean().optional(), optional: z.boolean().optional() })),
});

function repositoryPackage() {
  return z
    .object({ dependencies: z.record(z.string(), z.string()), devDependencies: z.record(z.string(), z.string()) })
    .parse(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')));
}

const bundlePackageSchema = z.object({
  main: z.string(),
  engines: z.object({ node: z.string() }),
  bundle: z.object({ node: z.string(), abi: z.string(), platform: z.string() }),
  scripts: z.record(z.string(), z.string()),
  dependencies: z.record(z.string(), z.string()),
  devDependencies: z.unknown().optional(),
});

describe('npm run bundle: the deploy artifact', () => {
  let work: string;
  let appDir: string;
  let bundling: Run;
  let entries: Extracted[];
  let names: string[];

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-bundle-test-'));
    const zipFile = path.join(work, 'bot.zip');
    bundling = await runBundle(zipFile);
    if (bundling.code !== 0) throw new Error(`npm run bundle ended with ${bundling.code}:\n${bundling.stderr}`);
    appDir = path.join(work, 'wwwroot');
    fs.mkdirSync(appDir);
    entries = extract(fs.readFileSync(zipFile), appDir);
    names = entries.map((entry) => entry.name);
  }, BUNDLE_TIMEOUT_MS);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('it says what it wrote, and warns when this Node is not the Web App’s', () => {
    expect(bundling.stdout).toMatch(/^Wrote .*bot\.zip \(\d+ files, [\d.]+ MiB; SQLite addon for Node \d+, linux-x64\)\n$/);
    const warned = /warning: this is Node .*, and the Web App runs Node \d+/.test(bundling.stderr);
    expect(warned).toBe(NODE_MAJOR !== webAppNodeMajor());
  });

  test('entries are relative, in name order, with one time, plain files of mode 644 or 755', () => {
    expect(names.every(isRelativeName)).toBe(true);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(entries.map((entry) => entry.dosDateTime)).size).toBe(1);
    expect(new Set(entries.map((entry) => entry.mode.toString(8)))).toEqual(new Set(['100644', '100755']));
  });

  test('it holds package.json, the compiled bot and its node_modules, nothing of tests, bench, scripts or sources', () => {
    expect(new Set(names.map((name) => name.split('/')[0]))).toEqual(new Set(['package.json', 'dist', 'node_modules']));
    const compiled = names.filter((name) => name.startsWith('dist/'));
    expect(compiled).toContain('dist/bot/main.js');
    expect(compiled).toContain('dist/bot/main.js.map');
    expect(compiled.filter((name) => /^dist\/(test|bench|scripts|manifest)\//.test(name))).toEqual([]);
    expect(compiled.filter((name) => !/\.(js|js\.map|json)$/.test(name))).toEqual([]);
    expect(names.filter((name) => !name.startsWith('node_modules/') && /\.ts$/.test(name))).toEqual([]);
    // The cards' templates and the locales' catalogs are read as modules: every one the build emits goes in.
    for (const folder of ['cards', 'locales']) {
      for (const file of fs.readdirSync(path.join(ROOT, 'dist', folder)).filter((name) => name.endsWith('.json'))) {
        expect(compiled).toContain(`dist/${folder}/${file}`);
      }
    }
  });

  test("node_modules is the lockfile's production tree, with the SQLite addon built for this Node", () => {
    const lock = lockSchema.parse(JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')));
    const production = new Set(Object.entries(lock.packages).flatMap(([dir, entry]) => (dir !== '' && !entry.dev ? [dir] : [])));
    const installed = installedPackages(names);
    expect([...installed].filter((dir) => !production.has(dir))).toEqual([]);
    // botbuilder-dialogs' install script removes these nested copies, so that one copy serves them all.
    const removedByInstall = /\/node_modules\/@microsoft\/recognizers-text-number$/;
    expect([...production].filter((dir) => !installed.has(dir) && !removedByInstall.test(dir))).toEqual([]);
    // The devDependencies, less those a production dependency also needs (@types/node, for botbuilder's typings).
    const tooling = Object.keys(repositoryPackage().devDependencies).filter((name) => lock.packages[`node_modules/${name}`]?.dev);
    expect(tooling).toEqual(expect.arrayContaining(['jest', 'ts-jest', 'typescript', 'eslint', 'prettier', 'yazl']));
    expect(tooling.filter((name) => installed.has(`node_modules/${name}`))).toEqual([]);
    expect(names.filter((name) => name.split('/').includes('.bin'))).toEqual([]);
    const addon = entries.find((entry) => entry.name === 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(addon?.mode.toString(8)).toBe('100755');
    // What node-gyp leaves besides the addons is not taken.
    expect(names.filter((name) => /^node_modules\/better-sqlite3\/build\//.test(name) && !name.endsWith('.node'))).toEqual([]);
  });

  test('its package.json starts the bot as the Web App does, with no build, and names the Node its addon is for', () => {
    const bundled = bundlePackageSchema.parse(JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')));
    expect(Object.keys(bundled.scripts)).toEqual(['start']);
    expect(bundled.scripts.start?.replace(/^exec /, '')).toBe(appCommandLine());
    expect(bundled.devDependencies).toBeUndefined();
    expect(names).toContain(bundled.main);
    expect(bundled.engines.node).toBe(`${NODE_MAJOR}.x`);
    expect(bundled.bundle).toEqual({ node: process.version, abi: process.versions.modules, platform: 'linux-x64' });
    expect(bundled.dependencies).toEqual(repositoryPackage().dependencies);
  });

  describe('unzipped and started with only node and the Web App’s settings', () => {
    let idp: LocalOpenIdProvider;
    let identity: LocalManagedIdentity;
    let connector: LoopbackConnector;
    let bot: BotProcess;

    beforeAll(async () => {
      idp = await LocalOpenIdProvider.start();
      identity = await LocalManagedIdentity.start({ clientId: APP_ID });
      connector = await LoopbackConnector.start();
      const dataDir = seededDataDir();
      // The Web App's settings win; the loopback stand-ins for Azure add the rest (managedIdentityEnv).
      const env = {
        ...managedIdentityEnv(idp, identity, dataDir),
        ...webAppSettings({
          MicrosoftAppId: APP_ID,
          MicrosoftAppTenantId: IDENTITY_TENANT_ID,
          // Nowhere beyond loopback, should the bot send telemetry.
          APPLICATIONINSIGHTS_CONNECTION_STRING:
            'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/',
          NOTIFY_TOKEN,
          ADMIN_TOKEN,
          DATA_DIR: dataDir,
          // One instance on SQLite: no database, and no optional secret.
          DATABASE_URL: null,
          DATABASE_AUTH: null,
          SUPPORT_WEBHOOK_SECRET: null,
          PARTNER_CENTER_CLIENT_SECRET: null,
        }),
      };
      const [command, ...args] = appCommandLine().split(' ');
      expect(command).toBe('node');
      bot = await startBotProcess(env, [], { cwd: appDir, args });
    }, 60_000);

    afterAll(async () => {
      if (bot && bot.child.exitCode === null) await stopBot(bot);
      await Promise.all([idp?.close(), identity?.close(), connector?.close()]);
    });

    test('it is healthy', async () => {
      const health = await fetch(`${bot.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', mode: 'production', store: { kind: 'sqlite', available: true } });
      expect(bot.log.find((entry) => entry.msg === 'bot listening')).toMatchObject({ mode: 'production', store: 'sqlite' });
    });

    test("a signed activity is answered, and its replies carry the identity's token", async () => {
      const { body, conversationId } = personalMessage(connector.url);
      const token = await signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url) });
      expect((await postActivity(bot.url, body, token)).status).toBe(200);
      const replies = connector.deliveries.filter((delivery) => delivery.conversationId === conversationId);
      expect(replies.length).toBeGreaterThan(0);
      expect(cardsOf(replies[0]!.activity)).toHaveLength(1);
      const issued = identity.issued(CONNECTOR_RESOURCE);
      expect(issued).toHaveLength(1);
      for (const reply of replies) expect(reply.authorization).toBe(`Bearer ${issued[0]}`);
      expect(connector.cardProblems).toEqual([]);
    });

    test('it stops cleanly, having written nothing on stderr', async () => {
      expect(await stopBot(bot)).toBe(0);
      expect(bot.stderr).toEqual([]);
      expect(bot.otherLines).toEqual([]);
    });
  });
});
