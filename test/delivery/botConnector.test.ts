import { BotConnector, type BotConnectorOptions, type ConnectorOutcome } from '../../delivery/botConnector';
import type { TokenSource } from '../../delivery/botConnector';
import { HttpClient } from '../../delivery/http';
import { LoopbackConnector } from '../support/loopbackConnector';

/** Tokens that say which were asked for: a refresh after a 401, or the kept one. */
class RecordingTokens implements TokenSource {
  readonly asked: boolean[] = [];
  token(refresh = false): Promise<string> {
    this.asked.push(refresh);
    return Promise.resolve(refresh ? 'fresh-token' : 'kept-token');
  }
}

describe('BotConnector', () => {
  let connector: LoopbackConnector;
  let http: HttpClient;
  let waits: number[];
  beforeEach(async () => {
    connector = await LoopbackConnector.start();
    http = new HttpClient();
    waits = [];
  });
  afterEach(async () => {
    http.close();
    await connector.close();
  });

  const replies = (options: Partial<BotConnectorOptions> = {}): BotConnector =>
    new BotConnector({
      timeoutMs: 5_000,
      serviceUrls: { loopbackOnly: true },
      http,
      // The waits are recorded, not made, so that a backoff costs the test nothing.
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      ...options,
    });
  const target = (): { serviceUrl: string; conversationId: string } => ({
    serviceUrl: `${connector.url}/`,
    conversationId: '19:thread@thread.tacv2;messageid=17',
  });
  const message = { type: 'message', text: '해지 취소' };

  test('a message is posted to the conversation and its new id given back', async () => {
    const outcome = await replies().post(target(), message);
    expect(outcome).toEqual({ ok: true, id: 'bot-activity-1' });
    expect(connector.deliveries).toEqual([
      expect.objectContaining({ kind: 'send', conversationId: target().conversationId, activity: message }),
    ]);
    expect(connector.deliveries[0]?.replyTo).toBeUndefined();
  });

  test('a reply names the message it answers, so that Teams keeps it in the thread', async () => {
    await replies().post(target(), message, '1733131200000');
    expect(connector.deliveries).toEqual([expect.objectContaining({ kind: 'send', replyTo: '1733131200000' })]);
  });

  test('a card drawn again replaces the message it was', async () => {
    const outcome = await replies().update(target(), 'card/7', message);
    expect(outcome).toEqual({ ok: true, id: 'card/7' });
    expect(connector.deliveries).toEqual([expect.objectContaining({ kind: 'update', activityId: 'card/7' })]);
  });

  test.each<[string, number[], Partial<BotConnectorOptions>, ConnectorOutcome, number[]]>([
    ['throttled once: asked again after its Retry-After', [429], {}, { ok: true, id: 'bot-activity-1' }, [1_000]],
    ['unavailable twice: asked again after a growing backoff', [503, 502], {}, { ok: true, id: 'bot-activity-1' }, [250, 500]],
    [
      'unavailable past the retries: its last answer',
      [503, 503, 503, 504],
      {},
      { ok: false, status: 504, error: 'connector answered 504' },
      [250, 500, 1_000],
    ],
    [
      'throttled for longer than the timeout leaves: not waited for',
      [429],
      { timeoutMs: 800 },
      { ok: false, status: 429, retryAfterMs: 1_000, error: 'connector answered 429' },
      [],
    ],
    [
      'a 500, which may follow a posted message: not sent again',
      [500],
      {},
      { ok: false, status: 500, error: 'connector answered 500' },
      [],
    ],
    [
      "unavailable, for a caller that makes its own retries: the connector's answer",
      [503],
      { retries: 0 },
      { ok: false, status: 503, error: 'connector answered 503' },
      [],
    ],
    ['a refused message: not sent again', [400], {}, { ok: false, status: 400, error: 'connector answered 400' }, []],
    ['a 401 without tokens to refresh: its answer', [401], {}, { ok: false, status: 401, error: 'connector answered 401' }, []],
  ])('%s', async (_label, statuses, options, expected, expectedWaits) => {
    connector.failNext(target().conversationId, statuses);
    expect(await replies(options).post(target(), message)).toEqual(expected);
    expect(waits).toEqual(expectedWaits);
    expect(connector.deliveries).toHaveLength(expected.ok ? 1 : 0);
  });

  test('a 401 is answered with a refreshed token, once', async () => {
    const tokens = new RecordingTokens();
    connector.failNext(target().conversationId, [401]);
    expect(await replies({ tokens }).post(target(), message)).toMatchObject({ ok: true });
    expect(tokens.asked).toEqual([false, true]);
    expect(connector.deliveries.map((delivery) => delivery.authorization)).toEqual(['Bearer fresh-token']);

    connector.failNext(target().conversationId, [401, 401]);
    expect(await replies({ tokens }).post(target(), message)).toEqual({
      ok: false,
      status: 401,
      error: 'connector answered 401',
    });
  });

  test('after the refresh, retries take the token in hand, and the refresh is not counted as one', async () => {
    const tokens = new RecordingTokens();
    connector.failNext(target().conversationId, [401, 503, 503, 503]);
    expect(await replies({ tokens }).post(target(), message)).toMatchObject({ ok: true });
    expect(tokens.asked).toEqual([false, true, false, false, false]);
    expect(waits).toEqual([250, 500, 1_000]);
  });

  test('a token endpoint that hangs is given up on within the timeout', async () => {
    const tokens: TokenSource = { token: () => new Promise<string>(() => undefined) };
    const outcome = await replies({ tokens, timeoutMs: 150 }).post(target(), message);
    expect(outcome).toEqual({ ok: false, error: 'no token for the connector: token endpoint timed out' });
    expect(connector.deliveries).toEqual([]);
  });

  test('a connector that cannot be reached is a failure without a status', async () => {
    const gone = target();
    await connector.close();
    const outcome = await replies().post(gone, message);
    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/^connector unreachable: /) });
    expect(outcome.ok || outcome.status).toBeUndefined();
    connector = await LoopbackConnector.start();
  });

  test.each([
    ['a remote service URL in development', 'https://smba.trafficmanager.net/amer/', /loopback/],
    ['credentials in the service URL', 'http://user:secret@127.0.0.1:9/', /user name or password/],
  ])('a turn whose activity names %s is not answered there', async (_label, serviceUrl, why) => {
    const outcome = await replies().post({ serviceUrl, conversationId: 'c-1' }, message);
    expect(outcome).toEqual({ ok: false, status: 400, error: expect.stringMatching(why) });
  });
});
