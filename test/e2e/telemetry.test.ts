import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PARTNER_ACCOUNT_ID } from '../../store/demo/demoData';
import { startBotProcess, stopBot, type BotProcess, type LogEntry } from '../support/botProcess';
import { Conversation } from '../support/botClient';
import { FAKE_CLIENT_SECRET, FakePartnerCenter } from '../support/fakePartnerCenter';
import { adminAccessOf, postImport } from '../support/importUploads';
import { LocalEntra } from '../support/localEntra';
import { LocalOpenIdProvider, channelClaims, signToken } from '../support/localIdentity';
import { LocalIngestion, type Envelope } from '../support/localIngestion';
import { LoopbackConnector } from '../support/loopbackConnector';
import { describeWithPostgres, testDatabaseUrl, TestSchema } from '../support/postgres';
import {
  APP_ID,
  APP_SECRET,
  NOTIFY_TOKEN,
  certificationCardInChannel,
  personalMessage,
  postActivity,
  productionEnv,
  seededDataDir,
} from '../support/productionBot';
import { temporaryDataDir } from '../support/testApp';
import { waitFor } from '../support/waitFor';

const EXAMPLES = path.resolve(__dirname, '../../sources/import/examples');
/** What a user types: customer details, which must reach no telemetry. */
const USER_TEXT = 'Northwind renewal for customer Fabrikam-7391, call Dana on +1 425 555 0142';
/** What a user types into a card's input. */
const CARD_INPUT = 'Tailspin Toys private preview 2290';
/** A verb no card has: the sender's own string. */
const SENDERS_VERB = 'senders-own-verb-5531';
const ADMIN_TOKEN = 'telemetry-test-admin-token-0123456789abcdef';
const QUERY_SECRET = 'query-string-secret-8812';

/**
 * A Node preload for the bot: as the process exits it writes every module it loaded, in the order
 * it loaded them (which tells whether the telemetry's SDK was loaded at all, and before pg); and it
 * notes every name looked up and every connection made to anything but loopback, which must be none.
 */
function processProbe(): {
  readonly flag: readonly string[];
  readonly modules: () => string[];
  readonly reached: () => string[];
} {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'process-probe-'));
  const list = path.join(directory, 'modules.txt');
  const reached = path.join(directory, 'reached.txt');
  const preload = path.join(directory, 'preload.js');
  fs.writeFileSync(reached, '');
  fs.writeFileSync(
    preload,
    `const fs = require('node:fs');
const dns = require('node:dns');
const net = require('node:net');
const loopback = (host) => host === undefined || host === 'localhost' || /^(127\\.|::1$|::ffff:127\\.)/.test(String(host));
const note = (what) => fs.appendFileSync(${JSON.stringify(reached)}, what + '\\n');
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {
  if (!loopback(host)) note('lookup ' + host);
  return lookup.call(this, host, ...rest);
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const options = Array.isArray(args[0]) ? args[0][0] : args[0];
  const host = typeof options === 'object' && options !== null ? (options.path ? undefined : options.host) : args[1];
  if (!loopback(host)) note('connect ' + host);
  return connect.apply(this, args);
};
process.on('exit', () => fs.writeFileSync(${JSON.stringify(list)}, Object.keys(require.cache).join('\\n')));
`,
  );
  return {
    flag: ['--require', preload],
    modules: () => fs.readFileSync(list, 'utf8').split('\n'),
    reached: () =>
      fs
        .readFileSync(reached, 'utf8')
        .split('\n')
        .filter((line) => line !== ''),
  };
}

const SDK_MODULE = /[\\/]node_modules[\\/](@azure[\\/]monitor-opentelemetry|@opentelemetry)[\\/]/;

const named = (name: string) => (envelope: Envelope) => envelope.baseData.name === name;
const turnLines = (log: readonly LogEntry[]): LogEntry[] => log.filter((entry) => entry.msg === 'turn');

