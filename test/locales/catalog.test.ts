import enUS from '../../locales/en-US.json';
import koKR from '../../locales/ko-KR.json';
import { koreanParticle } from '../../locales/grammar';
import { CATALOGS, localeFromName, localeFromTag, Translator, type MessageKey } from '../../locales/i18n';
import type { Delivery } from '../support/loopbackConnector';
import { ENGLISH_PHRASES, HANGUL, notKorean } from '../support/language';

const keys = Object.keys(enUS) as MessageKey[];
/** `{name}`, `{name:을}` (with a grammatical form), `{count|item|items}` (a word agreeing with a number). */
const PLACEHOLDER = /\{(\w+)(?::[^{}|]+|\|[^{}]*)?\}/g;
const placeholders = (message: string): string[] => [...new Set([...message.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();

/**
 * Korean messages that are rightly the same as the English: product names, and formats made only of
 * placeholders and punctuation.
 */
const SAME_IN_KOREAN = new Set<MessageKey>([
  'offerType.dynamics365BusinessCentral',
  'offerType.saas',
  'storefront.appSource',
  'storefront.azureMarketplace',
  'merge.offer.line',
  'merge.offer.choice',
  'merge.listingUrl.placeholder',
  'support.card.carriesOver.value',
  'support.card.partner.value',
  'support.card.requestedBy.value',
  'support.card.solution.value',
  'certification.heading',
  'awaited.value',
  'list.row.id',
]);

describe.each(Object.entries(CATALOGS))('the %s catalog', (_locale, catalog) => {
  test.each(keys.map((key) => [key]))('%s is a non-empty message with well-formed placeholders', (key) => {
    const message = catalog[key];
    expect(message.trim()).not.toBe('');
    expect(message.replace(PLACEHOLDER, '')).not.toMatch(/[{}]/);
  });

  test('every plural message has its "other" form', () => {
    const bases = new Set(keys.filter((key) => /\.(one|two|few|many|zero)$/.test(key)).map((key) => key.replace(/\.\w+$/, '')));
    for (const base of bases) expect(keys).toContain(`${base}.other`);
  });
});

describe('ko-KR beside en-US', () => {
  test('the same keys, in the same order', () => {
    expect(Object.keys(koKR)).toEqual(keys);
  });

  test.each(keys.map((key) => [key]))('%s has the same placeholders in Korean', (key) => {
    expect(placeholders(koKR[key])).toEqual(placeholders(enUS[key]));
  });

  test.each(keys.filter((key) => !SAME_IN_KOREAN.has(key)).map((key) => [key]))('%s is written in Korean', (key) => {
    expect(koKR[key]).toMatch(HANGUL);
  });

  test('what stays the same in Korean has no English sentence in it', () => {
    for (const key of SAME_IN_KOREAN) expect(koKR[key].replace(PLACEHOLDER, '')).not.toMatch(/\b[a-z]{3,} [a-z]{3,}\b/);
  });

  test('the check of a Korean conversation finds English replies and buttons', () => {
    expect(ENGLISH_PHRASES.length).toBeGreaterThan(200);
    expect(ENGLISH_PHRASES).not.toContain('Microsoft AppSource');
    const delivery = (activity: Delivery['activity']): Delivery => ({
      kind: 'send',
      conversationId: 'c',
      activityId: 'a',
      activity,
      at: 0,
      bytes: 0,
    });
    const card = (title: string, text: string) => ({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            type: 'AdaptiveCard',
            body: [{ type: 'TextBlock', text }],
            actions: [{ type: 'Action.OpenUrl', title, url: 'https://x' }],
          },
        },
      ],
    });
    expect(notKorean([delivery({ type: 'message', text: '작업을 취소했습니다. 변경된 내용은 없습니다.' })])).toEqual([]);
    expect(notKorean([delivery({ type: 'message', text: 'There is nothing to cancel.' })])).toHaveLength(2);
    expect(notKorean([delivery(card('Guides', '안내서'))])).toEqual(['a button without Hangul: Guides']);
    expect(notKorean([delivery({ type: 'message', text: '솔루션: Stop what you are doing.' })])).toEqual([
      'English: “Stop what you are doing” in 솔루션: Stop what you are doing.',
    ]);
  });
});

