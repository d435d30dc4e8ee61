import { Conversation, onlyCard, postJson, texts } from '../support/botClient';
import { buttonsOf, findButton, textOf } from '../support/cards';
import { cardProblems } from '../support/cardValidation';
import { LoopbackConnector } from '../support/loopbackConnector';
import { startTestApp, type TestApp } from '../support/testApp';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '11111111-2222-3333-4444-555555555555';
const CHANNEL = '19:general@thread.tacv2';
const TEAM = '19:team@thread.tacv2';
const MENTION = { type: 'mention', text: '<at>Migration bot</at>', mentioned: { id: 'migration-bot', name: 'Migration bot' } };

describe('in Teams', () => {
  let connector: LoopbackConnector;
  let bot: TestApp;

  beforeEach(async () => {
    connector = await LoopbackConnector.start();
  });
  afterEach(async () => {
    await bot.app.close();
    await connector.close();
    expect(connector.cardProblems).toEqual([]);
  });

  async function start(env: Record<string, string> = {}): Promise<void> {
    bot = await startTestApp({ env: { CERTIFICATION_SIMULATOR: 'off', ...env } });
  }

  function teams(
    options: { conversationId?: string; type?: 'personal' | 'channel' | 'groupChat'; userId?: string } = {},
  ): Conversation {
    return new Conversation(bot.app.url, connector, {
      userId: options.userId ?? 'demo-manager',
      channelId: 'msteams',
      conversationType: options.type ?? 'personal',
      ...(options.conversationId && { conversationId: options.conversationId }),
    });
  }

  const channelData = { tenant: { id: TENANT }, team: { id: TEAM }, channel: { id: CHANNEL } };

  /** Presses an Action.Execute button: the adaptiveCard/action invoke Teams sends for it. */
  async function execute(conversation: Conversation, action: Record<string, unknown> | undefined, cardId?: string) {
    const result = await postJson(
      `${bot.app.url}/api/messages`,
      conversation.activity({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: action === undefined ? { trigger: 'manual' } : { action, trigger: 'manual' },
        ...(cardId && { replyToId: cardId }),
        channelData,
      }),
    );
    return { status: result.status, body: JSON.parse(result.body) as { statusCode: number; type: string; value: unknown } };
  }

  describe('channels and group chats', () => {
    test.each(['channel', 'groupChat'] as const)('in a %s, an @mention gets the solution list', async (type) => {
      await start();
      const conversation = teams({ type, conversationId: `${CHANNEL};messageid=1` });
      const list = onlyCard(
        await conversation.send({ type: 'message', text: '<at>Migration bot</at> solutions', entities: [MENTION], channelData }),
      );
      expect(textOf(list.card)).toContain('Solutions of Contoso Cloud Solutions');
    });

    test('without an @mention the bot keeps quiet, even in the middle of a flow', async () => {
      await start();
      const conversation = teams({ type: 'channel', conversationId: `${CHANNEL};messageid=2` });
      await conversation.press({ verb: 'chooseDiscard', solutionId: 'OCP-1042173' });
      expect(await conversation.send({ type: 'message', text: 'yes', channelData })).toEqual([]);
      expect(await conversation.send({ type: 'message', text: 'solutions', channelData })).toEqual([]);
      const confirmed = await conversation.send({
        type: 'message',
        text: '<at>Migration bot</at> yes',
        entities: [MENTION],
        channelData,
      });
      expect(texts(confirmed).join(' ')).toMatch(/is discarded/);
    });

    test("in a channel, a member's press on another member's confirmation changes nothing and leaves it theirs", async () => {
      await start();
      const conversationId = `${CHANNEL};messageid=4`;
      const manager = teams({ type: 'channel', conversationId });
      const owner = teams({ type: 'channel', conversationId, userId: 'demo-owner' });
      const confirm = onlyCard(await manager.press({ verb: 'chooseDiscard', solutionId: 'OCP-1042173' }));
      const discard = findButton(confirm.card, 'confirmDiscard')!;

      const other = await owner.press(discard.data, confirm.delivery.activityId);
      expect(texts(other)).toEqual([
        'That card belongs to a task someone else has in progress, so nothing was changed. This is where “Contoso Fleet Telematics” stands now:',
      ]);
      expect(other.filter((delivery) => delivery.kind === 'update')).toEqual([]);

      const own = onlyCard(await manager.press(discard.data, confirm.delivery.activityId));
      expect(own.delivery).toMatchObject({ kind: 'update', activityId: confirm.delivery.activityId });
      expect(textOf(own.card)).toMatch(/Discarded by Jordan Park/);
    });

    test('a card button works in a channel without a mention', async () => {
      await start();
      const conversation = teams({ type: 'channel', conversationId: `${CHANNEL};messageid=3` });
      expect(textOf(onlyCard(await conversation.press({ verb: 'listSolutions', page: 2 })).card)).toContain('Page 2 of 2');
    });
  });

  describe('Universal Actions', () => {
    async function discardedCard(conversation: Conversation): Promise<{ card: unknown; id: string }> {
      const confirm = onlyCard(await conversation.press({ verb: 'chooseDiscard', solutionId: 'OCP-1042173' }));
      const discarded = onlyCard(
        await conversation.press(
          { verb: 'confirmDiscard', solutionId: 'OCP-1042173', origin: 'solution' },
          confirm.delivery.activityId,
        ),
      );
      return { card: discarded.card, id: discarded.delivery.activityId };
    }

    test('Undo discard is an Action.Execute, answered 200 with the card drawn again, for everyone, in place', async () => {
      await start();
      const conversation = teams();
      const discarded = await discardedCard(conversation);
      const undo = buttonsOf(discarded.card).find((button) => button.data.verb === 'undoDiscard');
      expect(undo?.type).toBe('Action.Execute');
      const mark = connector.deliveries.length;

      const answer = await execute(conversation, { type: 'Action.Execute', verb: 'undoDiscard', data: undo!.data }, discarded.id);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      expect(cardProblems(answer.body.value)).toEqual([]);
      expect(textOf(answer.body.value)).toMatch(/Discard undone[\s\S]*Pending action/);
      expect(findButton(answer.body.value, 'beginMigration')).toBeDefined();
      expect(connector.since(mark).filter((delivery) => delivery.kind === 'update')).toEqual([]);
    });

    test('a button that shows something new is answered with a message, and the new card is posted', async () => {
      await start();
      const conversation = teams();
      const answer = await execute(conversation, {
        type: 'Action.Execute',
        verb: 'listSolutions',
        data: { verb: 'listSolutions' },
      });
      expect(answer).toEqual({
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Done.' },
      });
      expect(textOf(onlyCard(connector.deliveries).card)).toContain('Page 1 of 2');
    });

    test.each<[string, Record<string, unknown> | undefined, string]>([
      ['an unknown verb', { type: 'Action.Execute', verb: 'launchRockets', data: {} }, 'UnknownVerb'],
      ['a verb without its id', { type: 'Action.Execute', verb: 'undoDiscard', data: {} }, 'BadRequest'],
      ['an id of the wrong type', { type: 'Action.Execute', verb: 'undoDiscard', data: { solutionId: [1, 2] } }, 'BadRequest'],
      ['no action at all', undefined, 'BadRequest'],
    ])('%s is answered 200 with an error body, and nothing changes', async (_label, action, code) => {
      await start();
      const answer = await execute(teams(), action);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code } });
      expect(connector.deliveries).toEqual([]);
    });

    test('a refused action is answered with the reason and the card as the solution stands', async () => {
      await start();
      const answer = await execute(
        teams(),
        { type: 'Action.Execute', verb: 'undoDiscard', data: { solutionId: 'OCP-1042173', origin: 'solution' } },
        'card-1',
      );
      expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      expect(textOf(answer.body.value)).toMatch(/Pending action/);
    });
  });

  describe('installation', () => {
    test.each([
      ['personal', 'personal', /Move your co-sell solutions from OCP GTM/],
      ['team', 'channel', /This channel can hear[\s\S]*Select Subscribe, or @mention me and type subscribe/],
      ['group chat', 'groupChat', /Hello, everyone\.[\s\S]*This chat can also hear[\s\S]*select Subscribe/],
    ] as const)('installed in a %s scope, it greets once though Teams sends two events', async (_scope, type, greeting) => {
      await start();
      const conversation = teams({ type, conversationId: type === 'channel' ? CHANNEL : `a:${type}-chat` });
      const data = type === 'channel' ? channelData : { tenant: { id: TENANT } };
      const first = await conversation.send({ type: 'installationUpdate', action: 'add', channelData: data });
      const second = await conversation.send({
        type: 'conversationUpdate',
        membersAdded: [{ id: 'migration-bot' }],
        channelData: data,
      });
      expect(textOf(onlyCard([...first, ...second]).card)).toMatch(greeting);
    });

    test("the install card's Subscribe, once pressed, is drawn as the subscription stands; a press on it again changes nothing", async () => {
      await start();
      const conversation = teams({ type: 'channel', conversationId: CHANNEL });
      const offer = onlyCard(await conversation.send({ type: 'installationUpdate', action: 'add', channelData }));
      const subscribe = buttonsOf(offer.card).find((button) => button.data.verb === 'subscribe')!;
      expect(subscribe.type).toBe('Action.Execute');
      const action = { type: 'Action.Execute', verb: 'subscribe', data: subscribe.data };

      const mark = connector.deliveries.length;
      const first = await execute(conversation, action, offer.delivery.activityId);
      expect(first.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      expect(cardProblems(first.body.value)).toEqual([]);
      expect(textOf(first.body.value)).toMatch(
        /Certification updates\nThis conversation hears about the certification of Contoso Cloud/,
      );
      expect(buttonsOf(first.body.value)).toEqual([]);
      expect(connector.since(mark)).toEqual([]);

      const again = await execute(conversation, action, offer.delivery.activityId);
      expect(buttonsOf(again.body.value)).toEqual([]);
      expect(texts(connector.since(mark))).toEqual([
        expect.stringMatching(/^This conversation already hears about Contoso Cloud Solutions' offers/),
      ]);
    });

    test('a newcomer is greeted by the name Teams knows, not by their channel id', async () => {
      await start();
      connector.members.set('29:alex', { name: 'Alex Wilber' });
      const conversation = teams({ conversationId: 'a:personal-alex', userId: '29:alex' });
      const greeting = await conversation.send({
        type: 'installationUpdate',
        action: 'add',
        from: { id: '29:alex' },
        channelData: { tenant: { id: TENANT } },
      });
      const text = textOf(onlyCard(greeting).card);
      expect(text).toContain('Alex Wilber · Manager at Contoso Cloud Solutions');
      expect(text).not.toContain('29:alex');
    });

    test('uninstalled and installed again, it greets again', async () => {
      await start();
      const conversation = teams({ conversationId: 'a:personal-chat' });
      await conversation.send({ type: 'installationUpdate', action: 'add', channelData: { tenant: { id: TENANT } } });
      await conversation.send({ type: 'installationUpdate', action: 'remove', channelData: { tenant: { id: TENANT } } });
      expect(
        await conversation.send({ type: 'installationUpdate', action: 'add', channelData: { tenant: { id: TENANT } } }),
      ).toHaveLength(1);
    });
  });

  describe('the tenant allow-list', () => {
    test('another tenant is told politely, and nothing else happens', async () => {
      await start({ ALLOWED_TENANT_IDS: TENANT });
      const outsider = new Conversation(bot.app.url, connector, { userId: 'demo-manager', channelId: 'msteams' });
      const replies = await outsider.send({ type: 'message', text: 'solutions', channelData: { tenant: { id: OTHER_TENANT } } });
      expect(texts(replies)).toEqual([
        'This bot is not available to your organization. If you think it should be, ask your Partner Center account owner.',
      ]);
      expect(
        await outsider.send({
          type: 'message',
          value: { verb: 'confirmDiscard', solutionId: 'OCP-1042173' },
          channelData: { tenant: { id: OTHER_TENANT } },
        }),
      ).toHaveLength(1);
      expect(
        await outsider.send({ type: 'installationUpdate', action: 'add', channelData: { tenant: { id: OTHER_TENANT } } }),
      ).toEqual([]);

      const insider = new Conversation(bot.app.url, connector, { userId: 'demo-manager', channelId: 'msteams' });
      const list = onlyCard(await insider.send({ type: 'message', text: 'solutions', channelData: { tenant: { id: TENANT } } }));
      expect(textOf(list.card)).toContain('Waiting for a decision: 10 of 15');
    });

    test('an Action.Execute from another tenant gets a 403 error body', async () => {
      await start({ ALLOWED_TENANT_IDS: TENANT });
      const outsider = new Conversation(bot.app.url, connector, { userId: 'demo-manager', channelId: 'msteams' });
      const result = await postJson(
        `${bot.app.url}/api/messages`,
        outsider.activity({
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb: 'listSolutions', data: {} } },
          channelData: { tenant: { id: OTHER_TENANT } },
        }),
      );
      expect(result.status).toBe(200);
      expect(JSON.parse(result.body)).toMatchObject({ statusCode: 403, type: 'application/vnd.microsoft.error' });
    });
  });
});
