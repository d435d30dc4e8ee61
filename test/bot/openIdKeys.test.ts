import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenIdKeySource, SigningKeysUnavailableError } from '../../bot/openIdKeys';
import { LocalOpenIdProvider } from '../support/localIdentity';

const MINUTE = 60_000;

/** A clock the test moves; fetches themselves run for real against the loopback provider. */
class TestClock {
  at = Date.parse('2026-11-21T09:00:00Z');
  readonly now = (): number => this.at;
  advance(ms: number): void {
    this.at += ms;
  }
}

const quiet = { info: () => undefined, warn: () => undefined };

describe('OpenIdKeySource', () => {
  let idp: LocalOpenIdProvider;
  let clock: TestClock;
  let source: OpenIdKeySource;

  beforeAll(async () => {
    idp = await LocalOpenIdProvider.start();
  });
  beforeEach(() => {
    idp.reset();
    clock = new TestClock();
    source = new OpenIdKeySource(idp.channelMetadataUrl, { log: quiet, now: clock.now });
  });
  // A fetch started behind a request answered at once must not land in the next test's counts.
  afterEach(() => source.idle());
  afterAll(() => idp.close());

  test('loads the key set once and serves its keys with their endorsements', async () => {
    const key = await source.getKey(idp.channelKey.kid);
    expect(key?.key).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(key?.endorsements).toEqual(idp.channelKey.endorsements);
    expect(await source.getKey(idp.teamsOnlyKey.kid)).toMatchObject({ endorsements: ['msteams'] });
    expect(idp.metadataFetches('channel')).toBe(1);
  });

  test('an unknown kid looks again at most every five minutes, and not at all before', async () => {
    await source.getKey(idp.channelKey.kid);
    for (let i = 0; i < 20; i++) expect(await source.getKey(`forged-${i}`)).toBeNull();
    expect(idp.metadataFetches('channel')).toBe(1);
    clock.advance(5 * MINUTE);
    expect(await source.getKey('forged-again')).toBeNull();
    expect(await source.getKey('forged-once-more')).toBeNull();
    expect(idp.metadataFetches('channel')).toBe(2);
  });

  test('concurrent requests share one fetch', async () => {
    const keys = await Promise.all(Array.from({ length: 50 }, () => source.getKey(idp.channelKey.kid)));
    expect(keys.every((key) => key !== null)).toBe(true);
    expect(idp.metadataFetches('channel')).toBe(1);
  });

  test('with no keys and the service down: unavailable, and one fetch per backoff interval, doubling', async () => {
    idp.mode = 'down';
    const attempt = () => source.getKey(idp.channelKey.kid);
    await expect(attempt()).rejects.toEqual(
      expect.objectContaining({ name: 'SigningKeysUnavailableError', retryAfterSeconds: 1 }),
    );
    for (let i = 0; i < 10; i++) await expect(attempt()).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    expect(idp.metadataFetches('channel')).toBe(1);

    const fetchesAfter = async (ms: number): Promise<number> => {
      clock.advance(ms);
      await expect(attempt()).rejects.toBeInstanceOf(SigningKeysUnavailableError);
      await source.idle();
      return idp.metadataFetches('channel');
    };
    expect(await fetchesAfter(999)).toBe(1);
    expect(await fetchesAfter(1)).toBe(2); // 1 s after the first failure
    expect(await fetchesAfter(1_999)).toBe(2);
    expect(await fetchesAfter(1)).toBe(3); // 2 s after the second
    await expect(attempt()).rejects.toEqual(expect.objectContaining({ retryAfterSeconds: 4 }));

    idp.mode = 'up';
    clock.advance(4_000);
    // Answered at once, while the fetch it started runs: the next request is served.
    await expect(attempt()).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    await source.idle();
    expect(await attempt()).not.toBeNull();
    expect(idp.metadataFetches('channel')).toBe(4);
  });

  test('with no keys and the first fetch hanging past its wait: later requests are answered at once, not after it', async () => {
    idp.mode = 'hang';
    const waitMs = 1000;
    const hanging = new OpenIdKeySource(idp.channelMetadataUrl, { log: quiet, now: clock.now, waitMs });
    // The first request waits its bounded while for the fetch start-up made; then no one waits.
    await expect(hanging.getKey(idp.channelKey.kid)).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    const flood = Promise.allSettled(Array.from({ length: 500 }, () => hanging.getKey(idp.channelKey.kid)));
    const first = await Promise.race([
      flood.then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('waited'), waitMs / 2)),
    ]);
    expect(first).toBe('answered');
    const answers = await flood;
    expect(answers.every((answer) => answer.status === 'rejected' && answer.reason instanceof SigningKeysUnavailableError)).toBe(
      true,
    );
    expect(idp.hangingRequests).toBe(1);
    expect(idp.metadataFetches('channel')).toBe(1);
    idp.cutHanging();
    await hanging.idle();
  });

  test('the backoff stops growing at a minute', async () => {
    idp.mode = 'down';
    for (let i = 0; i < 12; i++) {
      await expect(source.getKey('k')).rejects.toBeInstanceOf(SigningKeysUnavailableError);
      await source.idle();
      clock.advance(10 * MINUTE);
    }
    await expect(source.getKey('k')).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    await source.idle();
    await expect(source.getKey('k')).rejects.toEqual(expect.objectContaining({ retryAfterSeconds: 60 }));
  });

  test('keys past their day keep serving while a refresh fails, and the refresh backs off', async () => {
    await source.getKey(idp.channelKey.kid);
    idp.mode = 'down';
    clock.advance(25 * 60 * MINUTE);
    for (let i = 0; i < 10; i++) expect(await source.getKey(idp.channelKey.kid)).not.toBeNull();
    expect(idp.metadataFetches('channel')).toBe(2);
    expect(await source.getKey('forged')).toBeNull();
  });

  test.each<[string, (provider: LocalOpenIdProvider) => unknown, (provider: LocalOpenIdProvider) => unknown]>([
    ['metadata without a jwks_uri', () => ({ issuer: 'x' }), () => ({ keys: [] })],
    ['a key set that is not one', (p) => ({ jwks_uri: `${p.url}/keys` }), () => ['not', 'keys']],
    [
      'a key set without RSA keys',
      (p) => ({ jwks_uri: `${p.url}/keys` }),
      () => ({ keys: [{ kty: 'EC', kid: 'ec', crv: 'P-256' }] }),
    ],
    [
      'RSA keys that do not parse',
      (p) => ({ jwks_uri: `${p.url}/keys` }),
      () => ({ keys: [{ kty: 'RSA', kid: 'r', n: '!!', e: '??' }] }),
    ],
    [
      'an RSA key too short to be Microsoft’s',
      (p) => ({ jwks_uri: `${p.url}/keys` }),
      () => ({ keys: [{ kty: 'RSA', kid: 'r', n: 'AQAB', e: 'AQAB' }] }),
    ],
  ])('%s is a failed fetch, not keys', async (_label, metadata, keys) => {
    const bad = await documentServer((url) => (url.endsWith('/keys') ? keys(idp) : metadata(idp)), idp);
    try {
      const broken = new OpenIdKeySource(`${bad.url}/.well-known/openid-configuration`, { log: quiet, now: clock.now });
      await expect(broken.getKey('r')).rejects.toBeInstanceOf(SigningKeysUnavailableError);
    } finally {
      await bad.close();
    }
  });
});

/** A server answering every path with the given JSON; jwks_uri values that point at the provider are pointed here. */
async function documentServer(
  documentFor: (url: string) => unknown,
  provider: LocalOpenIdProvider,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on('request', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(documentFor(req.url ?? '')).replaceAll(provider.url, url));
  });
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
