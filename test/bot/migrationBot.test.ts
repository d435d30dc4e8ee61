import { ActivityTypes, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { ConcurrencyCheckedState } from '../../store/concurrencyCheckedState';
import { createLogger } from '../../bot/logger';
import { MigrationBot, type MigrationBotDeps, type TeamsMember } from '../../bot/migrationBot';
import { SolutionRows } from '../../cards/solutionRow';
import { MigrationService } from '../../domain/migrationService';
import { NotificationService } from '../../domain/notificationService';
import { SqliteConversationReferences } from '../../store/sqlite/sqliteConversationReferences';
import { SqliteNotificationStore } from '../../store/sqlite/sqliteNotificationStore';
import { CATALOGS, Translators } from '../../locales/i18n';
import { seedDemoData } from '../../store/sqlite/sqliteSeed';
import { openDatabase, type SqliteDatabase } from '../../store/sqlite/database';
import { SqliteConversationPreferences, SqliteUserPreferences } from '../../store/sqlite/sqliteUserPreferences';
import { StateConflictError } from '../../store/concurrencyCheckedState';
import { SqliteBotStorage } from '../../store/sqlite/sqliteBotStorage';
import { SqliteMigrationStore } from '../../store/sqlite/sqliteMigrationStore';
import { SqlitePartnerData } from '../../store/sqlite/sqlitePartnerData';
import { cardsOf, textOf } from '../support/cards';
import { fixedClock, TEST_NOW } from '../support/dialogHarness';
import { CountingSignal } from '../support/outboxSignal';

/** The bot as the composition root wires it, on `db`, outside development mode. */
function botOn(db: SqliteDatabase, teamsMember?: MigrationBotDeps['teamsMember']): MigrationBot {
  const service = new MigrationService({
    store: new SqliteMigrationStore(db, new CountingSignal()),
    partners: new SqlitePartnerData(db),
    clock: fixedClock,
  });
  const log = createLogger('silent');
  return new MigrationBot({
    dialogs: {
      service,
      notifications: new NotificationService({
        store: new SqliteNotificationStore(db, new CountingSignal()),
        references: new SqliteConversationReferences(db),
        partners: new SqlitePartnerData(db),
        clock: fixedClock,
      }),
      supportTeam: { agentIds: [] },
      clock: fixedClock,
      log,
      rows: new SolutionRows(),
    },
    translators: new Translators(CATALOGS, 'UTC'),
    preferences: new SqliteUserPreferences(db),
    conversationPreferences: new SqliteConversationPreferences(db),
    dialogState: new ConcurrencyCheckedState(new SqliteBotStorage(db)),
    ...(teamsMember && { teamsMember }),
    clock: fixedClock,
    log,
  });
}

describe('MigrationBot outside development mode', () => {
  let db: SqliteDatabase;
  let adapter: TestAdapter;

  beforeEach(() => {
    db = openDatabase({ location: ':memory:' });
    seedDemoData(db, TEST_NOW);
    const bot = botOn(db);
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

  test('in a group chat, only a member chooses the language everyone there is answered in', async () => {
    const group = { id: 'group-1', conversationType: 'groupChat', isGroup: true, name: '' };
    const say = (userId: string, text: string) =>
      send({
        text: `<at>Bot</at> ${text}`,
        from: { id: userId, name: userId },
        conversation: group,
        locale: 'en-US',
        recipient: { id: 'bot', name: 'Bot' },
        entities: [{ type: 'mention', text: '<at>Bot</at>', mentioned: { id: 'bot', name: 'Bot' } }],
      });
    expect((await say('stranger', 'language ko')).map((reply) => reply.text)).toEqual([
      expect.stringMatching(/^You're not registered as a member of a partner account/),
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM conversation_preferences').get()).toEqual({ n: 0 });

    expect((await say('demo-marketer', '언어 한국어')).map((reply) => reply.text)).toEqual([
      '이제부터 이 대화에 올리는 모든 메시지를 알림을 포함해 한국어로 보내겠습니다.',
    ]);
    const list = await say('demo-owner', 'solutions');
    expect(textOf(cardsOf({ attachments: list[0]?.attachments }))).toContain('Contoso Cloud Solutions의 솔루션');
    // The member's own language, in their personal chat, is untouched.
    expect(db.prepare('SELECT count(*) AS n FROM user_preferences').get()).toEqual({ n: 0 });
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

describe('finding the member behind a Teams user', () => {
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

  async function turnAs(lookup: TeamsMember | undefined, from: { id: string; aadObjectId?: string }) {
    const db = openDatabase({ location: ':memory:' });
    seedDemoData(db, TEST_NOW);
    db.prepare(
      `INSERT INTO members (user_id, partner_account_id, display_name, role, tenant_id, aad_object_id, user_principal_name)
       VALUES ('registered-elsewhere', 'demo-contoso', 'Dana Kim', 'developer', ?, 'aad-dana', 'Dana.Kim@contoso.example')`,
    ).run(TENANT);
    const lookups: string[] = [];
    const bot = botOn(db, async (context) => {
      lookups.push(context.activity.from.id);
      return lookup;
    });
    const adapter = new TestAdapter((context) => bot.run(context), { channelId: 'msteams' });
    await adapter.receiveActivity({
      type: ActivityTypes.Message,
      text: 'hello',
      from: { id: from.id, name: 'Dana', ...(from.aadObjectId && { aadObjectId: from.aadObjectId }) },
      conversation: { id: 'c', isGroup: false, conversationType: 'personal', name: 'c', tenantId: TENANT },
    });
    const reply = adapter.activityBuffer.shift();
    db.close();
    return { identity: textOf(cardsOf({ attachments: reply?.attachments })) || String(reply?.text), lookups };
  }

  test('by the Entra object id in the activity, without asking Teams', async () => {
    const { identity, lookups } = await turnAs(undefined, { id: '29:dana', aadObjectId: 'aad-dana' });
    expect(identity).toContain('Dana Kim · Developer at Contoso Cloud Solutions');
    expect(lookups).toEqual([]);
  });

  test('by the Entra object id Teams gives when the activity lacks it', async () => {
    const { identity, lookups } = await turnAs({ aadObjectId: 'aad-dana' }, { id: '29:dana' });
    expect(identity).toContain('Dana Kim · Developer');
    expect(lookups).toEqual(['29:dana']);
  });

  test('by the UPN Teams gives, in the same tenant, whatever its case', async () => {
    const { identity } = await turnAs(
      { userPrincipalName: 'dana.kim@CONTOSO.example' },
      { id: '29:dana', aadObjectId: 'aad-other' },
    );
    expect(identity).toContain('Dana Kim · Developer');
  });

  test('by the name in the partner data, though a greeting asks Teams for the name it lacks', async () => {
    const db = openDatabase({ location: ':memory:' });
    seedDemoData(db, TEST_NOW);
    const lookups: string[] = [];
    const bot = botOn(db, async (context) => {
      lookups.push(context.activity.from.id);
      return { name: 'J. Park (Teams)' };
    });
    const adapter = new TestAdapter((context) => bot.run(context), { channelId: 'msteams' });
    await adapter.receiveActivity({
      type: ActivityTypes.InstallationUpdate,
      action: 'add',
      // Teams leaves the name out of conversation updates.
      from: { id: 'demo-manager', name: '' },
      conversation: { id: 'c', isGroup: false, conversationType: 'personal', name: 'c', tenantId: TENANT },
    });
    const reply = adapter.activityBuffer.shift();
    db.close();
    expect(textOf(cardsOf({ attachments: reply?.attachments }))).toContain('Jordan Park · Manager at Contoso Cloud Solutions');
    expect(lookups).toEqual(['demo-manager']);
  });

  test('not at all when Teams does not know the user either', async () => {
    const { identity } = await turnAs(undefined, { id: '29:nobody' });
    expect(identity).toMatch(/^You're not registered/);
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
