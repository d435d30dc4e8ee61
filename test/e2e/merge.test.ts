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

  test('a manager merges one solution by selecting a live offer and another by listing URL: one request each', async () => {
    const app = await start();
    const user = new Conversation(app.app.url, connector, { userId: 'demo-manager' });

    const action1 = await openActionOne(user, FLEET);
    const select = findButton(action1.card, 'selectOffer', { offerId: 'contoso.crm-connect' })!;
    const form = onlyCard(await user.press(select.data, action1.delivery.activityId));
    expect(form.delivery).toMatchObject({ kind: 'update', activityId: action1.delivery.activityId });
    const submit = findButton(form.card, 'submitMerge')!;
    const first = await user.press({ ...submit.data, ...formValues(form.card) }, action1.delivery.activityId);
    expect(texts(first).join(' ')).toMatch(PROMISE);
    const firstId = requestIdIn(first);
    expect(textOf(onlyCard(first).card)).toContain(firstId);

    const other = await openActionOne(user, GATEWAY);
    const url = 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.secure-gateway?tab=Overview';
    const byUrl = onlyCard(
      await user.press({ ...findButton(other.card, 'useListingUrl')!.data, listingUrl: url }, other.delivery.activityId),
    );
    expect(formValues(byUrl.card)).toEqual({
      offerType: 'azureApplication',
      offerName: 'Contoso Secure Gateway',
      ocpSolutionId: GATEWAY,
      listingUrl: 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.secure-gateway',
    });
    const second = await user.press(
      { ...findButton(byUrl.card, 'submitMerge')!.data, ...formValues(byUrl.card) },
      other.delivery.activityId,
    );
    expect(texts(second).join(' ')).toMatch(PROMISE);
    expect(requestIdIn(second)).not.toBe(firstId);

    const list = onlyCard(await user.press({ verb: 'listSolutions', page: 1 }));
    expect(textOf(list.card)).toMatch(/Waiting for a decision: 8 of/);
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
    const refused = await user.press(
      { ...findButton(action1.card, 'useListingUrl')!.data, listingUrl },
      action1.delivery.activityId,
    );
    expect(texts(refused).join(' ')).toMatch(reason);
    expect(findButton(onlyCard(refused).card, 'useListingUrl')).toBeDefined();
    const options = onlyCard(await user.press({ verb: 'beginMigration', solutionId: FLEET }));
    expect(buttonsOf(options.card).map((button) => button.data.verb)).toContain('chooseMerge');
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
