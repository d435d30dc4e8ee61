import fs from 'node:fs';
import http from 'node:http';
import zlib from 'node:zlib';
import { startBotProcess, stopBot, type BotProcess } from '../support/botProcess';
import { LocalEntra } from '../support/localEntra';
import { LocalOpenIdProvider } from '../support/localIdentity';
import { LoopbackConnector } from '../support/loopbackConnector';
import { APP_ID, APP_SECRET, NOTIFY_TOKEN, productionEnv, seededDataDir } from '../support/productionBot';
import { temporaryDataDir } from '../support/testApp';
import { waitFor } from '../support/waitFor';

/** What `npm start` gives the bot: the heap no body may push it past. */
const HEAP_CAP_MB = 256;

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** Posts raw bytes with exactly these headers; the answer, even when the bot stops reading and closes early. */
function postRaw(url: string, headers: Record<string, string>, body: Buffer | readonly Buffer[]): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // The bot closes once it has answered; what was not sent yet fails to send, which is the point.
    request.on('error', (error) => setTimeout(() => reject(error), 1000));
    for (const part of Array.isArray(body) ? body : [body]) request.write(part);
    request.end();
  });
}

function activity(serviceUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    channelId: 'emulator',
    serviceUrl,
    from: { id: 'demo-manager' },
    recipient: { id: 'migration-bot' },
    conversation: { id: 'body-limits' },
    text: 'help',
    ...extra,
  };
}

/** A valid activity whose text field holds `megabytes` MB of spaces: 200 MB inflate from about 200 KB of gzip. */
function bomb(serviceUrl: string, megabytes: number, compress: (input: Buffer) => Buffer): Buffer {
  const key = `${serviceUrl} ${megabytes} ${compress.name}`;
  const made = bombs.get(key) ?? makeBomb(serviceUrl, megabytes, compress);
  bombs.set(key, made);
  return made;
}
const bombs = new Map<string, Buffer>();

function makeBomb(serviceUrl: string, megabytes: number, compress: (input: Buffer) => Buffer): Buffer {
  const [head, tail] = JSON.stringify(activity(serviceUrl, { text: '\u0000' })).split('\\u0000');
  return compress(Buffer.concat([Buffer.from(head ?? ''), Buffer.alloc(megabytes * 1024 * 1024, ' '), Buffer.from(tail ?? '')]));
}

/** The process's peak resident memory so far, in MB, as the kernel counts it. */
function peakRssMb(pid: number): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmHWM:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN) / 1024;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const gzip = (input: Buffer): Buffer => zlib.gzipSync(input, { level: 9 });
const deflate = (input: Buffer): Buffer => zlib.deflateSync(input, { level: 9 });

type Case = readonly [
  string,
  (serviceUrl: string) => { headers: Record<string, string>; body: Buffer | readonly Buffer[] },
  number,
  RegExp,
];

/** Each refused before any turn or token check, with its reason, whatever the mode. */
const REFUSED: readonly Case[] = [
  [
    'a gzip body that inflates to 200 MB',
    (url) => ({ headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: bomb(url, 200, gzip) }),
    413,
    /larger than 256 KiB/,
  ],
  [
    'a deflate body that inflates to 64 MB',
    (url) => ({ headers: { ...JSON_TYPE, 'content-encoding': 'deflate' }, body: bomb(url, 64, deflate) }),
    413,
    /larger than 256 KiB/,
  ],
  [
    'a plain body declared larger than the limit',
    (url) => ({ headers: JSON_TYPE, body: bomb(url, 1, (input) => input) }),
    413,
    /larger than 256 KiB/,
  ],
  [
    'a chunked plain body that runs past the limit',
    () => ({ headers: { ...JSON_TYPE, 'transfer-encoding': 'chunked' }, body: Array(40).fill(Buffer.alloc(16 * 1024, ' ')) }),
    413,
    /larger than 256 KiB/,
  ],
  [
    'brotli',
    () => ({ headers: { ...JSON_TYPE, 'content-encoding': 'br' }, body: zlib.brotliCompressSync('{}') }),
    415,
    /br is not taken/,
  ],
  [
    'gzip twice over',
    () => ({ headers: { ...JSON_TYPE, 'content-encoding': 'gzip, gzip' }, body: gzip(gzip(Buffer.from('{}'))) }),
    415,
    /gzip, gzip is not taken/,
  ],
  [
    'a body that says gzip but is not',
    () => ({ headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: Buffer.from('{"type":"message"}') }),
    400,
    /could not be decoded/,
  ],
  [
    'JSON nested 10,000 levels deep',
    (url) => ({
      headers: JSON_TYPE,
      body: Buffer.from(JSON.stringify(activity(url)).replace('"help"', `${'['.repeat(10_000)}${']'.repeat(10_000)}`)),
    }),
    400,
    /deeper than 64 levels/,
  ],
  [
    'bytes that are not UTF-8',
    (url) => ({
      headers: JSON_TYPE,
      body: Buffer.from(
        Buffer.from(JSON.stringify(activity(url)).replace('help', '\u0000')).map((byte) => (byte === 0 ? 0xff : byte)),
      ),
    }),
    400,
    /not UTF-8/,
  ],
];

