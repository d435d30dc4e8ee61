import { Conversation, onlyCard, texts } from '../support/botClient';
import { startBotProcess, stopBot, type BotProcess } from '../support/botProcess';
import { LoopbackConnector } from '../support/loopbackConnector';
import { describeWithPostgres, TestSchema } from '../support/postgres';
import { RoundRobinProxy } from '../support/roundRobinProxy';
import { temporaryDataDir } from '../support/testApp';

const FLEET = 'OCP-1042173';
const GATEWAY = 'OCP-1042188';
const ANALYTICS = 'OCP-1042201';
/** A complete Action 2, as the contract allows it to be sent. */
const submitFor = (solutionId: string, offerName = 'Contoso CRM Connect') => ({
  verb: 'submitMerge',
  solutionId,
  offerType: 'saas',
  offerName,
  ocpSolutionId: solutionId,
  listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect',
});
/** What the bot says when a turn failed on its side: never expected here. */
const FAILED_TURN = /went wrong on our side/;

/**
 * Two bot processes on one PostgreSQL schema, behind a round-robin proxy on loopback, as a load
 * balancer in front of the messaging endpoint spreads a bot's requests over its instances.
 */
describeWithPostgres('two instances of the bot on one PostgreSQL', () => {
  let schema: TestSchema;
  let connector: LoopbackConnector;
  let bots: BotProcess[];
  let proxy: RoundRobinProxy;

  beforeAll(async () => {
    schema = await TestSchema.create();
    connector = await LoopbackConnector.start();
    // Started together: the schema is migrated and the demo partner loaded once between them.
    bots = await Promise.all(
      [0, 1].map(() => startBotProcess({ ...schema.settings(), DATA_DIR: temporaryDataDir(), LOG_LEVEL: 'info' })),
    );
    proxy = await RoundRobinProxy.start(bots.map((bot) => bot.url));
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all(bots.map((bot) => stopBot(bot)));
    await connector.close();
    await schema.drop();
  });

  const user = (userId: string): Conversation => new Conversation(proxy.url, connector, { userId });
  const count = async (sql: string, ...params: unknown[]): Promise<number> => {
    const { rows } = await schema.db.query<{ n: number }>(sql, params);
    return rows[0]?.n ?? -1;
  };
  const statusOf = async (solutionId: string): Promise<string | undefined> =>
    (await schema.db.query<{ status: string }>('SELECT status FROM solutions WHERE id = $1', [solutionId])).rows[0]?.status;

  test('both started on the same schema, and loaded the demo partner once', async () => {
    expect(await count('SELECT count(*) AS n FROM partner_accounts')).toBe(1);
    expect(await count('SELECT count(*) AS n FROM schema_migrations')).toBeGreaterThan(0);
    expect(bots.map((bot) => bot.log.find((entry) => entry.msg === 'bot listening')?.store)).toEqual(['postgres', 'postgres']);
  });

  test('conversations spread across both instances, and each gets its list', async () => {
    const before = [...proxy.served];
    const users = ['demo-owner', 'demo-manager', 'demo-developer', 'demo-marketer'];
    for (const userId of users) {
      const replies = await user(userId).say('solutions');
      expect(onlyCard(replies).card).toBeDefined();
    }
    const served = proxy.served.map((n, index) => n - (before[index] ?? 0));
    expect(served).toEqual([2, 2]);
  });

  test('a merge pressed twice at once, one press to each instance, makes one request', async () => {
    const manager = user('demo-manager');
    const replies = await Promise.all([manager.press(submitFor(FLEET)), manager.press(submitFor(FLEET))]);
    expect(texts(replies.flat()).join(' ')).not.toMatch(FAILED_TURN);
    expect(await count('SELECT count(*) AS n FROM support_requests WHERE solution_id = $1', FLEET)).toBe(1);
    expect(await count("SELECT count(*) AS n FROM audit_entries WHERE solution_id = $1 AND event = 'requestMerge'", FLEET)).toBe(
      1,
    );
    expect(await statusOf(FLEET)).toBe('mergeRequested');
  });

  test('a discard confirmed on one instance is undone on the other, each step audited once', async () => {
    const owner = user('demo-owner');
    proxy.pin(0);
    onlyCard(await owner.press({ verb: 'chooseDiscard', solutionId: ANALYTICS }));
    // The confirmation goes to the second instance, which reads the flow the first one stored.
    await owner.press({ verb: 'confirmDiscard', solutionId: ANALYTICS });
    expect(await statusOf(ANALYTICS)).toBe('discarded');
    await owner.press({ verb: 'undoDiscard', solutionId: ANALYTICS });
    expect(await statusOf(ANALYTICS)).toBe('pendingAction');
    const { rows } = await schema.db.query<{ event: string }>(
      'SELECT event FROM audit_entries WHERE solution_id = $1 ORDER BY id',
      [ANALYTICS],
    );
    expect(rows.map((row) => row.event)).toEqual(['discard', 'undoDiscard']);
  });

  test("a dialog begun on one instance is answered on the other: the flow's state is shared", async () => {
    const developer = user('demo-developer');
    proxy.pin(0);
    // No offer name: the first instance asks for it and keeps the merge flow open in the store.
    const asked = texts(await developer.press(submitFor(GATEWAY, '')));
    expect(asked.join(' ')).toMatch(/offer name/i);
    const answered = await developer.say('Contoso CRM Connect');
    expect(texts(answered).join(' ')).not.toMatch(FAILED_TURN);
    expect(await count('SELECT count(*) AS n FROM support_requests WHERE solution_id = $1', GATEWAY)).toBe(1);
    expect(proxy.served.every((n) => n > 0)).toBe(true);
  });
});
