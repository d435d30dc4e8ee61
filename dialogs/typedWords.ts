import { normalizeName } from '../domain/solutionNames';
import { CATALOGS, LOCALES } from '../locales/i18n';

/** What typing a solution's name asks for, with the words before or after it. */
export const TYPED_INTENTS = ['show', 'merge', 'discard', 'undo'] as const;
export type TypedIntent = (typeof TYPED_INTENTS)[number];

/** What a typed message outside a flow asks for, read with every language's words. */
export type TypedRequest =
  | { readonly kind: 'greeting' }
  | { readonly kind: 'pending' }
  | { readonly kind: 'undoWhich' }
  /** A solution by `name` (or id); `named` when a verb came with it, so that it is surely meant as one. */
  | { readonly kind: 'solution'; readonly intent: TypedIntent; readonly name: string; readonly named: boolean };

type WordKey = 'typed.words.greeting' | 'typed.words.pending' | 'typed.words.undo' | `typed.verbs.${TypedIntent}`;

/** The words a catalog gives for `key`, in every language: a Korean member may type English, and the other way. */
function wordsOf(key: WordKey): string[] {
  return LOCALES.flatMap((locale) => CATALOGS[locale][key].split('|'))
    .map(normalizeName)
    .filter((word) => word !== '');
}

const GREETINGS: ReadonlySet<string> = new Set(wordsOf('typed.words.greeting'));
const PENDING: ReadonlySet<string> = new Set(wordsOf('typed.words.pending'));
const UNDO: ReadonlySet<string> = new Set(wordsOf('typed.words.undo'));
/** Longest first, so that "undo discard" is read before "discard". */
const VERBS: readonly { readonly phrase: string; readonly intent: TypedIntent }[] = TYPED_INTENTS.flatMap((intent) =>
  wordsOf(`typed.verbs.${intent}`).map((phrase) => ({ phrase, intent })),
).sort((a, b) => b.phrase.length - a.phrase.length);

/**
 * Reads a message typed outside a flow: a greeting, "what's pending", "undo", or a solution's name
 * or id with what to do with it before it ("merge Contoso Fleet") or after it, as Korean puts it
 * ("Contoso Fleet 병합"). Anything else is taken as a name to look for.
 */
export function readTyped(text: string): TypedRequest {
  const typed = normalizeName(text);
  if (GREETINGS.has(typed)) return { kind: 'greeting' };
  if (PENDING.has(typed)) return { kind: 'pending' };
  if (UNDO.has(typed)) return { kind: 'undoWhich' };
  for (const { phrase, intent } of VERBS) {
    const name = typed.startsWith(`${phrase} `)
      ? typed.slice(phrase.length + 1)
      : typed.endsWith(` ${phrase}`)
        ? typed.slice(0, -phrase.length - 1)
        : undefined;
    if (name?.trim()) return { kind: 'solution', intent, name: name.trim(), named: true };
  }
  return { kind: 'solution', intent: 'show', name: typed, named: false };
}