describe('Translator', () => {
  const t = new Translator('en-US', enUS, 'Asia/Seoul');

  test('fills placeholders, formats numbers, and picks plural forms', () => {
    expect(t.plural('solution.referrals', 1)).toBe('1 open referral');
    expect(t.plural('solution.referrals', 1200)).toBe('1,200 open referrals');
    expect(t.t('list.page', { page: 2, pageCount: 3 })).toBe('Page 2 of 3');
  });

  test('refuses a message whose placeholder was not given', () => {
    expect(() => t.t('list.page', { page: 2 })).toThrow(/pageCount/);
  });

  test('formats dates in its time zone', () => {
    expect(t.date(new Date('2026-11-21T20:00:00Z'))).toBe('Nov 22, 2026');
  });

  test.each([
    ['ko', 'ko-KR'],
    ['ko-KR', 'ko-KR'],
    ['KO_kr', 'ko-KR'],
    ['en-US', 'en-US'],
    ['fr-FR', 'en-US'],
    ['kok', 'en-US'],
    [undefined, 'en-US'],
  ])('the locale tag %s reads as %s', (tag, locale) => {
    expect(localeFromTag(tag)).toBe(locale);
  });

  test.each([
    ['ko', 'ko-KR'],
    ['KO-kr', 'ko-KR'],
    ['korean', 'ko-KR'],
    ['한국어', 'ko-KR'],
    ['한국말', 'ko-KR'],
    ['en', 'en-US'],
    ['English', 'en-US'],
    ['영어', 'en-US'],
    ['fr', undefined],
    ['프랑스어', undefined],
    ['', undefined],
  ])('the language named %s is %s', (name, locale) => {
    expect(localeFromName(name)).toBe(locale);
  });

  test('Korean numbers, dates and plurals go through Intl', () => {
    const ko = new Translator('ko-KR', koKR, 'Asia/Seoul');
    expect(ko.plural('solution.referrals', 1200)).toBe('진행 중인 추천 1,200건');
    expect(ko.date(new Date('2026-11-21T20:00:00Z'))).toBe('2026년 11월 22일');
    expect(ko.t('list.page', { page: 2, pageCount: 3 })).toBe('3쪽 중 2쪽');
  });

  test.each([
    ['en-US', '2026-11-30T14:31:00Z', 'Nov 30, 2026, 11:31 PM'],
    ['ko-KR', '2026-11-30T14:31:00Z', '2026년 11월 30일 23:31'],
    ['ko-KR', '2026-11-30T00:05:00Z', '2026년 11월 30일 09:05'],
  ] as const)('a %s date and time reads %s as %s, in 24 hours in Korean', (locale, at, shown) => {
    expect(new Translator(locale, CATALOGS[locale], 'Asia/Seoul').dateTime(new Date(at))).toBe(shown);
  });

  test.each([
    [1, 'None of your 1 solution is waiting for a decision.'],
    [12, 'None of your 12 solutions are waiting for a decision.'],
  ])('a word agrees with its number: %d', (total, shown) => {
    expect(t.t('overview.summary.none', { total })).toBe(shown);
  });

  test.each([
    ['Contoso Cloud Solutions', "Contoso Cloud Solutions'"],
    ['Fabrikam', "Fabrikam's"],
  ])('the possessive of %s is %s', (partner, possessive) => {
    expect(t.t('unsubscribe.done', { partner })).toBe(`This conversation no longer hears about ${possessive} offers.`);
  });
});

describe('Korean particles after a value', () => {
  test.each([
    ['폐기됨', '을', '폐기됨을'],
    ['조치 필요', '을', '조치 필요를'],
    ['게시', '은', '게시는'],
    ['파일', '으로', '파일로'],
    ['상태', '으로', '상태로'],
    ['폐기됨', '로', '폐기됨으로'],
    ['MR-20261130-00001', '이', 'MR-20261130-00001이'],
    ['MR-20261130-00002', '이', 'MR-20261130-00002가'],
    ['요청 10', '은', '요청 10은'],
    ['Contoso Retail Insights', '를', 'Contoso Retail Insights를'],
    ['Contoso Edge Vision', '를', 'Contoso Edge Vision을'],
    ['Contoso Edge Vision Module', '으로', 'Contoso Edge Vision Module로'],
    ['Contoso CRM', '가', 'Contoso CRM이'],
    ['“Contoso Teams”', '과', '“Contoso Teams”와'],
  ])('%s + %s reads %s', (value, particle, shown) => {
    expect(value + koreanParticle(value, particle)).toBe(shown);
  });

  test('the catalog picks the particle when the message is formatted', () => {
    const ko = new Translator('ko-KR', koKR, 'UTC');
    expect(ko.t('refusal.requestNotFound', { requestId: 'MR-20261130-00002' })).toBe('병합 요청 MR-20261130-00002가 없습니다.');
    expect(ko.t('refusal.requestNotFound', { requestId: 'MR-20261130-00001' })).toBe('병합 요청 MR-20261130-00001이 없습니다.');
  });
});
