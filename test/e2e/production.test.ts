import { startBotProcess, stopBot, type BotProcess } from '../support/botProcess';
import { cardsOf } from '../support/cards';
import { LocalEntra } from '../support/localEntra';
import {
  CHANNEL_ISSUER,
  LocalOpenIdProvider,
  channelClaims,
  corruptSignature,
  emulatorClaims,
  publicKeyAsSecretToken,
  signToken,
  unsignedToken,
} from '../support/localIdentity';
import { LoopbackConnector } from '../support/loopbackConnector';
import {
  APP_ID,
  APP_SECRET,
  SUBSCRIBED_CHANNEL,
  certificationCardInChannel,
  personalMessage,
  postActivity,
  productionEnv,
  seededDataDir,
  storeSnapshot,
  type PostedActivity,
  type StoreSnapshot,
} from '../support/productionBot';

const OTHER_APP = '0b1d2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

/**
 * The compiled bot in production mode, as every real deployment runs it, proven offline: the tests
 * start an OpenID configuration with its key sets and an Entra-like token endpoint on loopback, point
 * botbuilder's own settings at them, and mint tokens with their own keys. botbuilder's validation
 * decides; these tests only say what it must decide.
 */
describe('production mode against loopback token services', () => {
  let idp: LocalOpenIdProvider;
  let entra: LocalEntra;
  let connector: LoopbackConnector;
  let dataDir: string;
  let before: StoreSnapshot;
  let bot: BotProcess;
  /** Requests that were refused, and why they must have been: none may show up anywhere. */
  const refused: { conversationId: string; activityId: string; reason: RegExp }[] = [];
  const served: string[] = [];

  beforeAll(async () => {
    idp = await LocalOpenIdProvider.start();
    entra = await LocalEntra.start(APP_ID, APP_SECRET);
    connector = await LoopbackConnector.start();
    dataDir = seededDataDir();
    before = storeSnapshot(dataDir);
    bot = await startBotProcess(productionEnv(idp, entra, dataDir));
  });

  afterAll(async () => {
    if (bot.child.exitCode === null) await stopBot(bot);
    await Promise.all([idp.close(), entra.close(), connector.close()]);
  });

  /** A personal chat's message, as the connector posts it, with ids the checks look for afterwards. */
  const activity = (channelId: string): PostedActivity => personalMessage(connector.url, { channelId });

  const channelToken = () => signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url) });

  test.each<[string, string, () => Promise<string>]>([
    ['a channel token from Teams', 'msteams', () => channelToken()],
    [
      'an Emulator token for the bot’s own app',
      'emulator',
      () => signToken({ key: idp.emulatorKey, claims: emulatorClaims(APP_ID) }),
    ],
  ])('%s is served, and the reply reaches the connector with a token from the local Entra', async (_label, channelId, token) => {
    const { body, conversationId } = activity(channelId);
    const answer = await postActivity(bot.url, body, await token());
    expect(answer.status).toBe(200);
    served.push(conversationId);
    const replies = connector.deliveries.filter((delivery) => delivery.conversationId === conversationId);
    expect(replies.length).toBeGreaterThan(0);
    expect(cardsOf(replies[0]!.activity)).toHaveLength(1);
    for (const reply of replies) {
      expect(reply.authorization).toMatch(/^Bearer local-entra-token-\d+$/);
      expect(entra.issued).toContain(reply.authorization?.slice('Bearer '.length));
    }
    expect(entra.requests).toContainEqual(
      expect.objectContaining({
        tenant: 'botframework.com',
        clientId: APP_ID,
        grantType: 'client_credentials',
        scope: 'https://api.botframework.test/.default',
      }),
    );
  });

  test.each<[string, string, () => Promise<string | undefined>, RegExp]>([
    ['no Authorization header', 'msteams', async () => undefined, /not authorized/],
    ['a bearer that is not a JWT', 'msteams', async () => 'not-a-token', /No valid identity/],
    [
      'the wrong audience',
      'msteams',
      () => signToken({ key: idp.channelKey, claims: channelClaims(OTHER_APP, connector.url) }),
      /Invalid AppId/,
    ],
    [
      'the wrong issuer (the public cloud’s, signed with a channel key)',
      'msteams',
      () =>
        signToken({
          key: idp.channelKey,
          claims: { ...channelClaims(APP_ID, connector.url), iss: 'https://api.botframework.com' },
        }),
      /No valid identity/,
    ],
    [
      'an expired token',
      'msteams',
      () => signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url), expiresIn: -900 }),
      /expired/,
    ],
    [
      'a token not yet valid',
      'msteams',
      () => signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url), notBefore: 3600, expiresIn: 7200 }),
      /NotBeforeError/,
    ],
    [
      'an unknown kid',
      'msteams',
      () => signToken({ key: idp.strangerKey, kid: 'no-such-key', claims: channelClaims(APP_ID, connector.url) }),
      /Signing Key could not be retrieved/,
    ],
    [
      'the right kid with another key',
      'msteams',
      () => signToken({ key: idp.strangerKey, kid: idp.channelKey.kid, claims: channelClaims(APP_ID, connector.url) }),
      /invalid signature/,
    ],
    [
      'alg none',
      'msteams',
      async () => unsignedToken(channelClaims(APP_ID, connector.url), idp.channelKey.kid),
      /signature is required/,
    ],
    [
      'HS256 keyed with the public key',
      'msteams',
      () => publicKeyAsSecretToken(idp.channelKey, channelClaims(APP_ID, connector.url)),
      /invalid algorithm/,
    ],
    ['a corrupted signature', 'msteams', async () => corruptSignature(await channelToken()), /invalid signature/],
    [
      'a serviceurl claim that is not the activity’s',
      'msteams',
      () => signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, 'https://smba.trafficmanager.net/amer/') }),
      /ServiceUrl claim/,
    ],
    [
      'a channel its key does not endorse',
      'webchat',
      () => signToken({ key: idp.teamsOnlyKey, claims: channelClaims(APP_ID, connector.url) }),
      /endorsement/,
    ],
    [
      'an Emulator token for another app',
      'emulator',
      () => signToken({ key: idp.emulatorKey, claims: emulatorClaims(OTHER_APP) }),
      /Invalid AppId/,
    ],
    [
      'an Emulator token signed with a channel key',
      'emulator',
      () => signToken({ key: idp.channelKey, claims: emulatorClaims(APP_ID) }),
      /Signing Key could not be retrieved/,
    ],
  ])('%s: 401, and nothing happens', async (_label, channelId, token, reason) => {
    const { body, conversationId, activityId } = activity(channelId);
    const answer = await postActivity(bot.url, body, await token());
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({ error: 'Unauthorized' });
    refused.push({ conversationId, activityId, reason });
    expect(connector.deliveries.filter((delivery) => delivery.conversationId === conversationId)).toEqual([]);
  });

  test('a certification change reaches a subscribed Teams channel with the bot’s token', async () => {
    const card = await certificationCardInChannel(bot.url, connector, await channelToken());
    served.push(SUBSCRIBED_CHANNEL);
    expect(card?.authorization).toMatch(/^Bearer local-entra-token-\d+$/);
  });

  test('keys fetched once at start serve every token; forged kids fetch nothing', () => {
    expect(idp.metadataFetches('channel')).toBe(1);
    expect(idp.metadataFetches('emulator')).toBe(1);
  });

  test('valid tokens are still served while the metadata service is down, from the keys held', async () => {
    idp.mode = 'down';
    try {
      const valid = activity('msteams');
      expect((await postActivity(bot.url, valid.body, await channelToken())).status).toBe(200);
      served.push(valid.conversationId);
      const forged = activity('msteams');
      const rotated = await signToken({ key: idp.strangerKey, kid: 'rotated-key', claims: channelClaims(APP_ID, connector.url) });
      expect((await postActivity(bot.url, forged.body, rotated)).status).toBe(401);
      refused.push({ ...forged, reason: /Signing Key could not be retrieved/ });
    } finally {
      idp.mode = 'up';
    }
  });

  test('nothing of a refused request reached a turn or the store, and stdout held JSON lines only', async () => {
    expect(await stopBot(bot)).toBe(0);
    const after = storeSnapshot(dataDir);
    expect(after.solutions).toEqual(before.solutions);
    for (const { conversationId } of refused) {
      expect(after.dialogStateKeys.filter((key) => key.includes(conversationId))).toEqual([]);
      expect(after.conversationKeys.filter((key) => key.includes(conversationId))).toEqual([]);
    }
    expect(after.dialogStateKeys.some((key) => key.includes(served[0]!))).toBe(true);

    const turns = bot.log.filter((entry) => entry.msg === 'turn').map((entry) => entry.activityId);
    for (const { activityId } of refused) expect(turns).not.toContain(activityId);
    const refusals = bot.log.filter((entry) => entry.msg === 'request not authenticated');
    expect(refusals).toHaveLength(refused.length);
    // One JSON line each, saying why: each row failed for its own reason, not for a shared accident.
    for (const { activityId, reason } of refused) {
      expect(refusals.filter((entry) => entry.activityId === activityId).map((entry) => entry.reason)).toEqual([
        expect.stringMatching(reason),
      ]);
    }
    expect(bot.log.filter((entry) => Number(entry.level) >= 50)).toEqual([]);

    const everything = [...bot.log.map((entry) => JSON.stringify(entry)), ...bot.otherLines, ...bot.stderr].join('\n');
    expect(bot.otherLines).toEqual([]);
    expect(bot.stderr).toEqual([]);
    expect(everything).not.toMatch(/BEGIN (RSA )?PUBLIC KEY|eyJ[\w-]+\.|"stack"|local-test-secret/);
    expect(everything).not.toContain(CHANNEL_ISSUER + '"'); // no token claims echoed back
  });
});
