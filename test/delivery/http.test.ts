import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, type HttpRequest } from '../../delivery/http';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse, nthOnSocket: number) => void;

/** A server on loopback that counts connections and requests, and answers as the test says. */
class Server {
  connections = 0;
  requests: { method: string; url: string; body: string; contentLength?: string }[] = [];
  private constructor(private readonly server: http.Server) {}

  static async start(handler: Handler): Promise<Server> {
    const server = http.createServer({ keepAliveTimeout: 60_000 });
    const wrapper = new Server(server);
    const perSocket = new WeakMap<object, number>();
    server.on('connection', () => wrapper.connections++);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const nth = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, nth);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        wrapper.requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          body,
          ...(req.headers['content-length'] && { contentLength: req.headers['content-length'] }),
        });
        handler(req, body, res, nth);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return wrapper;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

const NOW = new Date('2026-12-02T10:00:00Z');
const request = (overrides: Partial<HttpRequest> = {}): HttpRequest => ({
  headers: { 'content-type': 'application/json' },
  body: '{"text":"안녕하세요"}',
  timeoutMs: 2_000,
  peer: 'connector',
  now: () => NOW,
  ...overrides,
});

function answer(res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

describe('HttpClient', () => {
  let client: HttpClient;
  let server: Server | undefined;
  beforeEach(() => {
    client = new HttpClient();
  });
  afterEach(async () => {
    client.close();
    await server?.close();
    server = undefined;
  });

  test.each<['POST' | 'PUT']>([['POST'], ['PUT']])(
    '%s sends the body with its byte length and gives back a 2xx body',
    async (method) => {
      server = await Server.start((_req, _body, res) => answer(res, 201, '{"id":"a-1"}'));
      const outcome = await client.send(method, `${server.url}/v3/conversations/c/activities`, request());
      expect(outcome).toEqual({ ok: true, body: '{"id":"a-1"}' });
      expect(server.requests).toEqual([
        {
          method,
          url: '/v3/conversations/c/activities',
          body: '{"text":"안녕하세요"}',
          contentLength: String(Buffer.byteLength('{"text":"안녕하세요"}')),
        },
      ]);
    },
  );

  test.each<[string, number, http.OutgoingHttpHeaders, { status: number; retryAfterMs?: number }]>([
    ['throttled, with Retry-After in seconds', 429, { 'retry-after': '3' }, { status: 429, retryAfterMs: 3_000 }],
    [
      'unavailable, with Retry-After as a date',
      503,
      { 'retry-after': new Date(NOW.getTime() + 7_000).toUTCString() },
      { status: 503, retryAfterMs: 7_000 },
    ],
    ['a client error, without Retry-After', 400, {}, { status: 400 }],
    ['a server error', 500, {}, { status: 500 }],
  ])('an answer %s is a failure with its status', async (_label, status, headers, expected) => {
    server = await Server.start((_req, _body, res) => answer(res, status, '{}', headers));
    const outcome = await client.send('POST', server.url, request());
    expect(outcome).toEqual({ ok: false, error: `connector answered ${status}`, ...expected });
  });

  test('a server that does not answer is given up on at the timeout', async () => {
    server = await Server.start(() => undefined);
    const outcome = await client.send('POST', server.url, request({ timeoutMs: 150 }));
    expect(outcome).toEqual({ ok: false, error: 'connector unreachable: no answer within 150 ms' });
  });

  test('a refused connection is unreachable, with no status', async () => {
    server = await Server.start(() => undefined);
    const { url } = server;
    await server.close();
    server = undefined;
    const outcome = await client.send('POST', url, request({ peer: 'support webhook' }));
    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/^support webhook unreachable: .*ECONNREFUSED/) });
  });

  test.each([
    ['text that is no URL', 'smba trafficmanager', 'connector unreachable: not a URL: smba trafficmanager'],
    ['another scheme', 'ftp://127.0.0.1/file', 'connector unreachable: not an http(s) URL: ftp:'],
  ])('%s is refused without a request', async (_label, url, error) => {
    expect(await client.send('POST', url, request())).toEqual({ ok: false, error });
  });

  test('an answer larger than a megabyte is not read', async () => {
    server = await Server.start((_req, _body, res) => answer(res, 200, 'x'.repeat(2 * 1024 * 1024)));
    const outcome = await client.send('POST', server.url, request());
    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/more than 1048576 bytes/) });
  });

  test('requests one after another share one kept-alive connection', async () => {
    server = await Server.start((_req, _body, res) => answer(res, 200, '{}'));
    for (let i = 0; i < 5; i++) expect(await client.send('POST', server.url, request())).toMatchObject({ ok: true });
    expect(server.requests).toHaveLength(5);
    expect(server.connections).toBe(1);
  });

  test('a kept-alive connection the server drops as it is reused is replaced, and the request sent once more', async () => {
    // The second request on a connection finds it closed, as when the server's keep-alive ran out.
    server = await Server.start((req, _body, res, nthOnSocket) => {
      if (nthOnSocket > 1) req.socket.destroy();
      else answer(res, 200, `{"n":${server?.requests.length ?? 0}}`);
    });
    expect(await client.send('POST', server.url, request())).toEqual({ ok: true, body: '{"n":1}' });
    expect(await client.send('POST', server.url, request())).toEqual({ ok: true, body: '{"n":3}' });
    expect(server.connections).toBe(2);
  });

  test('a connection dropped on its first request is not sent again: the server may have acted on it', async () => {
    server = await Server.start((req) => req.socket.destroy());
    const outcome = await client.send('POST', server.url, request());
    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/^connector unreachable: /) });
    expect(server.requests).toHaveLength(1);
  });
});
