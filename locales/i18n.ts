import enUS from './en-US.json';
import { englishPossessive, KOREAN_PARTICLES, koreanParticle } from './grammar';
import koKR from './ko-KR.json';

export const LOCALES = ['en-US', 'ko-KR'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en-US';

export type Catalog = Readonly<Record<MessageKey, string>>;
export type MessageKey = keyof typeof enUS;
export type MessageParams = Readonly<Record<string, string | number>>;

/** Keys that exist in plural forms `{base}.one` / `{base}.other`. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}.other` ? Base : never) : never;

/**
 * `{name}` is the value; `{name:을}` the value with the Korean particle that fits it (either form
 * of the pair), `{name:'s}` the English possessive; `{count|item|items}` the word that agrees with
 * the number `count`, without the number.
 */
const PLACEHOLDER = /\{(\w+)(?::([^{}|]+)|\|([^{}]*))?\}/g;

/** What each locale's date and time look like: Korean reads 2026년 11월 30일 14:31, not "PM 2:31". */
const DATE_FORMATS: Readonly<Record<Locale, { date: Intl.DateTimeFormatOptions; dateTime: Intl.DateTimeFormatOptions }>> = {
  'en-US': { date: { dateStyle: 'medium' }, dateTime: { dateStyle: 'medium', timeStyle: 'short' } },
  'ko-KR': {
    date: { year: 'numeric', month: 'long', day: 'numeric' },
    dateTime: { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h23' },
  },
};

/** `ko` and `ko-KR` (any case, any region) are Korean; everything else is English. */
export function localeFromTag(tag: string | undefined): Locale {
  return tag && /^ko(?:[-_]|$)/i.test(tag.trim()) ? 'ko-KR' : 'en-US';
}

export class Translator {
  private readonly pluralRules: Intl.PluralRules;
  private readonly numberFormat: Intl.NumberFormat;
  private readonly dateFormat: Intl.DateTimeFormat;
  private readonly dateTimeFormat: Intl.DateTimeFormat;

  constructor(
    readonly locale: Locale,
    private readonly catalog: Catalog,
    readonly timeZone: string,
  ) {
    this.pluralRules = new Intl.PluralRules(locale);
    this.numberFormat = new Intl.NumberFormat(locale);
    this.dateFormat = new Intl.DateTimeFormat(locale, { ...DATE_FORMATS[locale].date, timeZone });
    this.dateTimeFormat = new Intl.DateTimeFormat(locale, { ...DATE_FORMATS[locale].dateTime, timeZone });
  }

  t(key: MessageKey, params: MessageParams = {}): string {
    return this.catalog[key].replace(PLACEHOLDER, (_, name: string, form: string | undefined, words: string | undefined) => {
      const value = params[name];
      if (value === undefined) throw new Error(`Message ${key} needs the parameter {${name}}`);
      if (words !== undefined) {
        if (typeof value !== 'number') throw new Error(`Message ${key} needs a number for {${name}}`);
        const [one = '', other = one] = words.split('|');
        return this.pluralRules.select(value) === 'one' ? one : other;
      }
      const text = typeof value === 'number' ? this.numberFormat.format(value) : value;
      return form === undefined ? text : text + this.formOf(text, form);
    });
  }

  /** What follows a value in this language: a Korean particle, or the English possessive. */
  private formOf(value: string, form: string): string {
    if (KOREAN_PARTICLES.includes(form)) return koreanParticle(value, form);
    if (form === "'s") return englishPossessive(value).slice(value.length);
    throw new Error(`Unknown form {…:${form}}`);
  }

  /** The plural form of `base` for `count`; `{count}` is available to the message. */
  plural(base: PluralKey, count: number, params: MessageParams = {}): string {
    const form = this.pluralRules.select(count);
    const key = `${base}.${form}`;
    const chosen = isMessageKey(key, this.catalog) ? key : (`${base}.other` as const);
    return this.t(chosen, { ...params, count });
  }

  number(value: number): string {
    return this.numberFormat.format(value);
  }

  date(value: Date): string {
    return this.dateFormat.format(value);
  }

  dateTime(value: Date): string {
    return this.dateTimeFormat.format(value);
  }
}

function isMessageKey(key: string, catalog: Catalog): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalog, key);
}

/**
 * Translators built on demand per locale and time zone and kept: Intl formatters are costly to make
 * on every turn. Time zones come from activities, so the cache is bounded.
 */
export class Translators {
  private readonly cache = new Map<string, Translator>();

  constructor(
    private readonly catalogs: Readonly<Record<Locale, Catalog>>,
    private readonly defaultTimeZone: string,
    private readonly maxEntries = 64,
  ) {}

  for(locale: Locale, timeZone: string = this.defaultTimeZone): Translator {
    const key = `${locale}|${timeZone}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (timeZone !== this.defaultTimeZone && !isTimeZone(timeZone)) return this.for(locale);
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    const translator = new Translator(locale, this.catalogs[locale], timeZone);
    this.cache.set(key, translator);
    return translator;
  }
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const EN_US_CATALOG: Catalog = enUS;
export const KO_KR_CATALOG: Catalog = koKR;
export const CATALOGS: Readonly<Record<Locale, Catalog>> = { 'en-US': EN_US_CATALOG, 'ko-KR': KO_KR_CATALOG };

/** The language a message is written in, where its script says so: Hangul is Korean. */
export function localeWrittenIn(text: string | undefined): Locale | undefined {
  return text && /\p{Script=Hangul}/u.test(text) ? 'ko-KR' : undefined;
}

/** What someone might type for each language, after `language` or `언어`. */
const LANGUAGE_NAMES: Readonly<Record<string, Locale>> = {
  en: 'en-US',
  'en-us': 'en-US',
  english: 'en-US',
  영어: 'en-US',
  ko: 'ko-KR',
  'ko-kr': 'ko-KR',
  korean: 'ko-KR',
  한국어: 'ko-KR',
  한국말: 'ko-KR',
};

export function localeFromName(name: string): Locale | undefined {
  return LANGUAGE_NAMES[name.trim().toLowerCase()];
}
