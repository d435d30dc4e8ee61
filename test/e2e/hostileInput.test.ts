import http from 'node:http';
import net from 'node:net';
import { Conversation, postJson } from '../support/botClient';
import { LoopbackConnector } from '../support/loopbackConnector';
import { startTestApp, type TestApp } from '../support/testApp';
import { settle, waitFor } from '../support/waitFor';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entries(lines: readonly string[]): Record<string, unknown>[] {
  return lines.map((line): unknown => JSON.parse(line)).filter(isRecord);
}

describe('development mode answers only the Emulator on this machine', () => {
  let connector: LoopbackConnector;
  beforeEach(async () => {
    connector = await LoopbackConnector.start();
  });
  afterEach(() => connector.close());

  function message(serviceUrl: string): Record<string, unknown> {
    return {
      type: 'message',
      channelId: 'emulator',
      serviceUrl,
      from: { id: 'demo-manager' },
      recipient: { id: 'migration-bot' },
      conversation: { id: 'dev-remote' },
      text: 'solutions',
    };
  }

  test.each<[string, (connectorUrl: string) => string, RegExp]>([
    ['a Bot Connector in the cloud', () => 'https://smba.trafficmanager.net/amer/', /only a loopback address/],
    ['another address of the loopback range', (url) => url.replace('127.0.0.1', '127.0.0.2'), /only a loopback address/],
    ['a private network address', () => 'http://10.1.2.3:3978/', /only a loopback address/],
    [
      'a user and password on the Emulator’s port',
      (url) => url.replace('http://', 'http://user:secret@'),
      /user name or password/,
    ],
  ])('%s: 400 with the reason, and no turn', async (_label, serviceUrl, reason) => {
    const lines: string[] = [];
    const bot = await startTestApp({ logLines: lines });
    try {
      const answer = await postJson(`${bot.app.url}/api/messages`, message(serviceUrl(connector.url)));
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ error: 'BadRequest', problems: [expect.stringMatching(reason)] });
      expect((await fetch(`${bot.app.url}/healthz`)).status).toBe(200);
    } finally {
      await bot.app.close();
    }
    expect(connector.deliveries).toEqual([]);
    expect(entries(lines).filter((entry) => entry.msg === 'turn')).toEqual([]);
  });

  test.each([
    ['127.0.0.1', (url: string) => url],
    ['localhost', (url: string) => url.replace('127.0.0.1', 'localhost')],
  ])('the Emulator on %s, any port, is answered', async (_label, serviceUrl) => {
    const bot = await startTestApp();
    try {
      const answer = await postJson(`${bot.app.url}/api/messages`, message(serviceUrl(connector.url)));
      expect(answer.status).toBe(200);
    } finally {
      await bot.app.close();
    }
  });

  test('DEV_ALLOW_REMOTE lets development mode answer other addresses, never ones with credentials', async () => {
    const bot = await startTestApp({ env: { DEV_ALLOW_REMOTE: 'true', CONNECTOR_TIMEOUT_MS: '500' } });
    try {
      // Still this machine: 127.0.0.2 is loopback to the kernel, only not named as such by the rule.
      expect(
        (await postJson(`${bot.app.url}/api/messages`, message(connector.url.replace('127.0.0.1', '127.0.0.2')))).status,
      ).toBe(200);
      expect(
        (await postJson(`${bot.app.url}/api/messages`, message(connector.url.replace('http://', 'http://user:secret@')))).status,
      ).toBe(400);
    } finally {
      await bot.app.close();
    }
  });
});

/** Accepts connections and never answers: a Bot Connector that died with its sockets open. */
class BlackHole {
  readonly sockets = new Set<net.Socket>();
  connections = 0;
  private constructor(private readonly server: net.Server) {}

