import enUS from '../../locales/en-US.json';
import koKR from '../../locales/ko-KR.json';
import { cardsOf, textOf } from './cards';
import type { Delivery } from './loopbackConnector';

export const HANGUL = /\p{Script=Hangul}/u;

/** Keys whose English values are not sentences a reply shows: the words the bot accepts. */
const ACCEPTED_WORDS = /^(?:answer|command)\./;

/**
 * The English phrases of the catalog, cut at placeholders: phrases of two words or more that the
 * Korean catalog does not also use (product names such as Microsoft AppSource are the same in both).
 */
export const ENGLISH_PHRASES: readonly string[] = (() => {
  const korean = Object.values(koKR).join('\n');
  const phrases = new Set<string>();
  for (const [key, message] of Object.entries(enUS)) {
    if (ACCEPTED_WORDS.test(key)) continue;
    for (const piece of message.split(/\{\w+(?::[^{}|]+|\|[^{}]*)?\}/)) {
      const phrase = piece.trim().replace(/^[\s,.:;·()“”]+|[\s,.:;·()“”]+$/g, '');
      if (/\S\s+\S/.test(phrase) && /[a-z]{3}/i.test(phrase) && !korean.includes(phrase)) phrases.add(phrase);
    }
  }
  return [...phrases];
})();

/** Everything a delivery shows a reader: its text, and the text of its cards. */
export function shownText(delivery: Delivery): string {
  return [delivery.activity.text ?? '', ...cardsOf(delivery.activity).map(textOf)].join('\n');
}

/**
 * What in these deliveries is not Korean: a reply or a button with no Hangul, or an English
 * catalog phrase anywhere.
 */
export function notKorean(deliveries: readonly Delivery[]): string[] {
  const problems: string[] = [];
  for (const delivery of deliveries) {
    const shown = shownText(delivery);
    if (!HANGUL.test(shown)) problems.push(`a reply without Hangul: ${shown.slice(0, 120)}`);
    for (const card of cardsOf(delivery.activity)) {
      for (const title of actionTitles(card)) {
        if (!HANGUL.test(title)) problems.push(`a button without Hangul: ${title}`);
      }
    }
    for (const phrase of ENGLISH_PHRASES)
      if (shown.includes(phrase)) problems.push(`English: “${phrase}” in ${shown.slice(0, 120)}`);
  }
  return problems;
}

/** The title of every button of a card, links included. */
function actionTitles(card: unknown): string[] {
  const titles: string[] = [];
  JSON.stringify(card, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && 'type' in value && 'title' in value) {
      const { type, title } = value;
      if (typeof type === 'string' && type.startsWith('Action.') && typeof title === 'string') titles.push(title);
    }
    return value;
  });
  return titles;
}