describe('telemetry with APPLICATIONINSIGHTS_CONNECTION_STRING set, to a loopback ingestion endpoint', () => {
  let ingestion: LocalIngestion;
  let idp: LocalOpenIdProvider;
  let entra: LocalEntra;
  let connector: LoopbackConnector;
  let partnerCenter: FakePartnerCenter;
  let bot: BotProcess;
  let probe: ReturnType<typeof processProbe>;
  /** Every bearer token the channel sent the bot. */
  const channelTokens: string[] = [];

  async function post(body: unknown, url?: string): Promise<number> {
    const token = await signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url) });
    channelTokens.push(token);
    if (url) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return response.status;
    }
    return (await postActivity(bot.url, body, token)).status;
  }

  const say = (text: string): Promise<number> => post(personalMessage(connector.url, { text }).body);
  const press = (value: Record<string, unknown>): Promise<number> =>
    post({ ...personalMessage(connector.url).body, text: undefined, value });

  beforeAll(async () => {
    ingestion = await LocalIngestion.start();
    idp = await LocalOpenIdProvider.start();
    entra = await LocalEntra.start(APP_ID, APP_SECRET);
    connector = await LoopbackConnector.start();
    partnerCenter = await FakePartnerCenter.start();
    probe = processProbe();
    const dataDir = seededDataDir();
    bot = await startBotProcess(
      {
        ...productionEnv(idp, entra, dataDir, {
          ADMIN_TOKEN,
          ...partnerCenter.settings(DEMO_PARTNER_ACCOUNT_ID),
          PARTNER_CENTER_SYNC_SECONDS: '1',
        }),
        ...ingestion.settings({ extraCaFiles: [entra.caFile] }),
        // Every trace kept, so that each request can be looked for: the default keeps 5 a second.
        OTEL_TRACES_SAMPLER: 'always_on',
      },
      probe.flag,
    );

    expect(await say('solutions')).toBe(200);
    expect(await say(USER_TEXT)).toBe(200);
    expect(await press({ verb: 'listSolutions', origin: 'list', page: 1 })).toBe(200);
    expect(await press({ verb: 'setAwaitedOffer', solutionId: 'OCP-1042173', awaitedOfferName: CARD_INPUT })).toBe(200);
    expect(await press({ verb: SENDERS_VERB })).toBe(200);
    // A reply the connector throttles once: sent again after its Retry-After.
    const throttled = personalMessage(connector.url, { text: 'help' });
    connector.failNext(throttled.conversationId, [429]);
    expect(await post(throttled.body)).toBe(200);
    expect(
      await post(personalMessage(connector.url, { text: 'help' }).body, `${bot.url}/api/messages?code=${QUERY_SECRET}`),
    ).toBe(200);
    expect((await postActivity(bot.url, personalMessage(connector.url).body, 'not-a-token')).status).toBe(401);
    const signed = await signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url) });
    channelTokens.push(signed);
    expect(await certificationCardInChannel(bot.url, connector, signed)).toBeDefined();
    expect((await postImport(adminAccessOf(dataDir), [path.join(EXAMPLES, 'partners.csv')], { dryRun: true })).status).toBe(200);
    await waitFor(() => partnerCenter.requests.products > 0, 10_000);
    // The gauges are read when metrics are exported, every second here.
    await waitFor(() => ingestion.metrics('bot.outbox.depth').length > 0, 10_000);
    // A stop sends what is still buffered.
    expect(await stopBot(bot)).toBe(0);
  }, 90_000);

  afterAll(async () => {
    if (bot.child.exitCode === null) await stopBot(bot);
    await Promise.all([ingestion.close(), idp.close(), entra.close(), connector.close(), partnerCenter.close()]);
  });

  test('a request per turn, named by its endpoint, with the command or verb, the partner account and the outcome', () => {
    const turns = ingestion.requests().filter(named('POST /api/messages'));
    const dimensions = turns.map((turn) => turn.properties);
    expect(dimensions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          'bot.endpoint': 'messages',
          'bot.input': 'command',
          'bot.command': 'solutions',
          'bot.partner_account': DEMO_PARTNER_ACCOUNT_ID,
          'bot.outcome': 'ok',
        }),
        expect.objectContaining({ 'bot.input': 'text', 'bot.partner_account': DEMO_PARTNER_ACCOUNT_ID, 'bot.outcome': 'ok' }),
        expect.objectContaining({ 'bot.input': 'action', 'bot.verb': 'listSolutions', 'bot.outcome': 'ok' }),
        expect.objectContaining({ 'bot.input': 'action', 'bot.verb': 'setAwaitedOffer', 'bot.outcome': 'ok' }),
        expect.objectContaining({ 'bot.input': 'unknownVerb', 'bot.outcome': 'ok' }),
        expect.objectContaining({ 'bot.input': 'command', 'bot.command': 'help', 'bot.outcome': 'ok' }),
        expect.objectContaining({ 'bot.endpoint': 'messages', 'bot.outcome': 'unauthenticated' }),
      ]),
    );
    expect(turns.find((turn) => turn.properties['bot.outcome'] === 'unauthenticated')?.baseData.responseCode).toBe('401');
    // Every turn the bot logged is a request here, under the trace id its log line carries.
    const operations = new Set(turns.map((turn) => turn.tags['ai.operation.id']));
    const logged = turnLines(bot.log);
    expect(logged.length).toBeGreaterThanOrEqual(7);
    for (const line of logged) {
      expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(operations.has(String(line.trace_id))).toBe(true);
    }
  });

  test("each endpoint's requests are named by it; the outbox's sends and the sync are operations of their own", () => {
    const requests = ingestion.requests();
    expect(requests.find(named('POST /api/notifications/certification'))?.properties).toMatchObject({
      'bot.endpoint': 'notifications',
      'bot.outcome': 'ok',
    });
    const imported = requests.find(named('POST /api/admin/import'));
    expect(imported?.properties).toMatchObject({ 'bot.endpoint': 'import', 'bot.outcome': 'ok' });
    const importStep = ingestion.dependencies().find(named('import'));
    expect(importStep?.tags['ai.operation.id']).toBe(imported?.tags['ai.operation.id']);
    expect(importStep?.properties).toMatchObject({ 'bot.dry_run': 'true', 'bot.outcome': expect.any(String) });
    const sends = requests.filter(named('outbox.send'));
    expect(sends.map((send) => send.properties)).toContainEqual(
      expect.objectContaining({ 'bot.outbox_kind': 'certificationCard', 'bot.outcome': 'delivered', 'bot.attempt': '1' }),
    );
    expect(requests.filter(named('partnerCenter.sync')).length).toBeGreaterThan(0);
  });

  test('the Bot Connector and Partner Center calls are dependencies of the request or operation they were made in', () => {
    const calledAt = (url: string) => (dependency: Envelope) => String(dependency.baseData.data).startsWith(`${url}/`);
    const connectorCalls = ingestion.dependencies().filter(calledAt(connector.url));
    expect(connectorCalls.map((call) => call.baseData.name)).toContain('POST /v3/conversations/:id/activities/:id');
    const operationOf = new Map(ingestion.requests().map((request) => [request.tags['ai.operation.id'], request]));
    const parents = connectorCalls.map((call) => operationOf.get(call.tags['ai.operation.id'])?.baseData.name);
    expect(parents).toContain('POST /api/messages');
    expect(parents).toContain('outbox.send');
    // The reply the connector throttled: its 429, then the one that went.
    expect(connectorCalls.map((call) => call.baseData.resultCode)).toContain('429');

    const partnerCenterCalls = ingestion.dependencies().filter(calledAt(partnerCenter.url));
    expect(partnerCenterCalls.length).toBeGreaterThan(0);
    expect(
      partnerCenterCalls.every((call) => operationOf.get(call.tags['ai.operation.id'])?.baseData.name === 'partnerCenter.sync'),
    ).toBe(true);
  });

  test('metrics: turns and their duration, the outbox, sends and 429s, imports', () => {
    const names = new Set(ingestion.metrics().map((point) => point.name));
    for (const name of [
      'bot.turns',
      'bot.turn.duration',
      'bot.outbox.depth',
      'bot.outbox.oldest_age',
      'bot.outbox.jobs',
      'bot.sends',
      'bot.throttled',
      'bot.imports',
      'bot.import.rows',
      'bot.import.problems',
      'bot.import.duration',
    ]) {
      expect(names).toContain(name);
    }
    expect(ingestion.metrics('bot.turns').map((point) => point.properties)).toContainEqual(
      expect.objectContaining({ 'bot.outcome': 'ok', 'bot.input': 'command', 'bot.command': 'solutions' }),
    );
    expect(ingestion.metrics('bot.throttled').map((point) => point.properties)).toContainEqual(
      expect.objectContaining({ 'bot.origin': 'reply' }),
    );
    // The partner account is on requests only: there are as many values as partners.
    for (const point of ingestion.metrics()) expect(point.properties['bot.partner_account']).toBeUndefined();
  });

  test("no user's text, token, secret or query string is in anything sent", () => {
    const sent = ingestion.bodies.join('\n');
    expect(sent.length).toBeGreaterThan(0);
    const secrets = [
      USER_TEXT,
      'Fabrikam-7391',
      CARD_INPUT,
      SENDERS_VERB,
      QUERY_SECRET,
      APP_SECRET,
      NOTIFY_TOKEN,
      ADMIN_TOKEN,
      FAKE_CLIENT_SECRET,
      ...channelTokens,
      ...entra.issued,
      ...partnerCenter.issued,
    ];
    expect(channelTokens.length).toBeGreaterThan(5);
    expect(entra.issued.length).toBeGreaterThan(0);
    expect(partnerCenter.issued.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(sent).not.toContain(secret);
    expect(sent).not.toMatch(/authorization|bearer /i);
  });

  test('nothing but loopback was reached, and the SDK had nothing to complain of', () => {
    expect(probe.reached()).toEqual([]);
    // The SDK asks its configuration service now and then: here the proxy refused it, on loopback.
    for (const refused of ingestion.refused) expect(refused).toBe('CONNECT settings.sdk.monitor.azure.com:443');
    expect(bot.stderr).toEqual([]);
    expect(bot.otherLines).toEqual([]);
    expect(bot.log.filter((entry) => entry.source === 'telemetry')).toEqual([]);
  });

  test('the SDK is loaded before pg, which it instruments', () => {
    const loaded = probe.modules();
    const sdk = loaded.findIndex((file) => /[\\/]@opentelemetry[\\/]instrumentation-pg[\\/]/.test(file));
    const pg = loaded.findIndex((file) => /[\\/]node_modules[\\/]pg[\\/]lib[\\/]index\.js$/.test(file));
    expect(sdk).toBeGreaterThanOrEqual(0);
    expect(pg).toBeGreaterThan(sdk);
  });
});

