import enUS from '../../locales/en-US.json';
import { localeFromTag, Translator, type MessageKey } from '../../locales/i18n';

const keys = Object.keys(enUS) as MessageKey[];

describe('the en-US catalog', () => {
  test.each(keys.map((key) => [key]))('%s is a non-empty message with well-formed placeholders', (key) => {
    const message = enUS[key];
    expect(message.trim()).not.toBe('');
    expect(message.replace(/\{\w+\}/g, '')).not.toMatch(/[{}]/);
  });

  test('every plural message has its "other" form', () => {
    const bases = new Set(keys.filter((key) => /\.(one|two|few|many|zero)$/.test(key)).map((key) => key.replace(/\.\w+$/, '')));
    for (const base of bases) expect(keys).toContain(`${base}.other`);
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
});
