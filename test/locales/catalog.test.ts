import enUS from '../../locales/en-US.json';
import koKR from '../../locales/ko-KR.json';
import { CATALOGS, localeFromName, localeFromTag, Translator, type MessageKey } from '../../locales/i18n';
import type { Delivery } from '../support/loopbackConnector';
import { ENGLISH_PHRASES, HANGUL, notKorean } from '../support/language';

const keys = Object.keys(enUS) as MessageKey[];
const placeholders = (message: string): string[] => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

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
  'merge.listingUrl.placeholder',
  'support.card.carriesOver.value',
  'support.card.partner.value',
  'support.card.requestedBy.value',
  'support.card.solution.value',
  'certification.heading',
  'list.row.id',
]);

describe.each(Object.entries(CATALOGS))('the %s catalog', (_locale, catalog) => {
  test.each(keys.map((key) => [key]))('%s is a non-empty message with well-formed placeholders', (key) => {
    const message = catalog[key];
    expect(message.trim()).not.toBe('');
    expect(message.replace(/\{\w+\}/g, '')).not.toMatch(/[{}]/);
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
    for (const key of SAME_IN_KOREAN) expect(koKR[key].replace(/\{\w+\}/g, '')).not.toMatch(/\b[a-z]{3,} [a-z]{3,}\b/);
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
    expect(notKorean([delivery({ type: 'message', text: '멈췄습니다. 더 바뀐 것은 없습니다.' })])).toEqual([]);
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
    expect(ko.plural('solution.referrals', 1200)).toBe('진행 중인 리퍼럴 1,200건');
    expect(ko.date(new Date('2026-11-21T20:00:00Z'))).toBe('2026. 11. 22.');
    expect(ko.t('list.page', { page: 2, pageCount: 3 })).toBe('3쪽 중 2쪽');
  });
});
