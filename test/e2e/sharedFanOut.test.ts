import { killHard, startBotProcess, stopBot, type BotProcess } from '../support/botProcess';
import {
  FAN_OUT_NOTIFY_TOKEN,
  fanOutCards,
  fanOutChannels,
  fanOutOfferRows,
  fanOutOutcome,
  postChanges,
  subscribeChannels,
} from '../support/fanOut';
import { LoopbackConnector } from '../support/loopbackConnector';
import { describeWithPostgres, TestSchema } from '../support/postgres';
import { RoundRobinProxy } from '../support/roundRobinProxy';
import { temporaryDataDir } from '../support/testApp';
import { settle } from '../support/waitFor';

const CHANNELS = 100;
const TENANTS = 4;
const CHANGES = 10;
/** The sender's concurrency: at most this many cards are on their way from one instance at a time. */
const IN_FLIGHT_PER_INSTANCE = 8;
/** The longest of Teams' windows that a channel's confirmation and its ten cards could fill: 8 in 2 s. */
const CONFIRMATIONS_COUNT_FOR_MS = 2000;

/**
 * 1,000 certification cards to 100 channels in four tenants, both instances sending, through a
 * connector that refuses what is over Teams' windows with 429.
 */
describeWithPostgres('notification fan-out from two instances on one PostgreSQL', () => {
  let schema: TestSchema;
  let connector: LoopbackConnector;
  let bots: BotProcess[];
  let proxy: RoundRobinProxy | undefined;
  const channels = fanOutChannels(CHANNELS, TENANTS);

  /**
   * Two instances whose claims and sending leases last `leaseSeconds`. A lease must outlast a send
   * from its claim to its recorded answer, or another instance may take the tenant over while that
   * send is still out; under a loaded CI machine 2 s was not enough for that (a few 429s).
   */
  async function start(leaseSeconds: number): Promise<string> {
    const settings = {
      ...schema.settings(),
      NOTIFY_TOKEN: FAN_OUT_NOTIFY_TOKEN,
      OUTBOX_LEASE_SECONDS: String(leaseSeconds),
      LOG_LEVEL: 'info',
    };
    bots = await Promise.all([0, 1].map(() => startBotProcess({ ...settings, DATA_DIR: temporaryDataDir() })));
    for (const { sql, params } of fanOutOfferRows(CHANGES)) await schema.db.query(sql, params);
    proxy = await RoundRobinProxy.start(bots.map((bot) => bot.url));
    expect(await subscribeChannels(proxy.url, connector, channels)).toEqual([]);
    // The confirmations are turn replies, which Teams counts and the outbox's pacer does not (the
    // README says why): the changes come once the windows they fill have passed, as they would.
    await new Promise((resolve) => setTimeout(resolve, CONFIRMATIONS_COUNT_FOR_MS));
    return proxy.url;
  }

  beforeEach(async () => {
    schema = await TestSchema.create();
    connector = await LoopbackConnector.start({ teamsLimits: true });
    bots = [];
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await Promise.all(bots.map((bot) => (bot.child.exitCode === null ? stopBot(bot) : Promise.resolve(null))));
    await connector.close();
    await schema.drop();
  });

  /** Instances that sent at least one card: a finished job keeps the name of the one that claimed it. */
  async function senders(): Promise<number> {
    const { rows } = await schema.db.query<{ n: number }>(
      "SELECT count(DISTINCT claimed_by) AS n FROM outbox WHERE kind = 'certificationCard' AND state = 'delivered'",
    );
    return rows[0]?.n ?? 0;
  }

  test('every card is delivered once, in order per channel, with no 429, both instances sending', async () => {
    // The default lease: no instance dies here, so none has to be taken over.
    const url = await start(60);
    const mark = connector.deliveries.length;
    expect(await postChanges(url, CHANGES)).toEqual(Array(CHANGES).fill(202));
    await settle(() => fanOutCards(connector.since(mark)) >= CHANNELS * CHANGES, 90_000);
    // A card sent twice would arrive shortly after the last one.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const outcome = fanOutOutcome(connector.since(mark), channels, CHANGES);
    expect(outcome).toMatchObject({ delivered: CHANNELS * CHANGES, lost: 0, duplicates: 0, outOfOrder: [] });
    expect(connector.throttled).toBe(0);
    expect(await senders()).toBe(2);
  }, 120_000);

  test('with one instance killed (-9) in the middle, the other sends the rest: nothing lost, order kept', async () => {
    // Short, so that the instance left takes over the killed one's work within the test.
    const url = await start(5);
    const mark = connector.deliveries.length;
    expect(await postChanges(url, CHANGES)).toEqual(Array(CHANGES).fill(202));
    expect(await settle(() => fanOutCards(connector.since(mark)) >= (CHANNELS * CHANGES) / 4, 60_000)).toBe(true);
    const [victim] = bots;
    if (victim) await killHard(victim);
    await settle(() => fanOutOutcome(connector.since(mark), channels, CHANGES).lost === 0, 90_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const outcome = fanOutOutcome(connector.since(mark), channels, CHANGES);
    expect(outcome).toMatchObject({ delivered: CHANNELS * CHANGES, lost: 0, outOfOrder: [] });
    // At least once: what the killed instance had sent but not yet marked goes again, right after itself.
    expect(outcome.duplicates).toBeLessThanOrEqual(IN_FLIGHT_PER_INSTANCE);
    expect(connector.throttled).toBe(0);
    const { rows } = await schema.db.query<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE state <> 'delivered'");
    expect(rows[0]?.n).toBe(0);
  }, 180_000);
});
