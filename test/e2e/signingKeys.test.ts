import { randomUUID } from 'node:crypto';
import { startBotProcess, stopBot, type BotProcess } from '../support/botProcess';
import { LocalEntra } from '../support/localEntra';
import { LocalOpenIdProvider, channelClaims, signToken } from '../support/localIdentity';
import { LoopbackConnector } from '../support/loopbackConnector';
import {
  APP_ID,
  APP_SECRET,
  postActivity,
  productionEnv,
  seededDataDir,
  storeSnapshot,
  type Answer,
} from '../support/productionBot';
import { waitFor } from '../support/waitFor';

const FLOOD = 200;
/** A flood comes over one connection a request, from this one address: as if through a proxy. */
const FLOOD_LIMITS = { HTTP_MAX_CONNECTIONS_PER_CLIENT: '1000' };

/**
 * How many fetches "one per interval, with backoff" allows in `elapsedMs` after a first failed one:
 * the bot waits 1 s after the first failure, then 2 s, 4 s… (bot/openIdKeys.ts).
 */
function fetchesAllowedWithin(elapsedMs: number): number {
  return 1 + Math.floor(Math.log2(elapsedMs / 1000 + 1));
}

/**
 * While the signing keys cannot be fetched and none are held, the bot can verify nothing: each
 * request is answered 503 with Retry-After at once, and a flood of them costs one fetch per backoff
 * interval, not one each (the SDK alone fetched for every request and answered after 15–35 s).
 */
describe('signing keys that cannot be fetched', () => {
  let idp: LocalOpenIdProvider;
  let entra: LocalEntra;
  let connector: LoopbackConnector;
  let bot: BotProcess | undefined;

  beforeEach(async () => {
    entra = await LocalEntra.start(APP_ID, APP_SECRET);
    connector = await LoopbackConnector.start();
  });

  afterEach(async () => {
    if (bot && bot.child.exitCode === null) await stopBot(bot);
    bot = undefined;
    await Promise.all([idp.close(), entra.close(), connector.close()]);
  });

  function message(): { body: Record<string, unknown>; conversationId: string } {
    const conversationId = `flood-${randomUUID()}`;
    return {
      conversationId,
      body: {
        type: 'message',
        id: randomUUID(),
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: { id: 'demo-manager' },
        recipient: { id: `28:${APP_ID}` },
        conversation: { id: conversationId },
        text: 'help',
      },
    };
  }

  /** FLOOD concurrent requests, each with a token the bot would accept if it had the keys. */
  async function flood(target: BotProcess, size = FLOOD): Promise<{ answers: Answer[]; conversations: string[] }> {
    const token = await signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url) });
    const messages = Array.from({ length: size }, message);
    const answers = await Promise.all(messages.map((each) => postActivity(target.url, each.body, token)));
    return { answers, conversations: messages.map((each) => each.conversationId) };
  }

  test('with the metadata service failing: every request 503 at once, one fetch per interval, then served when it is back', async () => {
    idp = await LocalOpenIdProvider.start('down');
    const dataDir = seededDataDir();
    const startedAt = Date.now();
    bot = await startBotProcess(productionEnv(idp, entra, dataDir, FLOOD_LIMITS));

    const { answers, conversations } = await flood(bot);
    const elapsed = Date.now() - startedAt;
    expect(answers.map((answer) => answer.status)).toEqual(Array(FLOOD).fill(503));
    for (const answer of answers) expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(idp.metadataFetches('channel')).toBeGreaterThanOrEqual(1);
    expect(idp.metadataFetches('channel')).toBeLessThanOrEqual(fetchesAllowedWithin(elapsed));
    // One JSON line per request; stdout is read as it comes, so wait for the last of them.
    const running = bot;
    await waitFor(
      () => running.log.filter((entry) => entry.msg === 'request not verified: signing keys unavailable').length >= FLOOD,
    );
    expect(running.log.filter((entry) => entry.msg === 'request not verified: signing keys unavailable')).toHaveLength(FLOOD);
    // …and one per fetch that failed, not per request.
    const attempts = running.log.filter(
      (entry) => entry.msg === 'signing keys could not be loaded' && String(entry.metadataUrl).includes('/channel/'),
    );
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts.length).toBeLessThanOrEqual(fetchesAllowedWithin(elapsed));
    expect(connector.deliveries).toEqual([]);

    idp.mode = 'up';
    const token = await signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url) });
    let served: Answer | undefined;
    const recovered = await (async () => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        served = await postActivity(running.url, message().body, token);
        if (served.status === 200) return true;
        expect(served.status).toBe(503);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return false;
    })();
    expect(recovered).toBe(true);
    expect(connector.deliveries.length).toBeGreaterThan(0);
    expect(connector.deliveries[0]?.authorization).toMatch(/^Bearer local-entra-token-/);

    expect(await stopBot(running)).toBe(0);
    const after = storeSnapshot(dataDir);
    for (const conversationId of conversations) {
      expect(after.dialogStateKeys.filter((key) => key.includes(conversationId))).toEqual([]);
    }
    expect(running.otherLines).toEqual([]);
  });

  test('with the metadata service hanging: a flood is answered 503 at once, while the one fetch in flight hangs', async () => {
    idp = await LocalOpenIdProvider.start('hang');
    const launchedAt = Date.now();
    bot = await startBotProcess(productionEnv(idp, entra, seededDataDir(), FLOOD_LIMITS));
    const startedAt = Date.now();
    const { answers } = await flood(bot, 500);
    const elapsed = Date.now() - startedAt;
    expect(answers.map((answer) => answer.status)).toEqual(Array(500).fill(503));
    // None of them waited for a fetch to end: every fetch made (start-up's, one an issuer) is still held unanswered.
    expect(idp.hangingRequests).toBe(idp.fetchCount());
    // The fetch started at start-up hangs until its 10 s timeout, and every request shares it: one
    // fetch, unless the machine was so slow that it timed out and the next interval began.
    expect(idp.metadataFetches('channel')).toBeGreaterThanOrEqual(1);
    expect(idp.metadataFetches('channel')).toBeLessThanOrEqual(1 + Math.floor((Date.now() - launchedAt) / 10_000));
    // Generous: the point is not the SDK's 15–35 s, nor a wait for the fetch's own 10 s timeout.
    expect(elapsed).toBeLessThan(9_000);
  });
});
