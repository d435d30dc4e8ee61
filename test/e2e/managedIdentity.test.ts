import pg from 'pg';
import { startBotProcess, stopBot, type BotProcess } from '../support/botProcess';
import { cardsOf } from '../support/cards';
import { LocalOpenIdProvider, channelClaims, signToken } from '../support/localIdentity';
import { LocalManagedIdentity } from '../support/localManagedIdentity';
import { LoopbackConnector } from '../support/loopbackConnector';
import { describeWithPasswordPostgres, PasswordPostgres } from '../support/passwordPostgres';
import {
  APP_ID,
  certificationCardInChannel,
  managedIdentityEnv,
  personalMessage,
  postActivity,
  seededDataDir,
} from '../support/productionBot';
import { temporaryDataDir } from '../support/testApp';

/** The scope the production tests give ToChannelFromBotOAuthScope: the identity is asked for it, as a resource. */
const CONNECTOR_RESOURCE = 'https://api.botframework.test';
const DATABASE_RESOURCE = 'https://ossrdbms-aad.database.windows.net';

/** Posts a Teams message signed by the channel's key; resolves with the bot's replies to it. */
async function converse(bot: BotProcess, idp: LocalOpenIdProvider, connector: LoopbackConnector, from?: Record<string, string>) {
  const { body, conversationId } = personalMessage(connector.url, { ...(from && { from }) });
  const token = await signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url) });
  const answer = await postActivity(bot.url, body, token);
  return {
    status: answer.status,
    replies: connector.deliveries.filter((delivery) => delivery.conversationId === conversationId),
  };
}

/**
 * MicrosoftAppType=UserAssignedMSI as App Service runs it: no secret anywhere; the bot's outgoing
 * tokens come from the identity endpoint App Service names in IDENTITY_ENDPOINT and IDENTITY_HEADER,
 * here a loopback stand-in (test/support/localManagedIdentity.ts) that only answers with the header
 * and for the identity's client id.
 */
describe('a user-assigned managed identity: Bot Connector tokens', () => {
  let idp: LocalOpenIdProvider;
  let identity: LocalManagedIdentity;
  let connector: LoopbackConnector;
  let bot: BotProcess;

  beforeAll(async () => {
    idp = await LocalOpenIdProvider.start();
    identity = await LocalManagedIdentity.start({ clientId: APP_ID });
    connector = await LoopbackConnector.start();
    bot = await startBotProcess(managedIdentityEnv(idp, identity, seededDataDir()));
  });

  afterAll(async () => {
    if (bot.child.exitCode === null) await stopBot(bot);
    await Promise.all([idp.close(), identity.close(), connector.close()]);
  });

  test("a signed activity is answered with replies that carry the identity's token", async () => {
    const { status, replies } = await converse(bot, idp, connector);
    expect(status).toBe(200);
    expect(cardsOf(replies[0]!.activity)).toHaveLength(1);
    const [token] = identity.issued(CONNECTOR_RESOURCE);
    for (const reply of replies) expect(reply.authorization).toBe(`Bearer ${token}`);
    expect(identity.requests[0]).toEqual({
      kind: 'appService',
      apiVersion: '2019-08-01',
      resource: CONNECTOR_RESOURCE,
      clientId: APP_ID,
      header: identity.secret,
      issued: token,
    });
  });

  test('the token is kept across turns, and a member lookup through the SDK carries it too', async () => {
    const asked = identity.requests.length;
    // A sender without a name is looked up in Teams (TeamsInfo.getMember), on the SDK's own client.
    const { status, replies } = await converse(bot, idp, connector, { id: 'demo-manager' });
    expect(status).toBe(200);
    expect(identity.requests).toHaveLength(asked);
    const token = identity.issued(CONNECTOR_RESOURCE).at(-1);
    expect(replies.map((reply) => reply.authorization)).toEqual(replies.map(() => `Bearer ${token}`));
    expect(connector.lookups.length).toBeGreaterThan(0);
    expect(connector.lookups.every((lookup) => lookup.authorization === `Bearer ${token}`)).toBe(true);
  });

  test('a token the connector refuses (401) is replaced by a new one from the identity, and the reply goes', async () => {
    const before = identity.issued(CONNECTOR_RESOURCE);
    const { body, conversationId } = personalMessage(connector.url);
    connector.failNext(conversationId, [401]);
    const token = await signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url) });
    expect((await postActivity(bot.url, body, token)).status).toBe(200);
    const after = identity.issued(CONNECTOR_RESOURCE);
    expect(after).toHaveLength(before.length + 1);
    const replies = connector.deliveries.filter((delivery) => delivery.conversationId === conversationId);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies[0]?.authorization).toBe(`Bearer ${after.at(-1)}`);
  });

  test("the outbox's sends carry the identity's token: a certification card to a subscribed channel", async () => {
    const token = await signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url) });
    const card = await certificationCardInChannel(bot.url, connector, token);
    expect(card?.authorization).toBe(`Bearer ${identity.issued(CONNECTOR_RESOURCE).at(-1)}`);
  });

  test('no secret was needed, and none was logged', async () => {
    expect(await stopBot(bot)).toBe(0);
    const everything = [...bot.log.map((entry) => JSON.stringify(entry)), ...bot.otherLines, ...bot.stderr].join('\n');
    expect(bot.stderr).toEqual([]);
    expect(bot.log.filter((entry) => Number(entry.level) >= 50)).toEqual([]);
    expect(everything).not.toContain(identity.secret);
    for (const token of identity.issued()) expect(everything).not.toContain(token.slice(0, 40));
  });
});