  static async start(): Promise<BlackHole> {
    const server = net.createServer();
    const hole = new BlackHole(server);
    server.on('connection', (socket) => {
      hole.connections++;
      hole.sockets.add(socket);
      socket.on('close', () => hole.sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return hole;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('a dead connector does not hold the turn', () => {
  test('a reply that gets no answer is given up after CONNECTOR_TIMEOUT_MS, and nothing more is tried', async () => {
    const hole = await BlackHole.start();
    const lines: string[] = [];
    const bot = await startTestApp({ env: { CONNECTOR_TIMEOUT_MS: '300' }, logLines: lines });
    try {
      const startedAt = Date.now();
      const answer = await postJson(`${bot.app.url}/api/messages`, {
        type: 'message',
        channelId: 'emulator',
        serviceUrl: hole.url,
        from: { id: 'demo-manager' },
        recipient: { id: 'migration-bot' },
        conversation: { id: 'dead-connector' },
        replyToId: 'card-1',
        value: { verb: 'listSolutions', page: 2, origin: 'list' },
      });
      expect(answer.status).toBe(200);
      // Generous: the point is the 10–12 s a dead connector held a turn, and a second wait for the error notice.
      expect(Date.now() - startedAt).toBeLessThan(5_000);
    } finally {
      await bot.app.close();
      await hole.close();
    }
    const logged = entries(lines);
    expect(logged.filter((entry) => entry.msg === 'reply not delivered')).toHaveLength(1);
    expect(logged.filter((entry) => entry.msg === 'turn failed')).toEqual([]);
    // The card update timed out; no new message was tried after it, nor an error notice.
    expect(hole.connections).toBe(1);
  });
});

/** GET /healthz on a connection of its own from `localAddress`: its status, or 0 when refused. */
function healthOver(url: string, { localAddress }: { localAddress: string }): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const request = http.get(
      { host: '127.0.0.1', port: Number(port), path: '/healthz', localAddress, agent: false, timeout: 5000 },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', () => resolve(0));
    request.on('timeout', () => request.destroy());
  });
}

interface Drip {
  readonly socket: net.Socket;
  closed: boolean;
  received: string;
}

/** A client that sends `head` and then one more byte of `body` every `intervalMs`, until the server closes it. */
function drip(url: string, head: string, intervalMs: number, byte = 'X', from = '127.0.0.1'): Drip {
  const { port } = new URL(url);
  const socket = net.connect({ port: Number(port), host: '127.0.0.1', localAddress: from });
  const state: Drip = { socket, closed: false, received: '' };
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(byte);
  }, intervalMs);
  socket.on('connect', () => {
    if (head) socket.write(head);
  });
  socket.on('data', (chunk: Buffer) => (state.received += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  socket.on('close', () => {
    clearInterval(timer);
    state.closed = true;
  });
  return state;
}

describe('server limits', () => {
  let connector: LoopbackConnector;
  let bot: TestApp | undefined;
  const drips: Drip[] = [];
  beforeEach(async () => {
    connector = await LoopbackConnector.start();
  });
  afterEach(async () => {
    for (const each of drips.splice(0)) each.socket.destroy();
    await bot?.app.close();
    bot = undefined;
    await connector.close();
  });

  const LIMITS = {
    HTTP_HEADERS_TIMEOUT_MS: '600',
    HTTP_REQUEST_TIMEOUT_MS: '1500',
    HTTP_KEEP_ALIVE_TIMEOUT_MS: '500',
  };

  test('20 clients dripping their headers are cut off after the headers timeout, while a normal turn is served', async () => {
    bot = await startTestApp({ env: LIMITS });
    const url = bot.app.url;
    for (let i = 0; i < 20; i++) drips.push(drip(url, 'POST /api/messages HTTP/1.1\r\nHost: bot\r\nX-Slow: ', 100));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const user = new Conversation(url, connector, { userId: 'demo-manager' });
    expect((await user.say('help')).length).toBeGreaterThan(0);
    expect(drips.some((each) => !each.closed)).toBe(true);
    await waitFor(() => drips.every((each) => each.closed), 10_000);
    expect(drips.every((each) => each.received === '' || each.received.startsWith('HTTP/1.1 408'))).toBe(true);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  test('a body dripped slower than the request timeout is cut off', async () => {
    bot = await startTestApp({ env: LIMITS });
    const slow = drip(
      bot.app.url,
      'POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"type":',
      100,
      ' ',
    );
    drips.push(slow);
    expect(await settle(() => slow.closed, 10_000)).toBe(true);
    expect(connector.deliveries).toEqual([]);
  });

  test('a connection that never sends anything is closed', async () => {
    bot = await startTestApp({ env: LIMITS });
    const silent = drip(bot.app.url, '', 60_000);
    drips.push(silent);
    expect(await settle(() => silent.closed, 10_000)).toBe(true);
  });

  test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    bot = await startTestApp({ env: LIMITS });
    const idle = drip(bot.app.url, 'GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n', 60_000);
    drips.push(idle);
    await waitFor(() => idle.received.startsWith('HTTP/1.1 200'));
    expect(await settle(() => idle.closed, 10_000)).toBe(true);
  });

  test('one client holding 300 slow connections takes at most its share: another client is served throughout', async () => {
    bot = await startTestApp({
      env: { ...LIMITS, HTTP_HEADERS_TIMEOUT_MS: '10000', HTTP_REQUEST_TIMEOUT_MS: '20000', HTTP_MAX_CONNECTIONS: '250' },
    });
    const url = bot.app.url;
    // 127.0.0.2 is another loopback address: another client to the server, on this machine.
    const held = Array.from({ length: 300 }, () =>
      drip(url, 'GET /healthz HTTP/1.1\r\nHost: bot\r\nX-Hold: ', 200, 'X', '127.0.0.2'),
    );
    drips.push(...held);
    await waitFor(() => held.filter((each) => each.closed).length >= 300 - 62);
    const other = { localAddress: '127.0.0.1' };
    const statuses: number[] = [];
    for (let probe = 0; probe < 14; probe++) {
      statuses.push(await healthOver(url, other));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(statuses).toEqual(Array(14).fill(200));
    // The client's own share, HTTP_MAX_CONNECTIONS / 4 by default, is still held; the rest was closed at once.
    expect(held.filter((each) => !each.closed)).toHaveLength(62);
    expect(held.filter((each) => each.closed).every((each) => each.received === '')).toBe(true);
  });

  test('beyond HTTP_MAX_CONNECTIONS new connections are refused, and served again once others close', async () => {
    bot = await startTestApp({ env: { HTTP_MAX_CONNECTIONS: '5', HTTP_MAX_CONNECTIONS_PER_CLIENT: '5' } });
    const url = bot.app.url;
    const held = Array.from({ length: 5 }, () => drip(url, 'GET /healthz HTTP/1.1\r\nHost: bot\r\nX-Hold: ', 200));
    drips.push(...held);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fetch(`${url}/healthz`, { headers: { connection: 'close' } })).rejects.toThrow();
    for (const each of held) each.socket.destroy();
    await waitFor(() => held.every((each) => each.closed));
    // The server counts a connection gone once it sees it close: ask until it has.
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = await fetch(`${url}/healthz`, { headers: { connection: 'close' } }).then(
        (response) => response.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });
});
