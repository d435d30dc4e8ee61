import { cards, Conversation, onlyCard, postJson, texts, type Delivery } from '../support/botClient';
import { buttonsOf, findButton, formValues, listedStatus, textOf } from '../support/cards';
import { LoopbackConnector } from '../support/loopbackConnector';
import { startTestApp, type TestApp } from '../support/testApp';
import { waitFor } from '../support/waitFor';
import { WebhookReceiver } from '../support/webhookReceiver';

const FLEET = 'OCP-1042173';
const GATEWAY = 'OCP-1042188';
const PROMISE = /Partner support will contact you within two business days/;
const SECRET = 'a-shared-secret-of-at-least-32-characters';
const FAST_RETRY = { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 200 };
const SUPPORT_CHANNEL = '19:partner-support@thread.tacv2';
/** A complete, valid Action 2 for Contoso Fleet Telematics into Contoso CRM Connect. */
const FLEET_SUBMIT = {
  verb: 'submitMerge',
  solutionId: FLEET,
  offerType: 'saas',
  offerName: 'Contoso CRM Connect',
  ocpSolutionId: FLEET,
  listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect',
};

function requestIdIn(deliveries: readonly Delivery[]): string {
  const id = /Request ID: (MR-\d{8}-\w{5})/.exec(texts(deliveries).join(' '))?.[1];
  if (!id) throw new Error(`no request id in ${JSON.stringify(texts(deliveries))}`);
  return id;
}

