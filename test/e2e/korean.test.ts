import { Conversation, onlyCard, postJson, texts, type Delivery } from '../support/botClient';
import { findButton, formValues, textOf } from '../support/cards';
import { HANGUL, notKorean, shownText } from '../support/language';
import { LoopbackConnector } from '../support/loopbackConnector';
import { startTestApp, type TestApp } from '../support/testApp';

const FLEET = 'OCP-1042173';
const CHANNEL = '19:contoso-launch@thread.tacv2';
const TEAM = '19:contoso-team@thread.tacv2';

describe('in Korean, over HTTP', () => {
  let connector: LoopbackConnector;
  let bot: TestApp;

  beforeEach(async () => {
    connector = await LoopbackConnector.start({ teamsLimits: true });
    bot = await startTestApp({ env: { CERTIFICATION_SIMULATOR: 'off' } });
  });
  afterEach(async () => {
    await bot.app.close();
    await connector.close();
    expect(connector.cardProblems).toEqual([]);
  });

  function user(locale: string, userId = 'demo-manager'): Conversation {
    return new Conversation(bot.app.url, connector, { userId, locale });
  }

  test('Hangul from a client set to English, before any language is chosen, is answered in Korean; English then in English', async () => {
    const someone = user('en-US', 'demo-developer');
    const greeted = await someone.say('안녕하세요');
    expect(greeted.map(shownText).join(' ')).toMatch(HANGUL);
    expect(notKorean(greeted)).toEqual([]);
    const english = await someone.say('hello');
    expect(english.map(shownText).join(' ')).toMatch(/Move your co-sell solutions/);
  });

  test('a ko-KR user goes through overview, list, merge, discard, undo, help and cancel, all in Korean', async () => {
    const ko = user('ko-KR');
    const seen: Delivery[] = [];
    const step = async (deliveries: Promise<Delivery[]>): Promise<Delivery[]> => {
      const delivered = await deliveries;
      expect(delivered.length).toBeGreaterThan(0);
      seen.push(...delivered);
      return delivered;
    };

    const overview = onlyCard(await step(ko.send({ type: 'conversationUpdate', membersAdded: [{ id: 'migration-bot' }] })));
    expect(textOf(overview.card)).toContain('OCP GTM의 공동 판매 솔루션 옮기기');

    const list = onlyCard(await step(ko.say('솔루션')));
    expect(textOf(list.card)).toMatch(/결정이 필요한 솔루션: 전체 \d+개 중 \d+개/);
    const page2 = onlyCard(
      await step(ko.press(findButton(list.card, 'listSolutions', { page: 2 })!.data, list.delivery.activityId)),
    );
    expect(textOf(page2.card)).toContain('2쪽 중 2쪽');

    // Merge: Action 1 by button, Action 2 submitted from the card.
    const options = onlyCard(await step(ko.press({ verb: 'beginMigration', solutionId: FLEET })));
    const action1 = onlyCard(await step(ko.press(findButton(options.card, 'chooseMerge')!.data, options.delivery.activityId)));
    expect(textOf(action1.card)).toContain('작업 1/2 · 제품 확인');
    const form = onlyCard(
      await step(
        ko.press(
          { ...findButton(action1.card, 'selectOffer')!.data, offerId: 'contoso.crm-connect', listingUrl: '' },
          action1.delivery.activityId,
        ),
      ),
    );
    expect(textOf(form.card)).toContain('작업 2/2');
    const requested = await step(
      ko.press({ ...findButton(form.card, 'submitMerge')!.data, ...formValues(form.card) }, action1.delivery.activityId),
    );
    expect(textOf(onlyCard(requested).card)).toMatch(
      /병합 요청됨[\s\S]*요청 ID MR-\d{8}-\w{5}[\s\S]*파트너 지원팀이 영업일 기준 2일 안에/,
    );

    // Discard by button, undo by button.
    const discardId = String(findButton(list.card, 'beginMigration')!.data.solutionId);
    const discardOptions = onlyCard(await step(ko.press({ verb: 'beginMigration', solutionId: discardId })));
    const confirm = onlyCard(
      await step(ko.press(findButton(discardOptions.card, 'chooseDiscard')!.data, discardOptions.delivery.activityId)),
    );
    expect(textOf(confirm.card)).toContain('이 솔루션을 폐기할까요?');
    const discarded = await step(ko.press(findButton(confirm.card, 'confirmDiscard')!.data, discardOptions.delivery.activityId));
    expect(textOf(onlyCard(discarded).card)).toMatch(/폐기됨/);
    const undone = await step(
      ko.press(findButton(onlyCard(discarded).card, 'undoDiscard')!.data, discardOptions.delivery.activityId),
    );
    expect(textOf(onlyCard(undone).card)).toMatch(/폐기 취소됨/);

    // Typed Korean answers: choose discard by word, then keep it; each next step comes at the bottom.
    await step(ko.press({ verb: 'beginMigration', solutionId: discardId }));
    const typed = await step(ko.say('폐기'));
    expect(textOf(onlyCard(typed.filter((delivery) => delivery.kind === 'send')).card)).toContain('이 솔루션을 폐기할까요?');
    expect(texts(await step(ko.say('아니요'))).join(' ')).toMatch(/폐기하지 않았습니다/);

    const help = onlyCard(await step(ko.say('도움말')));
    expect(textOf(help.card)).toMatch(/입력할 수 있는 명령[\s\S]*솔루션[\s\S]*구독 취소[\s\S]*언어 한국어 \| 영어/);

    await step(ko.press({ verb: 'beginMigration', solutionId: discardId }));
    expect(texts(await step(ko.say('취소'))).join(' ')).toBe('작업을 취소했습니다. 변경된 내용은 없습니다.');
    expect(texts(await step(ko.say('취소'))).join(' ')).toBe('취소할 작업이 없습니다.');

    // A bad value gets a Korean answer too.
    const refused = await step(ko.press({ verb: 'beginMigration', solutionId: 'OCP-0000000' }));
    expect(texts(refused).join(' ')).toMatch(/ID가 OCP-0000000인 솔루션이 없습니다/);

    expect(notKorean(seen)).toEqual([]);
  });

  test('an en-US user beside them still gets English', async () => {
    await user('ko-KR').say('솔루션');
    const en = user('en-US', 'demo-owner');
    const seen = [...(await en.say('solutions')), ...(await en.say('help')), ...(await en.say('cancel'))];
    const shown = seen.map(shownText).join('\n');
    expect(shown).toContain('Solutions of Contoso Cloud Solutions');
    expect(shown).toContain('What you can type');
    expect(shown).toContain('There is nothing to cancel.');
    expect(shown).not.toMatch(HANGUL);
  });

  test.each([
    ['language ko', 'en-US', 'ko-KR'],
    ['언어 한국어', 'en-US', 'ko-KR'],
    ['Language Korean', 'en-US', 'ko-KR'],
    ['language en', 'ko-KR', 'en-US'],
    ['언어 영어', 'ko-KR', 'en-US'],
  ])(
    '"%s" from a %s client: the user is answered in %s from then on, over what the client says',
    async (command, client, chosen) => {
      const person = user(client);
      const answer = texts(await person.say(command)).join(' ');
      const list = shownText(onlyCard(await person.say('solutions')).delivery);
      const later = shownText(onlyCard(await user(client).say('help')).delivery);
      if (chosen === 'ko-KR') {
        expect(answer).toBe('이제부터 한국어로 답하겠습니다.');
        expect(list).toContain('Contoso Cloud Solutions의 솔루션');
        expect(later).toContain('입력할 수 있는 명령');
      } else {
        expect(answer).toBe("I'll answer in English from now on.");
        expect(list).toContain('Solutions of Contoso Cloud Solutions');
        expect(later).toContain('What you can type');
      }
    },
  );

  test('a language the bot does not speak is refused in the language in use, and nothing changes', async () => {
    const ko = user('ko-KR');
    expect(texts(await ko.say('언어 프랑스어')).join(' ')).toBe(
      '영어와 한국어로 답할 수 있습니다. 언어 영어 또는 언어 한국어라고 입력하세요.',
    );
    expect(texts(await ko.say('language')).join(' ')).toMatch(HANGUL);
    expect(textOf(onlyCard(await ko.say('solutions')).card)).toContain('Contoso Cloud Solutions의 솔루션');
  });

  test('a channel subscribed in Korean gets its certification cards in Korean', async () => {
    const channel = new Conversation(bot.app.url, connector, {
      userId: 'demo-manager',
      locale: 'ko-KR',
      conversationId: `${CHANNEL};messageid=1732170000000`,
      conversationType: 'channel',
      channelId: 'msteams',
    });
    const subscribed = await channel.send({
      type: 'message',
      text: '<at>Migration bot</at> 구독',
      entities: [{ type: 'mention', text: '<at>Migration bot</at>', mentioned: { id: 'migration-bot', name: 'Migration bot' } }],
      channelData: { tenant: { id: 'tenant-1' }, team: { id: TEAM }, channel: { id: CHANNEL } },
    });
    expect(texts(subscribed).join(' ')).toMatch(/이제 Contoso Cloud Solutions의 제품 인증 상태가 바뀌면 이 대화에 알려 드립니다/);
    const mark = connector.deliveries.length;

    const posted = await postJson(
      `${bot.app.url}/api/notifications/certification`,
      { offerId: 'contoso.field-service-companion', status: 'previewReady' },
      { authorization: 'Bearer dev-notify-token' },
    );
    expect(posted.status).toBe(202);
    await bot.app.outboxIdle();
    const inChannel = connector.since(mark).filter((delivery) => delivery.conversationId === CHANNEL);
    const card = onlyCard(inChannel).card;
    expect(textOf(card)).toMatch(/Contoso Field Service Companion: 미리 보기 준비됨[\s\S]*제품이 인증을 통과했습니다/);
    expect(notKorean(inChannel)).toEqual([]);
  });

  test('language in a channel is the channel’s: everyone there, and its notifications, get it; a personal chat keeps its own', async () => {
    const teamData = { tenant: { id: 'tenant-1' }, team: { id: TEAM }, channel: { id: CHANNEL } };
    const member = (userId: string): Conversation =>
      new Conversation(bot.app.url, connector, {
        userId,
        locale: 'en-US',
        conversationId: `${CHANNEL};messageid=1732170000000`,
        conversationType: 'channel',
        channelId: 'msteams',
      });
    // Subscribed by someone whose client speaks English.
    expect(texts(await member('demo-manager').mention('subscribe', teamData)).join(' ')).toMatch(/now hears about/);

    // The Korean command form, from another member with an English client: the channel's language now.
    expect(texts(await member('demo-owner').mention('언어 한국어', teamData))).toEqual([
      '이제부터 이 대화에 올리는 모든 메시지를 알림을 포함해 한국어로 보내겠습니다.',
    ]);
    const status = await member('demo-marketer').mention('status', teamData);
    expect(textOf(onlyCard(status).card)).toMatch(/이 대화는 .*Contoso Cloud Solutions의 제품 인증 소식을 받고 있습니다/);
    expect(notKorean(status)).toEqual([]);

    // A notification to the channel is in the channel's language, not its English subscriber's.
    const mark = connector.deliveries.length;
    await postJson(
      `${bot.app.url}/api/notifications/certification`,
      { offerId: 'contoso.energy-analytics', status: 'live' },
      { authorization: 'Bearer dev-notify-token' },
    );
    await bot.app.outboxIdle();
    const notice = connector.since(mark).filter((delivery) => delivery.conversationId === CHANNEL);
    expect(textOf(onlyCard(notice).card)).toMatch(/Contoso Energy Analytics: 라이브[\s\S]*제품이 라이브 상태가 되었습니다/);
    expect(notKorean(notice)).toEqual([]);

    // The owner's own chat is theirs: English, as their client says.
    const personal = new Conversation(bot.app.url, connector, { userId: 'demo-owner', locale: 'en-US' });
    expect(textOf(onlyCard(await personal.say('help')).card)).toContain('What you can type');

    expect(texts(await member('demo-manager').mention('language en', teamData))).toEqual([
      'Everything I post in this conversation, notifications included, is in English from now on.',
    ]);
    expect(textOf(onlyCard(await member('demo-marketer').mention('status', teamData)).card)).toContain(
      "This conversation hears about the certification of Contoso Cloud Solutions' offers",
    );
  });
});