describe.each<['development' | 'production']>([['development'], ['production']])('request bodies in %s mode', (mode) => {
  let connector: LoopbackConnector;
  let idp: LocalOpenIdProvider | undefined;
  let entra: LocalEntra | undefined;
  let bot: BotProcess;

  beforeAll(async () => {
    connector = await LoopbackConnector.start();
    const heap = { NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB}` };
    if (mode === 'production') {
      idp = await LocalOpenIdProvider.start();
      entra = await LocalEntra.start(APP_ID, APP_SECRET);
      bot = await startBotProcess({ ...productionEnv(idp, entra, seededDataDir()), ...heap });
    } else {
      bot = await startBotProcess({ DATA_DIR: temporaryDataDir(), CERTIFICATION_SIMULATOR: 'off', ...heap });
    }
  });
  afterAll(async () => {
    expect(await stopBot(bot)).toBe(0);
    await Promise.all([connector.close(), idp?.close(), entra?.close()]);
  });

  test.each(REFUSED)('/api/messages: %s is refused', async (_label, request, status, reason) => {
    const { headers, body } = request(connector.url);
    const answer = await postRaw(`${bot.url}/api/messages`, headers, body);
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toEqual({ error: expect.any(String), problems: [expect.stringMatching(reason)] });
  });

  test.each(REFUSED)('the certification endpoint, with its token: %s is refused', async (_label, request, status, reason) => {
    const { headers, body } = request(connector.url);
    const answer = await postRaw(
      `${bot.url}/api/notifications/certification`,
      { ...headers, authorization: `Bearer ${mode === 'production' ? NOTIFY_TOKEN : 'dev-notify-token'}` },
      body,
    );
    expect(answer.status).toBe(status);
    expect(answer.body).toMatch(reason);
  });

  test('without its token the certification endpoint reads no body at all: 401', async () => {
    const answer = await postRaw(
      `${bot.url}/api/notifications/certification`,
      { ...JSON_TYPE, 'content-encoding': 'gzip' },
      bomb(connector.url, 200, gzip),
    );
    expect(answer.status).toBe(401);
  });

  test('after them all the process lives, served no turn, and never held more than its heap cap', async () => {
    expect(bot.child.exitCode).toBeNull();
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(connector.deliveries).toEqual([]);
    expect(bot.log.filter((entry) => entry.msg === 'turn')).toEqual([]);
    expect(peakRssMb(bot.child.pid ?? 0)).toBeLessThan(HEAP_CAP_MB);
  });

  if (mode === 'development') {
    test('a small gzip activity is a turn like any other', async () => {
      const answer = await postRaw(
        `${bot.url}/api/messages`,
        { ...JSON_TYPE, 'content-encoding': 'gzip' },
        gzip(Buffer.from(JSON.stringify(activity(connector.url)))),
      );
      expect(answer.status).toBe(200);
      await waitFor(() => connector.deliveries.length > 0);
    });
  }
});
