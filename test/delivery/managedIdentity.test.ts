import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManagedIdentityError, ManagedIdentityTokens, type ManagedIdentityEndpoint } from '../../delivery/managedIdentity';
import { LocalManagedIdentity } from '../support/localManagedIdentity';

const CLIENT_ID = '0d7f3c55-2b6e-4a0f-9a51-6f1e2c3d4b5a';
const CONNECTOR = 'https://api.botframework.com';
const DATABASE = 'https://ossrdbms-aad.database.windows.net';
const MINUTE = 60_000;

describe('managed identity tokens', () => {
  let identity: LocalManagedIdentity;

  beforeEach(async () => {
    identity = await LocalManagedIdentity.start({ clientId: CLIENT_ID });
  });

  afterEach(() => identity.close());

  const endpoints: Record<ManagedIdentityEndpoint['kind'], () => ManagedIdentityEndpoint> = {
    appService: () => ({ kind: 'appService', url: identity.appServiceEndpoint, secret: identity.secret }),
    instanceMetadata: () => ({ kind: 'instanceMetadata', url: identity.instanceMetadataEndpoint }),
  };

  /** Tokens on a clock the test moves. */
  function tokens(kind: ManagedIdentityEndpoint['kind'] = 'appService', clientId = CLIENT_ID, timeoutMs = 2000) {
    const clock = { now: Date.now() };
    const source = new ManagedIdentityTokens({ clientId, endpoint: endpoints[kind](), timeoutMs }, () => clock.now);
    return { source, clock };
  }

  test.each<[ManagedIdentityEndpoint['kind'], string, string]>([
    ['appService', '2019-08-01', 'the X-IDENTITY-HEADER App Service set'],
    ['instanceMetadata', '2018-02-01', 'true'],
  ])('%s: asked as documented (api-version %s, the resource, the client id, header %s)', async (kind, apiVersion) => {
    const { source } = tokens(kind);
    const token = await source.token(CONNECTOR);
    expect(identity.issued()).toEqual([token]);
    expect(identity.requests).toEqual([
      {
        kind,
        apiVersion,
        resource: CONNECTOR,
        clientId: CLIENT_ID,
        header: kind === 'appService' ? identity.secret : 'true',
        issued: token,
      },
    ]);
  });

  test('a token is kept: later and concurrent requests share it, each resource has its own', async () => {
    const { source } = tokens();
    const first = await source.token(CONNECTOR);
    const again = await Promise.all(Array.from({ length: 5 }, () => source.token(CONNECTOR)));
    expect(again).toEqual(Array(5).fill(first));
    const database = await Promise.all([source.token(DATABASE), source.token(DATABASE)]);
    expect(database[0]).toBe(database[1]);
    expect(database[0]).not.toBe(first);
    expect(identity.requests.map((request) => request.resource)).toEqual([CONNECTOR, DATABASE]);
  });

  test.each<[string, number, number, number]>([
    // [life, still kept at, renewed at]: five minutes early, or halfway through a shorter life.
    ['an hour', 3600, 54 * MINUTE, 55 * MINUTE + 1000],
    ['two minutes', 120, 59_000, 61_000],
  ])('a token of %s is renewed before it expires, not before', async (_label, lifetimeSeconds, keptAt, renewedAt) => {
    identity.lifetimeSeconds = lifetimeSeconds;
    const { source, clock } = tokens();
    const start = clock.now;
    const first = await source.token(DATABASE);
    clock.now = start + keptAt;
    expect(await source.token(DATABASE)).toBe(first);
    clock.now = start + renewedAt;
    const renewed = await source.token(DATABASE);
    expect(renewed).not.toBe(first);
    expect(identity.issued()).toEqual([first, renewed]);
  });

  test('a forced refresh (the token was refused) asks again at once', async () => {
    const { source } = tokens();
    const first = await source.token(CONNECTOR);
    const refreshed = await source.token(CONNECTOR, true);
    expect(refreshed).not.toBe(first);
    expect(await source.token(CONNECTOR)).toBe(refreshed);
  });

  test('a renewal that fails serves the token still valid, and asks again a little later; a forced one fails', async () => {
    identity.lifetimeSeconds = 600;
    const { source, clock } = tokens();
    const start = clock.now;
    const first = await source.token(DATABASE);
    identity.mode = 'down';
    clock.now = start + 6 * MINUTE;
    expect(await source.token(DATABASE)).toBe(first);
    expect(await source.token(DATABASE)).toBe(first);
    expect(identity.requests).toHaveLength(2);
    clock.now += 11_000;
    expect(await source.token(DATABASE)).toBe(first);
    expect(identity.requests).toHaveLength(3);
    await expect(source.token(DATABASE, true)).rejects.toThrow(/answered 503/);
    identity.mode = 'up';
    clock.now += 11_000;
    expect(await source.token(DATABASE)).not.toBe(first);
  });

  test('a token that expired is never served, whatever the endpoint says', async () => {
    identity.lifetimeSeconds = 600;
    const { source, clock } = tokens();
    await source.token(DATABASE);
    identity.mode = 'down';
    clock.now += 11 * MINUTE;
    await expect(source.token(DATABASE)).rejects.toThrow(ManagedIdentityError);
  });

  test.each<[string, () => ManagedIdentityTokens, RegExp]>([
    [
      'another client id',
      () => tokens('appService', '11111111-2222-4333-8444-555555555555').source,
      /answered 400 for https:\/\/api\.botframework\.com: is the identity with client id 11111111-2222-4333-8444-555555555555 assigned/,
    ],
    [
      'a wrong IDENTITY_HEADER',
      () =>
        new ManagedIdentityTokens({
          clientId: CLIENT_ID,
          endpoint: { kind: 'appService', url: identity.appServiceEndpoint, secret: 'not-the-header' },
          timeoutMs: 2000,
        }),
      /IDENTITY_ENDPOINT\) answered 401/,
    ],
    ['an endpoint that is down', () => tokens('instanceMetadata').source, /\(http:\/\/127\.0\.0\.1:\d+\) answered 503/],
  ])('%s: refused with a message that names no secret', async (label, make, message) => {
    if (label.includes('down')) identity.mode = 'down';
    const error: unknown = await make()
      .token(CONNECTOR)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManagedIdentityError);
    expect(String(error)).toMatch(message);
    expect(String(error)).not.toContain(identity.secret);
  });

  test('an endpoint that does not answer is given up after the timeout', async () => {
    identity.mode = 'hang';
    await expect(tokens('appService', CLIENT_ID, 300).source.token(CONNECTOR)).rejects.toThrow(/did not answer within 300 ms/);
  });

  test('an answer without a usable token, or one already expired, is refused', async () => {
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const expired = (req.url ?? '').includes(encodeURIComponent(DATABASE));
      res.end(JSON.stringify(expired ? { access_token: 'x', expires_on: '1000' } : { token: 'not the field' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`;
      const source = new ManagedIdentityTokens({ endpoint: { kind: 'instanceMetadata', url }, timeoutMs: 2000 });
      await expect(source.token(CONNECTOR)).rejects.toThrow(/answered without a token/);
      await expect(source.token(DATABASE)).rejects.toThrow(/no time left/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('nothing listening: could not be reached', async () => {
    const url = identity.appServiceEndpoint;
    await identity.close();
    const source = new ManagedIdentityTokens({ endpoint: { kind: 'appService', url, secret: 's' }, timeoutMs: 2000 });
    await expect(source.token(CONNECTOR)).rejects.toThrow(/could not be reached/);
    identity = await LocalManagedIdentity.start({ clientId: CLIENT_ID });
  });
});
