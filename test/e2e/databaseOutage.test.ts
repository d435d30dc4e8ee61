import { Conversation, onlyCard, postJson, texts } from '../support/botClient';
import { failedStart, startBotProcess, stopBot, type BotProcess } from '../support/botProcess';
import { textOf } from '../support/cards';
import { LoopbackConnector } from '../support/loopbackConnector';
import { describeWithPostgres, testDatabaseUrl, TestSchema } from '../support/postgres';
import { TcpProxy } from '../support/tcpProxy';
import { temporaryDataDir } from '../support/testApp';
import { waitFor } from '../support/waitFor';

const CHANNEL = '19:releases@thread.tacv2';
const TOKEN = 'outage-notify-token-of-32-characters!';
const FLEET = 'OCP-1042173';
const APOLOGY = /can't reach my records right now/;

/**
 * The bot's database goes away while it runs, as in a restart of the server: a proxy between them
 * drops every connection and refuses new ones, then lets them through again.
 */
describeWithPostgres('the shared database lost and back while the bot runs', () => {
  let schema: TestSchema;
  let database: TcpProxy;
  let connector: LoopbackConnector;
  let bot: BotProcess;

  beforeEach(async () => {
    schema = await TestSchema.create();
    const real = new URL(testDatabaseUrl());
    database = await TcpProxy.start({ host: real.hostname, port: Number(real.port || 5432) });
    const throughProxy = new URL(real);
    throughProxy.port = String(database.port);
    connector = await LoopbackConnector.start();
    bot = await startBotProcess({
      ...schema.settings(),
      DATABASE_URL: throughProxy.toString(),
      DATA_DIR: temporaryDataDir(),
      NOTIFY_TOKEN: TOKEN,
      LOG_LEVEL: 'info',
    });
  });
  afterEach(async () => {
    await stopBot(bot);
    await connector.close();
    await database.close();
    await schema.drop();
  });

  const channel = (): Conversation =>
    new Conversation(bot.url, connector, { conversationId: CHANNEL, conversationType: 'channel', channelId: 'msteams' });
  const manager = (): Conversation => new Conversation(bot.url, connector, { userId: 'demo-manager' });
  const postChange = (offerId: string, key: string) =>
    postJson(
      `${bot.url}/api/notifications/certification`,
      { offerId, status: 'inCertification' },
      { authorization: `Bearer ${TOKEN}`, 'idempotency-key': key },
    );
  const health = async (): Promise<number> => (await fetch(`${bot.url}/healthz`)).status;
  const cardsIn = (conversationId: string): string[] =>
    connector.deliveries
      .filter((delivery) => delivery.conversationId === conversationId && delivery.activity.attachments?.length)
      .map((delivery) => textOf(delivery.activity.attachments?.[0]?.content));

  test('turns apologize and endpoints answer 503 while it is gone; it all works after, and nothing acknowledged is lost', async () => {
    const tenant = { tenant: { id: 'tenant-1' }, team: { id: 'team-1' }, channel: { id: CHANNEL } };
    expect(texts(await channel().mention('subscribe', tenant)).join(' ')).toMatch(/now hears about/);
    await manager().press({
      verb: 'submitMerge',
      solutionId: FLEET,
      offerType: 'saas',
      offerName: 'Contoso CRM Connect',
      ocpSolutionId: FLEET,
      listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect',
    });
    // Acknowledged, but its card cannot be delivered yet: the connector refuses the first tries.
    connector.failNext(CHANNEL, [503, 503]);
    expect((await postChange('contoso.managed-soc', 'before-the-outage')).status).toBe(202);

    database.interrupt();
    expect(texts(await manager().say('solutions')).join(' ')).toMatch(APOLOGY);
    expect(await health()).toBe(503);
    const refused = await postChange('contoso.crm-connect', 'during-the-outage');
    expect(refused.status).toBe(503);
    // A little while down: the sender's retries meet the outage too.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(bot.child.exitCode).toBeNull();

    database.restore();
    for (let tries = 0; (await health()) !== 200; tries++) {
      if (tries > 100) throw new Error('/healthz did not come back within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(onlyCard(await manager().say('solutions')).card).toBeDefined();
    // The change acknowledged before the outage reaches the channel once; the refused one was not kept.
    await waitFor(() => cardsIn(CHANNEL).length >= 1, 20_000);
    expect((await postChange('contoso.crm-connect', 'during-the-outage')).status).toBe(202);
    await waitFor(() => cardsIn(CHANNEL).length >= 2, 20_000);
    expect(cardsIn(CHANNEL).map((card) => card.split('\n')[0])).toEqual([
      expect.stringContaining('Contoso Managed SOC'),
      expect.stringContaining('Contoso CRM Connect'),
    ]);
    const { rows } = await schema.db.query<{ n: number }>('SELECT count(*) AS n FROM support_requests WHERE solution_id = $1', [
      FLEET,
    ]);
    expect(rows[0]?.n).toBe(1);
  }, 60_000);
});

describeWithPostgres('a database that cannot be used at start', () => {
  test('a database that does not exist stops the start with exit code 2, saying so', async () => {
    const url = new URL(testDatabaseUrl());
    url.pathname = '/no_such_database_for_the_bot';
    const { code, stderr } = await failedStart({ DATA_DIR: temporaryDataDir(), DATABASE_URL: url.toString() });
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot be used: the database does not exist/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