/**
 * DATABASE_AUTH=entra against a PostgreSQL that really checks passwords (test/support/passwordPostgres.ts):
 * the identity's database role has, as its password, the token the identity endpoint hands out for
 * the database resource, as Azure's PostgreSQL takes the identity's current Entra tokens. Tokens live
 * a few seconds here; the test rolls the current one (the old one stops working at once, which is
 * stricter than Entra), lets the bot's expire, cuts its connections, and sees new ones get in.
 */
describeWithPasswordPostgres('a user-assigned managed identity: PostgreSQL with Entra tokens', () => {
  const ROLE = 'ocp-bot-identity';
  const DATABASE = 'bot';
  const LIFETIME_SECONDS = 3;
  let cluster: PasswordPostgres;
  let idp: LocalOpenIdProvider;
  let identity: LocalManagedIdentity;
  let connector: LoopbackConnector;
  let bot: BotProcess | undefined;

  beforeAll(async () => {
    cluster = await PasswordPostgres.start();
    await cluster.createRole(ROLE, DATABASE);
    idp = await LocalOpenIdProvider.start();
    connector = await LoopbackConnector.start();
    identity = await LocalManagedIdentity.start({ clientId: APP_ID, lifetimeSeconds: LIFETIME_SECONDS });
  }, 60_000);

  afterAll(async () => {
    if (bot && bot.child.exitCode === null) await stopBot(bot);
    await Promise.all([idp?.close(), identity?.close(), connector?.close()]);
    await cluster?.stop();
  });

  /** A new current token for the database: the role takes it, and the endpoint hands it out. */
  async function roll(): Promise<string> {
    const token = identity.roll(DATABASE_RESOURCE);
    await cluster.setPassword(ROLE, token);
    return token;
  }

  /** Whether `password` gets `ROLE` in now, and if not, PostgreSQL's SQLSTATE or pg's words. */
  async function signIn(password: string | undefined): Promise<string> {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: cluster.port,
      user: ROLE,
      database: DATABASE,
      ...(password !== undefined && { password }),
      connectionTimeoutMillis: 3000,
    });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return 'in';
    } catch (error: unknown) {
      return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  test('the cluster checks passwords: none, or a wrong one, is refused', async () => {
    const token = await roll();
    expect(await signIn('a-wrong-one')).toBe('28P01');
    expect(await signIn(undefined)).toMatch(/password must be a string/);
    expect(await signIn(token)).toBe('in');
  });

  test('the bot starts on it with the identity as user and no password, and serves a turn from it', async () => {
    const token = await roll();
    bot = await startBotProcess(
      managedIdentityEnv(idp, identity, temporaryDataDir(), {
        DATABASE_URL: cluster.url(ROLE, DATABASE),
        DATABASE_AUTH: 'entra',
        DATABASE_SCHEMA: 'bot',
      }),
    );
    expect(identity.requests.filter((request) => request.resource === DATABASE_RESOURCE)).toContainEqual({
      kind: 'appService',
      apiVersion: '2019-08-01',
      resource: DATABASE_RESOURCE,
      clientId: APP_ID,
      header: identity.secret,
      issued: token,
    });
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ store: { kind: 'postgres', available: true } });
    expect(bot.log.find((entry) => entry.msg === 'bot listening')).toMatchObject({ store: 'postgres' });
    const { status, replies } = await converse(bot, idp, connector);
    expect(status).toBe(200);
    // Read from the store: a sender it has no member for (a store that did not answer gets an apology).
    expect(replies[0]?.activity.text).toMatch(/not registered as a member/);
    expect(replies[0]?.authorization).toBe(`Bearer ${identity.issued(CONNECTOR_RESOURCE).at(-1)}`);
  });

  test('after the token rolls and the one it held expires, new connections get in with the new one', async () => {
    const running = bot!;
    const old = identity.issued(DATABASE_RESOURCE).at(-1)!;
    const rolledAt = Date.now();
    const current = await roll();
    expect(await signIn(old)).toBe('28P01');
    // Past the old token's expiry: whatever the bot held then, it has had to ask again.
    await new Promise((resolve) => setTimeout(resolve, LIFETIME_SECONDS * 1000 + 500));
    expect(await cluster.disconnect(ROLE)).toBeGreaterThan(0);

    const { status, replies } = await converse(running, idp, connector);
    expect(status).toBe(200);
    expect(replies[0]?.activity.text).toMatch(/not registered as a member/);
    expect(await cluster.connections(ROLE)).toBeGreaterThan(0);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    const askedSince = identity.requests.filter(
      (request) => request.resource === DATABASE_RESOURCE && request.issued === current,
    );
    expect(askedSince.length).toBeGreaterThan(0);
    expect(Date.now() - rolledAt).toBeGreaterThan(LIFETIME_SECONDS * 1000);
  });

  test('it stopped cleanly, with nothing of a token in its output', async () => {
    const running = bot!;
    expect(await stopBot(running)).toBe(0);
    expect(running.stderr).toEqual([]);
    expect(running.log.filter((entry) => Number(entry.level) >= 50)).toEqual([]);
    const everything = [...running.log.map((entry) => JSON.stringify(entry)), ...running.otherLines].join('\n');
    for (const token of identity.issued()) expect(everything).not.toContain(token.slice(0, 40));
  });
});
