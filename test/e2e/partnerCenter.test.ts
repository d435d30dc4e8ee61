import path from 'node:path';
import type { PublishingState } from '../../domain/model';
import { InventoryImporter } from '../../sources/import/importer';
import { openDatabase } from '../../store/sqlite/database';
import { SqliteInventory } from '../../store/sqlite/sqliteInventory';
import { Conversation, onlyCard, texts, type Delivery } from '../support/botClient';
import { killHard, startBotProcess, type BotProcess } from '../support/botProcess';
import { textOf } from '../support/cards';
import { fixedClock } from '../support/dialogHarness';
import { FakePartnerCenter } from '../support/fakePartnerCenter';
import { LoopbackConnector } from '../support/loopbackConnector';
import { temporaryDataDir } from '../support/testApp';
import { waitFor } from '../support/waitFor';

const EXAMPLES = path.resolve(__dirname, '../../sources/import/examples');
const CHANNEL = '19:fabrikam-releases@thread.tacv2';

/** The bot on imported data, syncing every second from a fake Partner Center, as a process. */
describe('certification from Partner Center, end to end', () => {
  let fake: FakePartnerCenter;
  let connector: LoopbackConnector;
  let bot: BotProcess | undefined;
  let dataDir: string;

  beforeEach(async () => {
    fake = await FakePartnerCenter.start();
    connector = await LoopbackConnector.start();
    dataDir = temporaryDataDir();
    const db = openDatabase({ location: dataDir });
    await new InventoryImporter(new SqliteInventory(db), fixedClock).run(
      ['partners.csv', 'members.csv', 'offers.csv', 'solutions.csv'].map((name) => ({ path: path.join(EXAMPLES, name), name })),
      { dryRun: false, actor: 'test' },
    );
    db.close();
  });
  afterEach(async () => {
    if (bot) await killHard(bot);
    bot = undefined;
    await connector.close();
    await fake.close();
  });

  const start = async (): Promise<BotProcess> =>
    startBotProcess({ DATA_DIR: dataDir, DEMO_DATA: 'off', PARTNER_CENTER_SYNC_SECONDS: '1', ...fake.settings('fabrikam') });

  function channel(url: string): Conversation {
    return new Conversation(url, connector, {
      userId: 'fabrikam-developer',
      conversationId: CHANNEL,
      conversationType: 'channel',
      channelId: 'msteams',
    });
  }

  function mention(conversation: Conversation, text: string): Promise<Delivery[]> {
    return conversation.mention(text, { tenant: { id: 'tenant-1' }, channel: { id: CHANNEL } });
  }

  /** The certification cards the channel got, as "offer: status" headings. */
  const headings = (): string[] =>
    connector.deliveries
      .filter((delivery) => delivery.conversationId === CHANNEL && delivery.activity.attachments?.length)
      .map((delivery) => textOf(delivery.activity.attachments?.[0]?.content).split('\n')[0] ?? '');

  async function healthOf(url: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${url}/healthz`);
    return (await response.json()) as Record<string, unknown>;
  }

  /** Waits until the bot has nothing left to send. */
  async function drained(url: string): Promise<void> {
    for (let tries = 0; ((await healthOf(url)).outbox as { pending?: number } | undefined)?.pending !== 0; tries++) {
      if (tries > 150) throw new Error('the outbox did not drain within 15 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  test('a submission from draft to live reaches a subscribed channel once per change, across a kill -9', async () => {
    const product = fake.addProduct({
      api: 'partnerIngestion',
      offerId: 'azure-connector',
      name: 'Fabrikam Azure Connector',
      type: 'AzureApplication',
      state: 'draft',
    });
    bot = await start();
    const running = bot;
    // The first read is the baseline: it notifies nothing, and must be done before the first move.
    for (let tries = 0; !JSON.stringify(await healthOf(running.url)).includes('baselineAt'); tries++) {
      if (tries > 100) throw new Error('no first sync within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(texts(await mention(channel(running.url), 'subscribe')).join(' ')).toMatch(/now hears about/);

    const steps: [PublishingState, string][] = [
      ['inCertification', 'Fabrikam Azure Connector: In certification'],
      ['certificationFailed', 'Fabrikam Azure Connector: Certification failed'],
      ['inCertification', 'Fabrikam Azure Connector: In certification'],
      ['previewReady', 'Fabrikam Azure Connector: Ready to preview'],
      ['live', 'Fabrikam Azure Connector: Live'],
    ];
    for (const [index, [state]] of steps.entries()) {
      if (index === 2) {
        // The card before must be marked sent before the kill: one sent but not yet marked goes again.
        await drained(bot.url);
      }
      fake.setState(product, state);
      if (index === 2) {
        // Killed before it could read the move: the bot started again finds it and tells it once.
        await killHard(bot);
        bot = await start();
      }
      await waitFor(() => headings().length >= index + 1, 15_000);
    }
    // Two more seconds of syncing: a repeat would show up by then.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(headings()).toEqual(steps.map(([, heading]): unknown => expect.stringContaining(heading)));

    const health = await healthOf(bot.url);
    expect(health.partnerCenter).toMatchObject({ partnerAccountId: 'fabrikam', lastSuccessAt: expect.any(String) });
    const status = textOf(onlyCard(await mention(channel(bot.url), 'status')).card);
    expect(status).toMatch(/Fabrikam Azure Connector\nLive/);
    expect(status).toMatch(/Partner Center\nOffers are as Partner Center had them at /);
    expect(connector.cardProblems).toEqual([]);
  });
});