describe('merging over HTTP', () => {
  let connector: LoopbackConnector;
  let bot: TestApp | undefined;
  beforeEach(async () => {
    connector = await LoopbackConnector.start();
  });
  afterEach(async () => {
    await bot?.app.close();
    bot = undefined;
    await connector.close();
    expect(connector.cardProblems).toEqual([]);
  });

  async function start(env: Record<string, string> = {}): Promise<TestApp> {
    bot = await startTestApp({ env, retry: FAST_RETRY });
    return bot;
  }

  /** A manager's merge request, as the support team's Teams channel receives it. */
  async function requestInSupportChannel() {
    const app = await start({
      SUPPORT_DELIVERY: 'teams',
      SUPPORT_TEAMS_CHANNEL_ID: SUPPORT_CHANNEL,
      SUPPORT_TEAMS_SERVICE_URL: connector.url,
    });
    const requester = new Conversation(app.app.url, connector, { userId: 'demo-manager', conversationId: 'requester-chat' });
    await requester.press(FLEET_SUBMIT);
    await waitFor(() => connector.deliveries.some((delivery) => delivery.conversationId === SUPPORT_CHANNEL));
    const posted = onlyCard(connector.deliveries.filter((delivery) => delivery.conversationId === SUPPORT_CHANNEL));
    return { app, requester, posted };
  }

  /** From the options card to Action 1, as a user clicks through. */
  async function openActionOne(user: Conversation, solutionId: string): Promise<{ card: unknown; delivery: Delivery }> {
    const options = onlyCard(await user.press({ verb: 'beginMigration', solutionId }));
    return onlyCard(await user.press(findButton(options.card, 'chooseMerge')!.data, options.delivery.activityId));
  }

  /** Action 1's Continue, with the offer chosen or the URL given. */
  function carryOn(user: Conversation, action1: { card: unknown; delivery: Delivery }, inputs: Record<string, string>) {
    return user.press(
      { ...findButton(action1.card, 'selectOffer')!.data, ...formValues(action1.card), ...inputs },
      action1.delivery.activityId,
    );
  }

  test('a manager merges one solution by choosing a live offer and another by listing URL: one request each', async () => {
    const app = await start();
    const user = new Conversation(app.app.url, connector, { userId: 'demo-manager' });

    const action1 = await openActionOne(user, FLEET);
    expect(formValues(action1.card)).toEqual({ offerId: '', listingUrl: '' });
    const form = onlyCard(await carryOn(user, action1, { offerId: 'contoso.crm-connect' }));
    expect(form.delivery).toMatchObject({ kind: 'update', activityId: action1.delivery.activityId });
    expect(formValues(form.card)).toEqual({ offerType: 'saas', offerName: 'Contoso CRM Connect' });
    const submit = findButton(form.card, 'submitMerge')!;
    const first = await user.press({ ...submit.data, ...formValues(form.card) }, action1.delivery.activityId);
    const done = onlyCard(first);
    expect(done.delivery).toMatchObject({ kind: 'update', activityId: action1.delivery.activityId });
    expect(texts(first)).toEqual([]);
    expect(textOf(done.card)).toMatch(PROMISE);
    const firstId = /Request ID (MR-\d{8}-\w{5})/.exec(textOf(done.card))?.[1];
    expect(firstId).toBeDefined();

    const other = await openActionOne(user, GATEWAY);
    const url = 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.secure-gateway?tab=Overview';
    const byUrl = onlyCard(await carryOn(user, other, { listingUrl: url }));
    expect(formValues(byUrl.card)).toEqual({ offerType: 'azureApplication', offerName: 'Contoso Secure Gateway' });
    const shownSubmit = findButton(byUrl.card, 'submitMerge')!;
    expect(shownSubmit.data).toMatchObject({
      ocpSolutionId: GATEWAY,
      listingUrl: 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.secure-gateway',
    });
    const second = await user.press({ ...shownSubmit.data, ...formValues(byUrl.card) }, other.delivery.activityId);
    expect(textOf(onlyCard(second).card)).toMatch(PROMISE);
    expect(textOf(onlyCard(second).card)).not.toContain(firstId);

    const list = onlyCard(await user.press({ verb: 'listSolutions', page: 1 }));
    expect(textOf(list.card)).toMatch(/Waiting for a decision: 8 of/);
  });

  test('a merge stopped by typing cancel: the old Save & Contact support sends nothing, says so at the bottom, and the form is finished', async () => {
    const app = await start();
    const user = new Conversation(app.app.url, connector, { userId: 'demo-manager' });
    const action1 = await openActionOne(user, FLEET);
    const form = onlyCard(await carryOn(user, action1, { offerId: 'contoso.crm-connect' }));
    const save = { ...findButton(form.card, 'submitMerge')!.data, ...formValues(form.card) };

    const stopped = await user.say('cancel');
    expect(texts(stopped)).toEqual(['Stopped. Nothing else was changed.']);
    const finished = onlyCard(stopped);
    expect(finished.delivery).toMatchObject({ kind: 'update', activityId: action1.delivery.activityId });
    expect(buttonsOf(finished.card)).toEqual([]);

    const late = await user.press(save, action1.delivery.activityId);
    expect(late.filter((delivery) => delivery.kind === 'send').map((delivery) => delivery.activity.text ?? 'card')).toEqual([
      'That card belongs to a task that has ended, so nothing was changed. This is where “Contoso Fleet Telematics” stands now:',
      'card',
    ]);
    const redrawn = late.filter((delivery) => delivery.kind === 'update');
    expect(redrawn.map((delivery) => delivery.activityId)).toEqual([action1.delivery.activityId]);
    expect(buttonsOf(cards(redrawn)[0]?.card)).toEqual([]);
    const current = cards(late.filter((delivery) => delivery.kind === 'send'))[0]?.card;
    expect(textOf(current)).toMatch(/Contoso Fleet Telematics[\s\S]*Pending action/);

    // No request was made: the solution is still pending action.
    const list = onlyCard(await user.press({ verb: 'listSolutions', page: 1 }));
    expect(textOf(list.card)).toMatch(/Waiting for a decision: 10 of/);
  });

  test('the Emulator sends no replyToId: the flow still draws its steps on its own card', async () => {
    const app = await start();
    const user = new Conversation(app.app.url, connector, { userId: 'demo-manager' });
    const options = onlyCard(await user.press({ verb: 'beginMigration', solutionId: FLEET }));
    const action1 = onlyCard(await user.press(findButton(options.card, 'chooseMerge')!.data));
    expect(action1.delivery).toMatchObject({ kind: 'update', activityId: options.delivery.activityId });
    const cancelled = await user.press(findButton(action1.card, 'cancel')!.data);
    expect(cancelled.map((delivery) => [delivery.kind, delivery.activityId])).toEqual([['update', options.delivery.activityId]]);
  });

  test.each([
    [
      'a foreign host',
      'https://appsource.microsoft.com.example.net/en-us/product/web-apps/contoso.crm-connect',
      /must be on appsource\.microsoft\.com/,
    ],
    ['http://', 'http://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect', /must start with https:\/\//],
    ['javascript:', 'javascript:alert(document.domain)', /must start with https:\/\//],
  ])('a listing URL on %s is refused and nothing is requested', async (_label, listingUrl, reason) => {
    const app = await start();
    const user = new Conversation(app.app.url, connector, { userId: 'demo-manager' });
    const action1 = await openActionOne(user, FLEET);
    const refused = onlyCard(await carryOn(user, action1, { listingUrl }));
    expect(textOf(refused.card)).toMatch(reason);
    expect(formValues(refused.card)).toMatchObject({ listingUrl });
    const again = await user.press({ verb: 'beginMigration', solutionId: FLEET });
    const options = onlyCard(again.filter((delivery) => delivery.kind === 'send'));
    expect(buttonsOf(options.card).map((button) => button.data.verb)).toContain('chooseMerge');
    // The form left behind is drawn finished.
    const left = onlyCard(again.filter((delivery) => delivery.kind === 'update'));
    expect(left.delivery.activityId).toBe(action1.delivery.activityId);
    expect(buttonsOf(left.card)).toEqual([]);
  });

  test('an empty offer name is asked again; the answer completes the request', async () => {
    const app = await start();
    const user = new Conversation(app.app.url, connector, { userId: 'demo-owner' });
    const submit = { ...FLEET_SUBMIT, offerName: '' };
    expect(texts(await user.press(submit))).toEqual(["The offer name is empty. What is the offer's name, as in Partner Center?"]);
    expect(texts(await user.say('Contoso CRM Connect')).join(' ')).toMatch(PROMISE);
  });

  test('a double submit, even from two clients at once, makes one request', async () => {
    const app = await start();
    const phone = new Conversation(app.app.url, connector, { userId: 'demo-manager', conversationId: 'same-chat' });
    const laptop = new Conversation(app.app.url, connector, { userId: 'demo-owner', conversationId: 'other-chat' });
    const [a, b] = await Promise.all([phone.press(FLEET_SUBMIT), laptop.press(FLEET_SUBMIT)]);
    const replies = [...texts(a), ...texts(b)].join('\n');
    const ids = new Set([...replies.matchAll(/(MR-\d{8}-\w{5})/g)].map((match) => match[1]));
    expect(ids.size).toBe(1);
    expect(replies).toMatch(/No second request was made/);
    expect(texts(await phone.press(FLEET_SUBMIT)).join(' ')).toMatch(/No second request was made/);
  });

  test('Save pressed twice at once in one chat: one request, one answer each, and neither says a message was lost', async () => {
    const app = await start();
    const user = new Conversation(app.app.url, connector, { userId: 'demo-manager', conversationId: 'double-press' });
    const action1 = await openActionOne(user, FLEET);
    const form = onlyCard(await carryOn(user, action1, { offerId: 'contoso.crm-connect' }));
    const save = { ...findButton(form.card, 'submitMerge')!.data, ...formValues(form.card) };
    const mark = connector.deliveries.length;
    await Promise.all([user.press(save, form.delivery.activityId), user.press(save, form.delivery.activityId)]);
    const answers = connector.since(mark).filter((delivery) => delivery.conversationId === 'double-press');
    // The form became the request's card, and stayed it; one line says the second press made nothing.
    const drawn = cards(answers.filter((delivery) => delivery.kind === 'update'));
    expect(drawn.map(({ delivery }) => delivery.activityId)).toEqual([form.delivery.activityId, form.delivery.activityId]);
    for (const { card } of drawn) expect(textOf(card)).toMatch(PROMISE);
    const [requestId] = textOf(drawn[0]!.card).match(/MR-\d{8}-\w{5}/) ?? [];
    expect(texts(answers)).toEqual([
      expect.stringMatching(new RegExp(`already requested: request ID ${requestId}.*No second request`)),
    ]);
  });

  test('the webhook adapter posts a signed request that the receiver verifies, retrying a failure', async () => {
    const receiver = await WebhookReceiver.start(SECRET, [503]);
    try {
      const app = await start({ SUPPORT_DELIVERY: 'webhook', SUPPORT_WEBHOOK_URL: receiver.url, SUPPORT_WEBHOOK_SECRET: SECRET });
      const user = new Conversation(app.app.url, connector, { userId: 'demo-manager' });
      const sent = await user.press(FLEET_SUBMIT);
      const requestId = requestIdIn(sent);
      await waitFor(() => receiver.received.length >= 2);
      expect(receiver.received.map((hit) => hit.verified)).toEqual([true, true]);
      expect(receiver.received[1]?.body).toMatchObject({
        type: 'mergeRequest',
        requestId,
        issueDetails: { offerName: 'Contoso CRM Connect', ocpSolutionId: FLEET },
      });
    } finally {
      await receiver.close();
    }
  });

  test('the Teams support channel: the team marks the request merged and the requester is told what carried over', async () => {
    const { app, requester, posted } = await requestInSupportChannel();
    expect(textOf(posted.card)).toMatch(
      /Merge request MR-[\s\S]*Contoso Cloud Solutions \(PartnerIDs 6104213, 6104588\)[\s\S]*Contoso Fleet Telematics \(OCP-1042173\)/,
    );

    const outsider = new Conversation(app.app.url, connector, { userId: 'demo-owner' });
    expect(texts(await outsider.press(findButton(posted.card, 'completeMerge')!.data))).toEqual([
      'Only the partner support team can act on merge requests, from its own channel.',
    ]);

    const agent = new Conversation(app.app.url, connector, {
      userId: 'support-agent',
      userName: 'Pat Support',
      conversationId: `${SUPPORT_CHANNEL};messageid=${posted.delivery.activityId}`,
      channelId: 'msteams',
    });
    const marked = await agent.press(findButton(posted.card, 'completeMerge')!.data, posted.delivery.activityId);
    expect(texts(marked).join(' ')).toMatch(/is marked merged, and Jordan Park is being told/);
    expect(textOf(onlyCard(marked).card)).toMatch(/Merged on/);
    expect(findButton(onlyCard(marked).card, 'completeMerge')).toBeUndefined();

    await waitFor(() =>
      cards(connector.deliveries.filter((delivery) => delivery.conversationId === 'requester-chat')).some(({ card }) =>
        textOf(card).includes('is merged into'),
      ),
    );
    const notice = cards(connector.deliveries.filter((delivery) => delivery.conversationId === 'requester-chat')).find(
      ({ card }) => textOf(card).includes('is merged into'),
    );
    expect(textOf(notice?.card)).toMatch(
      /Its referral pipeline, collateral, co-sell status and incentives carried over[\s\S]*4 open referrals, 6 documents, Co-sell ready/,
    );

    const list = onlyCard(await requester.press({ verb: 'listSolutions', page: 2 }));
    expect(textOf(list.card)).toContain('Contoso Fleet Telematics\nID OCP-1042173');
    expect(listedStatus(list.card, 'OCP-1042173')).toBe('Merged');
  });

  test('the support team asks for more information, and the requester reads it as written', async () => {
    const { app, posted } = await requestInSupportChannel();
    const agent = new Conversation(app.app.url, connector, {
      userId: 'support-agent',
      conversationId: SUPPORT_CHANNEL,
      channelId: 'msteams',
    });

    expect(
      texts(await agent.press({ ...findButton(posted.card, 'requestInfo')!.data, infoNeeded: '  ' }, posted.delivery.activityId)),
    ).toEqual(['Describe what is needed, in 1 to 1,000 characters.']);
    const question = 'Which plan keeps the **co-sell** status? <b>Reply</b> by Friday.';
    connector.literals = [question];
    await agent.press({ ...findButton(posted.card, 'requestInfo')!.data, infoNeeded: question }, posted.delivery.activityId);
    await waitFor(() =>
      connector.deliveries.some(
        (delivery) =>
          delivery.conversationId === 'requester-chat' && textOf(cards([delivery])[0]?.card).includes('needs more information'),
      ),
    );
    const notice = cards(connector.deliveries.filter((delivery) => delivery.conversationId === 'requester-chat')).find(
      ({ card }) => textOf(card).includes('needs more information'),
    );
    expect(JSON.stringify(notice?.card)).toContain(
      JSON.stringify({ type: 'TextRun', text: question, italic: true }).slice(1, -1),
    );
  });

  test('a malformed submit is answered, not failed', async () => {
    const app = await start();
    const user = new Conversation(app.app.url, connector, { userId: 'demo-manager' });
    const result = await postJson(
      `${app.app.url}/api/messages`,
      user.activity({ type: 'message', value: { verb: 'submitMerge', solutionId: FLEET, offerName: { $gt: '' } } }),
    );
    expect(result.status).toBe(200);
    expect(texts(connector.deliveries).join(' ')).toMatch(/didn't carry what it needs \(offerName is not valid\)/);
  });
});
