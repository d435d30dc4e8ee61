import { ActivityTypes, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { ConcurrencyCheckedState } from '../../bot/concurrencyCheckedState';
import { createLogger } from '../../bot/logger';
import { MigrationBot } from '../../bot/migrationBot';
import { SupportDesk } from '../../bot/supportDesk';
import { MigrationService } from '../../domain/migrationService';
import { NotificationService } from '../../domain/notificationService';
import { SqliteNotificationStore } from '../../store/sqlite/sqliteNotificationStore';
import { EN_US_CATALOG, Translators } from '../../locales/i18n';
import { seedDemoData } from '../../store/demo/seedDemoData';
import { openDatabase, type SqliteDatabase } from '../../store/sqlite/database';
import { SqliteBotStorage, StateConflictError } from '../../store/sqlite/sqliteBotStorage';
import { SqliteMigrationStore } from '../../store/sqlite/sqliteMigrationStore';
import { SqlitePartnerData } from '../../store/sqlite/sqlitePartnerData';
import { cardsOf, textOf } from '../support/cards';
import { fixedClock, TEST_NOW } from '../support/dialogHarness';

describe('MigrationBot outside development mode', () => {
  let db: SqliteDatabase;
  let adapter: TestAdapter;

  beforeEach(() => {
    db = openDatabase({ location: ':memory:' });
    seedDemoData(db, TEST_NOW);
    const service = new MigrationService({
      store: new SqliteMigrationStore(db),
      partners: new SqlitePartnerData(db),
      clock: fixedClock,
    });
    const log = createLogger('silent');
    const bot = new MigrationBot({
      service,
      notifications: new NotificationService({
        store: new SqliteNotificationStore(db),
        partners: new SqlitePartnerData(db),
        clock: fixedClock,
      }),
      translators: new Translators({ 'en-US': EN_US_CATALOG, 'ko-KR': EN_US_CATALOG }, 'UTC'),
      dialogState: new ConcurrencyCheckedState(new SqliteBotStorage(db)),
      supportDesk: new SupportDesk(service, { delivery: 'stored', agentIds: [] }, log),
      log,
    });
    adapter = new TestAdapter((context) => bot.run(context));
  });
  afterEach(() => db.close());

  async function send(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    await adapter.receiveActivity({ type: ActivityTypes.Message, ...activity });
    const replies: Partial<Activity>[] = [];
    for (let reply = adapter.activityBuffer.shift(); reply; reply = adapter.activityBuffer.shift()) replies.push(reply);
    return replies;
  }

  test.each([
    ['text', { text: 'solutions' }],
    ['a crafted discard', { value: { verb: 'confirmDiscard', solutionId: 'OCP-1042173' } }],
  ])('someone not registered who sends %s is told so, and nothing changes', async (_label, activity) => {
    const replies = await send({ ...activity, from: { id: 'stranger', name: 'Stranger' } });
    expect(replies.map((reply) => reply.text)).toEqual([
      expect.stringMatching(/^You're not registered as a member of a partner account/),
    ]);
    expect(db.prepare("SELECT status FROM solutions WHERE id = 'OCP-1042173'").get()).toEqual({ status: 'pendingAction' });
  });

  test('a registered member is served', async () => {
    const replies = await send({ text: 'solutions', from: { id: 'demo-owner', name: 'Morgan' } });
    expect(textOf(cardsOf({ attachments: replies[0]?.attachments }))).toContain('Solutions of Contoso Cloud Solutions');
  });

  test('adding the bot to a conversation greets with the overview; other members joining do not', async () => {
    const greeting = await send({
      type: ActivityTypes.ConversationUpdate,
      from: { id: 'demo-manager', name: 'Jordan' },
      membersAdded: [{ id: 'bot', name: 'Bot' }],
    });
    expect(textOf(cardsOf({ attachments: greeting[0]?.attachments }))).toContain('Move your co-sell solutions from OCP GTM');
    const someoneElse = await send({
      type: ActivityTypes.ConversationUpdate,
      from: { id: 'demo-manager', name: 'Jordan' },
      membersAdded: [{ id: 'demo-owner', name: 'Morgan' }],
    });
    expect(someoneElse).toEqual([]);
  });
});

describe('ConcurrencyCheckedState', () => {
  test('of two turns that read the same state, the later save is refused', async () => {
    const db = openDatabase({ location: ':memory:' });
    const state = new ConcurrencyCheckedState(new SqliteBotStorage(db));
    const adapter = new TestAdapter(() => Promise.resolve());
    const activity: Partial<Activity> = {
      type: 'message',
      channelId: 'test',
      conversation: { id: 'c', isGroup: false, conversationType: 'personal', name: 'c' },
      from: { id: 'u', name: 'u' },
    };
    const property = state.createProperty<{ step: number }>('flow');

    const setup = new TurnContext(adapter, activity);
    await property.set(setup, { step: 0 });
    await state.saveChanges(setup);

    const first = new TurnContext(adapter, activity);
    const second = new TurnContext(adapter, activity);
    await property.get(first);
    await property.get(second);
    await property.set(first, { step: 1 });
    await property.set(second, { step: 2 });
    await state.saveChanges(first);
    await expect(state.saveChanges(second)).rejects.toBeInstanceOf(StateConflictError);

    const after = new TurnContext(adapter, activity);
    expect(await property.get(after)).toEqual({ step: 1 });
    db.close();
  });

  test('a turn that changed nothing writes nothing', async () => {
    const db = openDatabase({ location: ':memory:' });
    const storage = new SqliteBotStorage(db);
    const write = jest.spyOn(storage, 'write');
    const state = new ConcurrencyCheckedState(storage);
    const context = new TurnContext(new TestAdapter(() => Promise.resolve()), {
      type: 'message',
      channelId: 'test',
      conversation: { id: 'c', isGroup: false, conversationType: 'personal', name: 'c' },
      from: { id: 'u', name: 'u' },
    });
    await state.load(context);
    await state.saveChanges(context);
    expect(write).not.toHaveBeenCalled();
    db.close();
  });
});
