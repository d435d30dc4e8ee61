import { cards, Conversation, onlyCard, postJson, texts } from '../support/botClient';
import { buttonsOf, findButton, formValues, listedStatus, textOf } from '../support/cards';
import { LoopbackConnector } from '../support/loopbackConnector';
import { startTestApp, temporaryDataDir, type TestApp } from '../support/testApp';

const SOLUTION_ID = /\nID (OCP-\d+)/g;

describe('the bot over HTTP, as the Emulator drives it', () => {
  let connector: LoopbackConnector;
  let bot: TestApp;
  let dataDir: string;

  beforeEach(async () => {
    connector = await LoopbackConnector.start();
    dataDir = temporaryDataDir();
    bot = await startTestApp({ dataDir });
  });
  afterEach(async () => {
    await bot.app.close();
    await connector.close();
    expect(connector.cardProblems).toEqual([]);
  });

  function conversation(userId: string, conversationId?: string): Conversation {
    return new Conversation(bot.app.url, connector, { userId, ...(conversationId && { conversationId }) });
  }

  async function restart(): Promise<void> {
    await bot.app.close();
    bot = await startTestApp({ dataDir });
  }

  async function statusShownFor(user: Conversation, solutionId: string): Promise<string> {
    const first = onlyCard(await user.say('solutions'));
    const second = onlyCard(
      await user.press(findButton(first.card, 'listSolutions', { page: 2 })!.data, first.delivery.activityId),
    );
    const status = listedStatus(first.card, solutionId) ?? listedStatus(second.card, solutionId);
    if (!status) throw new Error(`${solutionId} is not in the list`);
    return status;
  }

  test('answers /healthz once it takes turns', async () => {
    const response = await fetch(`${bot.app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', mode: 'development' });
  });

  test('greets with the overview when added to a conversation', async () => {
    const user = conversation('someone-new');
    const deliveries = await user.send({
      type: 'conversationUpdate',
      membersAdded: [{ id: 'migration-bot' }, { id: 'someone-new' }],
    });
    expect(textOf(onlyCard(deliveries).card)).toContain('Move your co-sell solutions from OCP GTM');
  });

  test('lists at least 12 demo solutions over two pages, paging on the same card', async () => {
    const user = conversation('demo-manager');
    const first = onlyCard(await user.say('solutions'));
    expect(first.delivery.kind).toBe('send');
    const next = findButton(first.card, 'listSolutions', { page: 2 });
    expect(next).toBeDefined();
    const second = onlyCard(await user.press(next!.data, first.delivery.activityId));
    expect(second.delivery).toMatchObject({ kind: 'update', activityId: first.delivery.activityId });
    const ids = new Set([...`${textOf(first.card)}\n${textOf(second.card)}`.matchAll(SOLUTION_ID)].map((match) => match[1]));
    expect(ids.size).toBeGreaterThanOrEqual(12);
    expect(textOf(second.card)).toContain('Page 2 of 2');
  });

  test('discards a solution and undoes it', async () => {
    const user = conversation('demo-manager');
    const list = onlyCard(await user.say('solutions'));
    const begin = findButton(list.card, 'beginMigration')!;
    const solutionId = String(begin.data.solutionId);

    const options = onlyCard(await user.press(begin.data, list.delivery.activityId));
    const confirm = onlyCard(await user.press(findButton(options.card, 'chooseDiscard')!.data, options.delivery.activityId));
    expect(confirm.delivery).toMatchObject({ kind: 'update', activityId: options.delivery.activityId });

    const discarded = await user.press(findButton(confirm.card, 'confirmDiscard')!.data, options.delivery.activityId);
    const discardedCard = onlyCard(discarded);
    expect(discardedCard.delivery.kind).toBe('update');
    expect(buttonsOf(discardedCard.card).map((button) => button.data.verb)).toEqual(['undoDiscard', 'listSolutions']);
    // The card redrawn where the user pressed says it; no message repeats it.
    expect(texts(discarded)).toEqual([]);
    expect(textOf(discardedCard.card)).toMatch(/Discarded/);
    expect(await statusShownFor(user, solutionId)).toBe('Discarded');

    const undone = await user.press(findButton(discardedCard.card, 'undoDiscard')!.data, options.delivery.activityId);
    expect(textOf(onlyCard(undone).card)).toMatch(/Discard undone/);
    expect(await statusShownFor(user, solutionId)).toBe('Pending action');
  });

  test("refuses a Marketer's discard, even one crafted without a button", async () => {
    const marketer = conversation('demo-marketer');
    const list = onlyCard(await marketer.say('solutions'));
    expect(findButton(list.card, 'beginMigration')).toBeUndefined();
    const solutionId = /\nID (OCP-\d+)/.exec(textOf(list.card))![1]!;

    const crafted = await marketer.press({ verb: 'confirmDiscard', solutionId });
    expect(texts(crafted).join(' ')).toMatch(/Your Partner Center role, Marketer, can view solutions but not change them/);
    expect(await statusShownFor(conversation('demo-manager'), solutionId)).toBe('Pending action');
  });

  test('keeps a discard across a restart, and finishes a confirmation begun before it', async () => {
    const user = conversation('demo-owner', 'conv-restart');
    const list = onlyCard(await user.say('solutions'));
    const [first, second] = buttonsOf(list.card).filter((button) => button.data.verb === 'beginMigration');
    await user.press({ verb: 'confirmDiscard', solutionId: first!.data.solutionId });
    await user.press({ verb: 'chooseDiscard', solutionId: second!.data.solutionId });

    await restart();

    const again = conversation('demo-owner', 'conv-restart');
    expect(texts(await again.say('yes')).join(' ')).toMatch(/is discarded/);
    expect(await statusShownFor(again, String(first!.data.solutionId))).toBe('Discarded');
    expect(await statusShownFor(again, String(second!.data.solutionId))).toBe('Discarded');
    await again.press({ verb: 'undoDiscard', solutionId: first!.data.solutionId });
    expect(await statusShownFor(again, String(first!.data.solutionId))).toBe('Pending action');
  });

  test("a merge form's buttons outlive a restart while its flow does, and no longer once it was cancelled", async () => {
    const user = conversation('demo-manager', 'conv-restart-merge');
    const options = onlyCard(await user.press({ verb: 'beginMigration', solutionId: 'OCP-1042173' }));
    const action1 = onlyCard(await user.press(findButton(options.card, 'chooseMerge')!.data, options.delivery.activityId));
    const choose = { ...findButton(action1.card, 'selectOffer')!.data, offerId: 'contoso.crm-connect', listingUrl: '' };

    await restart();
    const again = conversation('demo-manager', 'conv-restart-merge');
    const form = onlyCard(await again.press(choose, options.delivery.activityId));
    expect(textOf(form.card)).toContain('Action 2 of 2');
    const save = { ...findButton(form.card, 'submitMerge')!.data, ...formValues(form.card) };
    await again.say('cancel');

    await restart();
    const late = await conversation('demo-manager', 'conv-restart-merge').press(save, options.delivery.activityId);
    expect(texts(late).join(' ')).toMatch(/That card belongs to a task that has ended, so nothing was changed/);
    expect(await statusShownFor(conversation('demo-manager'), 'OCP-1042173')).toBe('Pending action');
  });

  describe('bad requests get 400 and change nothing', () => {
    const valid = (connectorUrl: string): Record<string, unknown> => ({
      type: 'message',
      channelId: 'emulator',
      serviceUrl: connectorUrl,
      from: { id: 'demo-manager' },
      conversation: { id: 'c1' },
      text: 'solutions',
    });

    test.each<[string, (url: string) => unknown]>([
      ['broken JSON', () => '{"type": "message",'],
      ['a JSON array', () => '[1, 2, 3]'],
      ['a JSON string', () => '"hello"'],
      ['an empty object', () => ({})],
      ['no activity type', (url) => ({ ...valid(url), type: undefined })],
      ['a type that is not a string', (url) => ({ ...valid(url), type: 42 })],
      ['no conversation', (url) => ({ ...valid(url), conversation: undefined })],
      ['a sender that is not an account', (url) => ({ ...valid(url), from: 'me' })],
      ['a serviceUrl that is not a URL', (url) => ({ ...valid(url), serviceUrl: 'javascript:alert(1)' })],
      ['a timestamp that is no date', (url) => ({ ...valid(url), timestamp: 'yesterday' })],
      ['entities that are not a list', (url) => ({ ...valid(url), entities: { type: 'mention' } })],
      ['a conversation id no connector could take', (url) => ({ ...valid(url), conversation: { id: '대화 1' } })],
    ])('%s', async (_label, body) => {
      const result = await postJson(`${bot.app.url}/api/messages`, body(connector.url));
      expect(result.status).toBe(400);
      expect(connector.deliveries).toEqual([]);
      expect((await fetch(`${bot.app.url}/healthz`)).status).toBe(200);
    });

    test('a body of the wrong content type', async () => {
      const response = await fetch(`${bot.app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'solutions',
      });
      expect(response.status).toBe(400);
    });
  });

  test('a reply that cannot be delivered is logged, and the bot keeps serving', async () => {
    const lost = await postJson(`${bot.app.url}/api/messages`, {
      type: 'message',
      channelId: 'emulator',
      serviceUrl: 'http://127.0.0.1:9',
      from: { id: 'demo-manager' },
      recipient: { id: 'migration-bot' },
      conversation: { id: 'nowhere' },
      text: 'solutions',
    });
    expect(lost.status).toBe(200);
    const user = conversation('demo-manager');
    expect(cards(await user.say('help'))).toHaveLength(1);
  });
});
