import { cards, Conversation, onlyCard, postJson, texts, type Delivery } from '../support/botClient';
import { buttonsOf, findButton, formValues, textOf } from '../support/cards';
import { LoopbackConnector } from '../support/loopbackConnector';
import { startTestApp, type TestApp } from '../support/testApp';
import { waitFor } from '../support/waitFor';
import { openDatabase } from '../../store/sqlite/database';

const TOKEN = 'dev-notify-token';
const CHANNEL = '19:contoso-launch@thread.tacv2';
const TEAM = '19:contoso-team@thread.tacv2';
const FAST_RETRY = { maxAttempts: 6, baseDelayMs: 50, maxDelayMs: 1500 };

describe('certification status notifications', () => {
  let connector: LoopbackConnector;
  let bot: TestApp;

  beforeEach(async () => {
    connector = await LoopbackConnector.start({ teamsLimits: true });
    bot = await startTestApp({ env: { CERTIFICATION_SIMULATOR: 'off' }, retry: FAST_RETRY });
  });
  afterEach(async () => {
    await bot.app.close();
    await connector.close();
    expect(connector.cardProblems).toEqual([]);
  });

  function channel(userId = 'demo-manager'): Conversation {
    return new Conversation(bot.app.url, connector, {
      userId,
      conversationId: `${CHANNEL};messageid=1732170000000`,
      conversationType: 'channel',
      channelId: 'msteams',
    });
  }

  /** Types in a channel the way Teams delivers it: the bot's @mention first. */
  function mention(conversation: Conversation, text: string): Promise<Delivery[]> {
    return conversation.mention(text, { tenant: { id: 'tenant-1' }, team: { id: TEAM }, channel: { id: CHANNEL } });
  }

  function postChange(body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
    return postJson(`${bot.app.url}/api/notifications/certification`, body, headers);
  }

  const inChannel = (): Delivery[] => connector.deliveries.filter((delivery) => delivery.conversationId === CHANNEL);

  test('a channel subscribes; a posted change puts one card in it, with the next step', async () => {
    expect(texts(await mention(channel(), 'subscribe')).join(' ')).toMatch(
      /now hears about the certification of Contoso Cloud Solutions' offers/,
    );
    const mark = connector.deliveries.length;

    const accepted = await postChange({ offerId: 'contoso.energy-analytics', status: 'live' });
    expect(accepted.status).toBe(202);
    expect(JSON.parse(accepted.body)).toMatchObject({ deliveries: 1, repeated: false });

    await waitFor(() => inChannel().length > 0);
    const card = onlyCard(connector.since(mark).filter((delivery) => delivery.conversationId === CHANNEL));
    expect(textOf(card.card)).toMatch(
      /Contoso Energy Analytics: Live[\s\S]*The offer is live\. Solutions waiting for a new offer can now be merged into it/,
    );
    expect(JSON.stringify(card.card)).toContain(
      'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.energy-analytics',
    );
    await bot.app.outboxIdle();
    expect(inChannel()).toHaveLength(1);
  });

  test('a failed certification tells what to address, as the pipeline wrote it, with the report', async () => {
    await mention(channel(), 'subscribe');
    const detail = 'Screenshots must be **1280x720**; ${fix} them.';
    connector.literals = [detail];
    await postChange({
      offerId: 'contoso.field-service-companion',
      status: 'certificationFailed',
      detail,
      reportUrl: 'https://partner.microsoft.com/reports/cert-42',
    });
    await waitFor(() => inChannel().length > 0);
    const card = onlyCard(inChannel()).card;
    expect(textOf(card)).toMatch(/Certification failed[\s\S]*select Publish again in Partner Center to recertify/);
    expect(JSON.stringify(card)).toContain(JSON.stringify({ type: 'TextRun', text: detail, italic: true }).slice(1, -1));
    expect(JSON.stringify(card)).toContain('https://partner.microsoft.com/reports/cert-42');
  });

  test.each<[string, Record<string, string>]>([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }],
    ['the token alone', { authorization: TOKEN }],
    ['the token with more after it', { authorization: `Bearer ${TOKEN} junk` }],
    ['the token after two spaces', { authorization: `Bearer  ${TOKEN}` }],
  ])('with %s: 401, and nothing is sent', async (_label, headers) => {
    await mention(channel(), 'subscribe');
    const mark = connector.deliveries.length;
    const result = await postChange({ offerId: 'contoso.energy-analytics', status: 'live' }, headers);
    expect(result.status).toBe(401);
    await bot.app.outboxIdle();
    expect(connector.since(mark)).toEqual([]);
  });

  test.each<[string, unknown]>([
    ['broken JSON', '{"offerId": "contoso.energy-analytics",'],
    ['a list', '[]'],
    ['no offer id', { status: 'live' }],
    ['an unknown status', { offerId: 'contoso.energy-analytics', status: 'approved' }],
    [
      'a report URL over http',
      { offerId: 'contoso.energy-analytics', status: 'certificationFailed', reportUrl: 'http://example.com/r' },
    ],
    [
      'a report URL that is script',
      { offerId: 'contoso.energy-analytics', status: 'certificationFailed', reportUrl: 'javascript:alert(1)' },
    ],
    ['a detail far too long', { offerId: 'contoso.energy-analytics', status: 'live', detail: 'x'.repeat(5000) }],
    [
      'a report URL naming Partner Center as its user',
      {
        offerId: 'contoso.energy-analytics',
        status: 'certificationFailed',
        reportUrl: 'https://partner.microsoft.com@evil.example/x',
      },
    ],
    [
      'a report URL on another host',
      { offerId: 'contoso.energy-analytics', status: 'certificationFailed', reportUrl: 'https://evil.example/report' },
    ],
    [
      'a report URL on a host that only starts like Partner Center',
      {
        offerId: 'contoso.energy-analytics',
        status: 'certificationFailed',
        reportUrl: 'https://partner.microsoft.com.evil.example/r',
      },
    ],
    [
      'a report URL with a port',
      { offerId: 'contoso.energy-analytics', status: 'certificationFailed', reportUrl: 'https://partner.microsoft.com:8443/r' },
    ],
    [
      'a report URL whose path turns right to left',
      {
        offerId: 'contoso.energy-analytics',
        status: 'certificationFailed',
        reportUrl: 'https://partner.microsoft.com/r\u202Efdp.exe',
      },
    ],
  ])('with %s: 400, and nothing is sent', async (_label, body) => {
    await mention(channel(), 'subscribe');
    const mark = connector.deliveries.length;
    expect((await postChange(body)).status).toBe(400);
    await bot.app.outboxIdle();
    expect(connector.since(mark)).toEqual([]);
  });

  test.each<[string, string, string]>([
    [
      'right-to-left override',
      'https://partner.microsoft.com/r\u202Efdp.exe',
      'must not contain bidirectional control characters',
    ],
    [
      'an invalid punycode host',
      'https://xn--partner.microsoft.com/r',
      'must have a valid host name: xn--partner.microsoft.com is not',
    ],
  ])('a report URL with %s: 400 that says so', async (_label, reportUrl, reason) => {
    const result = await postChange({ offerId: 'contoso.energy-analytics', status: 'certificationFailed', reportUrl });
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body)).toEqual({ error: 'BadRequest', problems: [expect.stringContaining(`reportUrl: ${reason}`)] });
  });

  test('an unknown offer: 404', async () => {
    const result = await postChange({ offerId: 'fabrikam.nothing', status: 'live' });
    expect(result.status).toBe(404);
  });

  test('a retried post with the same Idempotency-Key is the same change: one card', async () => {
    await mention(channel(), 'subscribe');
    const headers = { authorization: `Bearer ${TOKEN}`, 'idempotency-key': 'release-2026.11.21-7' };
    const first = JSON.parse((await postChange({ offerId: 'contoso.energy-analytics', status: 'live' }, headers)).body) as Record<
      string,
      unknown
    >;
    const again = JSON.parse((await postChange({ offerId: 'contoso.energy-analytics', status: 'live' }, headers)).body) as Record<
      string,
      unknown
    >;
    expect(again).toMatchObject({ changeId: first.changeId, repeated: true, deliveries: 0 });
    await waitFor(() => inChannel().length > 0);
    await bot.app.outboxIdle();
    expect(inChannel()).toHaveLength(1);
  });

  test('a status the offer has already is accepted and announced nowhere', async () => {
    await mention(channel(), 'subscribe');
    const restated = await postChange({ offerId: 'contoso.energy-analytics', status: 'previewReady' });
    expect(restated.status).toBe(202);
    expect(JSON.parse(restated.body)).toMatchObject({ deliveries: 0, repeated: false, unchanged: true });
    const changed: unknown = JSON.parse((await postChange({ offerId: 'contoso.energy-analytics', status: 'live' })).body);
    expect(changed).toMatchObject({ changeId: expect.any(Number), deliveries: 1, unchanged: false });
    const again = await postChange({ offerId: 'contoso.energy-analytics', status: 'live' });
    expect(JSON.parse(again.body)).toMatchObject({
      changeId: typeof changed === 'object' && changed !== null ? Reflect.get(changed, 'changeId') : undefined,
      deliveries: 0,
      unchanged: true,
    });
    await waitFor(() => inChannel().length > 0);
    await bot.app.outboxIdle();
    expect(inChannel()).toHaveLength(1);
    expect(textOf(onlyCard(inChannel()).card)).toMatch(/Live/);
  });

  test('three injected 429s still end in exactly one card', async () => {
    await mention(channel(), 'subscribe');
    connector.failNext(CHANNEL, [429, 429, 429]);
    await postChange({ offerId: 'contoso.field-service-companion', status: 'previewReady' });
    await waitFor(() => inChannel().length > 0, 10_000);
    await bot.app.outboxIdle();
    expect(inChannel()).toHaveLength(1);
    expect(textOf(onlyCard(inChannel()).card)).toMatch(/Ready to preview[\s\S]*then select Go live/);
  });

  test('Teams answering 403 drops the subscription; later changes send nothing there', async () => {
    await mention(channel(), 'subscribe');
    connector.failNext(CHANNEL, [403]);
    await postChange({ offerId: 'contoso.field-service-companion', status: 'previewReady' });
    await bot.app.outboxIdle();
    expect(inChannel()).toEqual([]);
    expect(JSON.parse((await postChange({ offerId: 'contoso.energy-analytics', status: 'live' })).body)).toMatchObject({
      deliveries: 0,
    });
    expect(textOf(onlyCard(await mention(channel(), 'status')).card)).toMatch(
      /does not hear about Contoso Cloud Solutions' offers/,
    );
  });

  test('status lists what is watched and where each offer stands; unsubscribe ends it', async () => {
    const user = channel('demo-marketer');
    const before = onlyCard(await mention(user, 'status')).card;
    expect(textOf(before)).toMatch(/does not hear about/);
    expect(findButton(before, 'subscribe')).toBeDefined();

    await mention(user, 'subscribe');
    // The bot runs on the real clock here: the subscription is dated today, in the bot's time zone (UTC).
    const today = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date());
    expect(texts(await mention(user, 'subscribe')).join(' ')).toContain(
      `already hears about Contoso Cloud Solutions' offers, since ${today} (subscribed by Riley Han)`,
    );
    const watched = onlyCard(await mention(user, 'status')).card;
    expect(textOf(watched)).toMatch(
      /hears about the certification of Contoso Cloud Solutions' offers[\s\S]*Contoso Energy Analytics\nReady to preview[\s\S]*Contoso Managed SOC\nDraft/,
    );

    expect(texts(await mention(user, 'unsubscribe'))).toEqual([
      "This conversation no longer hears about Contoso Cloud Solutions' offers.",
    ]);
    const mark = connector.deliveries.length;
    await postChange({ offerId: 'contoso.energy-analytics', status: 'live' });
    await bot.app.outboxIdle();
    expect(connector.since(mark).filter((delivery) => delivery.conversationId === CHANNEL)).toEqual([]);
  });

  test('subscribe in a personal chat is explained, not done', async () => {
    const personal = new Conversation(bot.app.url, connector, { userId: 'demo-manager' });
    expect(texts(await personal.say('subscribe'))).toEqual([
      expect.stringMatching(/^Certification updates go to channels and group chats/),
    ]);
  });

  test('someone waiting for a new offer hears in their chat when it is live, with a button that merges into it', async () => {
    const personal = new Conversation(bot.app.url, connector, { userId: 'demo-developer', conversationId: 'developer-chat' });
    await personal.press({
      verb: 'chooseNoSimilarOffer',
      solutionId: 'OCP-1042236',
      awaitedOfferId: 'contoso.energy-analytics',
    });
    const mark = connector.deliveries.length;

    await postChange({ offerId: 'contoso.energy-analytics', status: 'live' });
    await waitFor(() => connector.since(mark).some((delivery) => delivery.conversationId === 'developer-chat'));
    const notice = onlyCard(connector.since(mark).filter((delivery) => delivery.conversationId === 'developer-chat')).card;
    expect(textOf(notice)).toMatch(/“Contoso Energy Analytics” is live/);
    const merge = findButton(notice, 'selectOffer', { solutionId: 'OCP-1042236', offerId: 'contoso.energy-analytics' });
    expect(merge).toBeDefined();

    const form = onlyCard(await personal.press(merge!.data));
    expect(textOf(form.card)).toMatch(/Action 2 of 2/);
  });

  test('an offer going live proposes the merge only for the solution waiting for it, and asks about those left open', async () => {
    const personal = new Conversation(bot.app.url, connector, { userId: 'demo-manager', conversationId: 'manager-chat' });
    const noSimilarOffer = async (solutionId: string): Promise<{ card: unknown; delivery: Delivery }> => {
      const options = onlyCard(await personal.press({ verb: 'beginMigration', solutionId }));
      const chosen = cards(
        await personal.press(findButton(options.card, 'chooseNoSimilarOffer')!.data, options.delivery.activityId),
      );
      // The publishing steps, then the question which offer it waits for.
      expect(chosen.map(({ card }) => textOf(card))).toEqual([
        expect.stringMatching(/Publish a new offer first/),
        expect.stringMatching(/Which new offer is it waiting for\?[\s\S]*Waits for\nNo offer named yet/),
      ]);
      return chosen[1]!;
    };

    // Retail Insights waits for an offer Partner Center does not have yet, named by the user.
    const retail = await noSimilarOffer('OCP-1042201');
    const named = onlyCard(
      await personal.press(
        {
          ...findButton(retail.card, 'setAwaitedOffer')!.data,
          ...formValues(retail.card),
          awaitedOfferName: 'Contoso Retail Insights',
        },
        retail.delivery.activityId,
      ),
    );
    expect(textOf(named.card)).toMatch(
      /“Contoso Retail Insights” now waits for “Contoso Retail Insights”[\s\S]*Waits for\n“Contoso Retail Insights”/,
    );
    // Fleet Telematics waits for the Field Service Companion offer, chosen from the partner's offers.
    const fleet = await noSimilarOffer('OCP-1042173');
    await personal.press(
      {
        ...findButton(fleet.card, 'setAwaitedOffer')!.data,
        ...formValues(fleet.card),
        awaitedOfferId: 'contoso.field-service-companion',
      },
      fleet.delivery.activityId,
    );
    // Clinical Scheduling is left open.
    await noSimilarOffer('OCP-1042236');
    const mark = connector.deliveries.length;

    const accepted = await postChange({ offerId: 'contoso.field-service-companion', status: 'live' });
    expect(JSON.parse(accepted.body)).toMatchObject({ deliveries: 1 });
    await waitFor(() => connector.since(mark).some((delivery) => delivery.conversationId === 'manager-chat'));
    await bot.app.outboxIdle();
    const notice = connector.since(mark).filter((delivery) => delivery.conversationId === 'manager-chat');
    expect(notice).toHaveLength(1);
    const [proposal, question] = cards(notice).map(({ card }) => card);
    expect(cards(notice)).toHaveLength(2);

    // The merge is proposed for the solution waiting for this offer, and only for it.
    expect(textOf(proposal)).toMatch(/“Contoso Field Service Companion” is live/);
    expect(buttonsOf(proposal).map((button) => [button.data.verb, button.data.solutionId])).toEqual([
      ['selectOffer', 'OCP-1042173'],
    ]);
    // The solution left open is asked about, with no answer drawn as the default.
    expect(textOf(question)).toMatch(/Is “Contoso Field Service Companion” the new offer for “Contoso Clinical Scheduling”\?/);
    expect(buttonsOf(question).map((button) => button.data.verb)).toEqual(['selectOffer', 'chooseAwaitedOffer']);
    expect(JSON.stringify(question)).not.toContain('"positive"');
    // Retail Insights waits for another offer: not a word of it.
    expect(notice.map((delivery) => JSON.stringify(delivery.activity)).join('')).not.toMatch(/Retail Insights|OCP-1042201/);

    // No: it keeps waiting, and is asked which offer it is.
    const no = onlyCard(await personal.press(findButton(question, 'chooseAwaitedOffer')!.data, notice[0]!.activityId));
    expect(textOf(no.card)).toMatch(
      /“Contoso Field Service Companion” is not the one, so “Contoso Clinical Scheduling” keeps waiting/,
    );
    // Yes on the proposal: Action 2 of the merge, into that offer.
    const form = onlyCard(await personal.press(findButton(proposal, 'selectOffer')!.data));
    expect(textOf(form.card)).toMatch(/Action 2 of 2/);
    expect(formValues(form.card)).toMatchObject({ offerName: 'Contoso Field Service Companion' });
  });

  test('installed in a team, the bot offers to subscribe the channel; removed, it forgets it', async () => {
    const team = { tenant: { id: 'tenant-1' }, team: { id: TEAM }, channel: { id: CHANNEL } };
    const installer = channel();
    const offer = onlyCard(
      await installer.send({
        type: 'conversationUpdate',
        membersAdded: [{ id: 'migration-bot' }],
        channelData: { ...team, eventType: 'teamMemberAdded' },
      }),
    );
    expect(findButton(offer.card, 'subscribe')).toBeDefined();
    expect(texts(await installer.press({ verb: 'subscribe' })).join(' ')).toMatch(/now hears about/);

    await installer.send({
      type: 'conversationUpdate',
      membersRemoved: [{ id: 'migration-bot' }],
      channelData: { ...team, eventType: 'teamMemberRemoved' },
    });
    const result = await postChange({ offerId: 'contoso.energy-analytics', status: 'live' });
    expect(JSON.parse(result.body)).toMatchObject({ deliveries: 0 });
  });

  test('the report URL is refused with the reason', async () => {
    const result = await postChange({
      offerId: 'contoso.energy-analytics',
      status: 'certificationFailed',
      reportUrl: 'https://partner.microsoft.com@evil.example/x',
    });
    expect(JSON.parse(result.body)).toEqual({
      error: 'BadRequest',
      problems: ['reportUrl: must not carry a user name or password'],
    });
  });

  test('a host allowed by EXTRA_LINK_HOSTS may be the report, and its link is on the card', async () => {
    await bot.app.close();
    bot = await startTestApp({
      env: { CERTIFICATION_SIMULATOR: 'off', EXTRA_LINK_HOSTS: 'reports.contoso.com' },
      retry: FAST_RETRY,
    });
    await mention(channel(), 'subscribe');
    const accepted = await postChange({
      offerId: 'contoso.field-service-companion',
      status: 'certificationFailed',
      reportUrl: 'https://reports.contoso.com/cert/42',
    });
    expect(accepted.status).toBe(202);
    await waitFor(() => inChannel().length > 0);
    expect(JSON.stringify(onlyCard(inChannel()).card)).toContain('https://reports.contoso.com/cert/42');
  });

  test('a listing URL stored before the rule, on another host, is left off the card and logged', async () => {
    const dataDir = bot.dataDir;
    await bot.app.close();
    const db = openDatabase({ location: dataDir });
    db.prepare(
      "UPDATE offers SET listing_url = 'https://evil.example/contoso.energy-analytics' WHERE id = 'contoso.energy-analytics'",
    ).run();
    db.close();
    const lines: string[] = [];
    bot = await startTestApp({ dataDir, env: { CERTIFICATION_SIMULATOR: 'off' }, retry: FAST_RETRY, logLines: lines });
    await mention(channel(), 'subscribe');
    await postChange({ offerId: 'contoso.energy-analytics', status: 'live' });
    await waitFor(() => inChannel().length > 0);
    const card = JSON.stringify(onlyCard(inChannel()).card);
    expect(card).not.toContain('evil.example');
    expect(card).toContain('https://partner.microsoft.com/dashboard/marketplace-offers/overview');
    expect(lines.map((line): unknown => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ msg: 'links left off a card', refused: [{ host: 'evil.example', problem: expect.any(String) }] }),
    );
  });

  describe('Idempotency-Key', () => {
    const changeIdOf = (body: string): unknown => {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'changeId') : undefined;
    };
    const keyed = (key: string) => ({ authorization: `Bearer ${TOKEN}`, 'idempotency-key': key });

    test('the same change again, however written, is repeated: 202 and nothing new', async () => {
      await mention(channel(), 'subscribe');
      const first = await postChange(
        { offerId: 'contoso.energy-analytics', status: 'live', detail: 'Go live' },
        keyed('release-9'),
      );
      const again = await postChange(
        '{ "status": "live",  "detail": "  Go live ", "offerId": "contoso.energy-analytics", "note": "ignored" }',
        keyed('release-9'),
      );
      expect(again.status).toBe(202);
      expect(JSON.parse(again.body)).toEqual({
        changeId: changeIdOf(first.body),
        deliveries: 0,
        repeated: true,
        unchanged: false,
      });
      await bot.app.outboxIdle();
      expect(inChannel()).toHaveLength(1);
    });

    test.each<[string, Record<string, unknown>]>([
      ['another status', { offerId: 'contoso.energy-analytics', status: 'certificationFailed' }],
      ['another offer', { offerId: 'contoso.field-service-companion', status: 'live' }],
      ['a detail added', { offerId: 'contoso.energy-analytics', status: 'live', detail: 'second thoughts' }],
      [
        'a report added',
        { offerId: 'contoso.energy-analytics', status: 'live', reportUrl: 'https://partner.microsoft.com/reports/1' },
      ],
    ])('the same key with %s: 409 with the reason, and nothing is stored or sent', async (_label, body) => {
      await mention(channel(), 'subscribe');
      const first = await postChange({ offerId: 'contoso.energy-analytics', status: 'live' }, keyed('release-10'));
      await waitFor(() => inChannel().length > 0);
      const conflict = await postChange(body, keyed('release-10'));
      expect(conflict.status).toBe(409);
      expect(JSON.parse(conflict.body)).toEqual({
        error: 'Conflict',
        changeId: changeIdOf(first.body),
        problems: [expect.stringMatching(/^Idempotency-Key: already used for another change .* a new change needs a new key$/)],
      });
      await bot.app.outboxIdle();
      expect(inChannel()).toHaveLength(1);
      const status = await mention(channel(), 'status');
      expect(textOf(onlyCard(status).card)).toMatch(/Contoso Energy Analytics\s*Live/);

      const { dataDir } = bot;
      await bot.app.close();
      const db = openDatabase({ location: dataDir });
      expect(db.prepare('SELECT count(*) AS n FROM certification_changes').get()).toEqual({ n: 1 });
      db.close();
      bot = await startTestApp({ dataDir, env: { CERTIFICATION_SIMULATOR: 'off' }, retry: FAST_RETRY });
    });
  });
});