describe('telemetry with APPLICATIONINSIGHTS_CONNECTION_STRING unset', () => {
  test('none of the SDK is loaded, and log lines carry no trace ids', async () => {
    const connector = await LoopbackConnector.start();
    const probe = processProbe();
    const bot = await startBotProcess({ DATA_DIR: temporaryDataDir(), CERTIFICATION_SIMULATOR: 'off' }, probe.flag);
    try {
      await new Conversation(bot.url, connector).say('solutions');
      expect(await stopBot(bot)).toBe(0);
      const loaded = probe.modules();
      expect(loaded.some((file) => /[\\/]node_modules[\\/]pg[\\/]/.test(file))).toBe(true);
      expect(loaded.filter((file) => SDK_MODULE.test(file))).toEqual([]);
      expect(turnLines(bot.log)).toHaveLength(1);
      for (const entry of bot.log) expect(entry.trace_id).toBeUndefined();
    } finally {
      if (bot.child.exitCode === null) await stopBot(bot);
      await connector.close();
    }
  });
});

describe('telemetry from npm run import', () => {
  test('an import it runs itself is an operation of its own, with its metrics, under its own role', async () => {
    const ingestion = await LocalIngestion.start();
    try {
      const files = ['partners.csv', 'members.csv', 'offers.csv', 'solutions.csv'].map((name) => path.join(EXAMPLES, name));
      const child = spawn(process.execPath, ['dist/scripts/import.js', ...files, '--dry-run'], {
        cwd: path.resolve(__dirname, '..', '..'),
        env: { DATA_DIR: temporaryDataDir(), ...ingestion.settings(), OTEL_TRACES_SAMPLER: 'always_on' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      // The report alone on stdout, as without telemetry.
      expect(stdout).not.toMatch(/telemetry|opentelemetry/i);
      const run = ingestion.requests().find(named('import'));
      expect(run?.tags['ai.cloud.role']).toBe('ocp-gtm-migration-bot-import');
      expect(run?.properties).toMatchObject({ 'bot.dry_run': 'true', 'bot.outcome': 'checked' });
      expect(ingestion.metrics('bot.imports').map((point) => point.properties)).toContainEqual(
        expect.objectContaining({ 'bot.outcome': 'checked' }),
      );
      expect(ingestion.metrics('bot.import.rows').reduce((sum, point) => sum + point.value, 0)).toBeGreaterThan(0);
    } finally {
      await ingestion.close();
    }
  }, 60_000);
});

describeWithPostgres('telemetry on the shared store', () => {
  test("a turn's PostgreSQL queries are dependencies of its request, without their values", async () => {
    const ingestion = await LocalIngestion.start();
    const connector = await LoopbackConnector.start();
    const schema = await TestSchema.create();
    const bot = await startBotProcess({
      DATA_DIR: temporaryDataDir(),
      CERTIFICATION_SIMULATOR: 'off',
      ...schema.settings(),
      ...ingestion.settings(),
      OTEL_TRACES_SAMPLER: 'always_on',
    });
    try {
      await new Conversation(bot.url, connector).say(USER_TEXT);
      expect(await stopBot(bot)).toBe(0);
      const turn = ingestion.requests().find(named('POST /api/messages'));
      expect(turn?.properties).toMatchObject({ 'bot.input': 'text', 'bot.outcome': 'ok' });
      const queries = ingestion
        .dependencies()
        .filter(
          (dependency) =>
            dependency.baseData.type === 'postgresql' && dependency.tags['ai.operation.id'] === turn?.tags['ai.operation.id'],
        );
      expect(queries.length).toBeGreaterThan(0);
      expect(queries.map((query) => String(query.baseData.data)).join('\n')).toMatch(/\$1/);
      const sent = ingestion.bodies.join('\n');
      expect(sent).not.toContain('Fabrikam-7391');
      const { username, password } = new URL(testDatabaseUrl());
      if (password) expect(sent).not.toContain(`${username}:${password}@`);
      expect(bot.log.filter((entry) => entry.source === 'telemetry')).toEqual([]);
    } finally {
      if (bot.child.exitCode === null) await stopBot(bot);
      await schema.drop();
      await Promise.all([ingestion.close(), connector.close()]);
    }
  }, 60_000);
});
