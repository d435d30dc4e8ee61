import { z } from 'zod';
import { ACTION_SCHEMAS, isVerb, type CardAction } from '../cards/actions';
import { nestsDeeperThan } from '../domain/jsonDepth';
import { localeFromName, type Locale } from '../locales/i18n';

export const COMMANDS = ['solutions', 'help', 'cancel', 'subscribe', 'unsubscribe', 'status'] as const;
export type Command = (typeof COMMANDS)[number];

/** The words that are commands, lower case, mapped to what they mean: English, and Korean. */
export const COMMAND_WORDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  ...COMMANDS.map((command): [string, Command] => [command, command]),
  ['솔루션', 'solutions'],
  ['도움말', 'help'],
  ['취소', 'cancel'],
  ['구독', 'subscribe'],
  ['구독 취소', 'unsubscribe'],
  ['구독취소', 'unsubscribe'],
  ['상태', 'status'],
]);

const LANGUAGE_COMMAND = /^(?:language|lang|언어)(?:\s+(.+))?$/iu;
/** What reads as a language the bot does not speak: a tag such as `fr` or `pt-BR`, or a Korean name such as 프랑스어. */
const LANGUAGE_LIKE = /^(?:[a-z]{2,3}(?:[-_][a-z]{2,4})?|\p{Script=Hangul}+어)$/iu;

export interface ActionProblem {
  readonly field: string;
  readonly kind: 'missing' | 'invalid';
}

/** The card a pressed button sits on: the Teams message id of that card, when the channel tells us. */
export interface CardTarget {
  readonly activityId?: string;
  readonly origin?: 'list' | 'solution';
  readonly page?: number;
  /** The flow whose card this is, when it is a flow's card. */
  readonly flow?: string;
}

export type TurnInput =
  | { readonly kind: 'action'; readonly action: CardAction; readonly card: CardTarget }
  | { readonly kind: 'unknownVerb'; readonly verb: string }
  | { readonly kind: 'invalidAction'; readonly verb: string; readonly problems: readonly ActionProblem[] }
  | { readonly kind: 'command'; readonly command: Command }
  /** `language ko`, `언어 영어`: the language named, or undefined when it is not one the bot speaks. */
  | { readonly kind: 'setLanguage'; readonly locale: Locale | undefined }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'welcome' }
  /** Text in a channel or group chat that does not @mention the bot: not addressed to it. */
  | { readonly kind: 'notForMe' }
  | { readonly kind: 'none' };

/** The fields of an incoming activity that decide what the user asked for. */
export interface InputActivity {
  readonly type?: string;
  readonly name?: string;
  readonly text?: string;
  readonly value?: unknown;
  readonly replyToId?: string;
  readonly recipient?: { readonly id?: string };
  readonly entities?: readonly { readonly type?: string; readonly [key: string]: unknown }[];
  readonly conversation?: { readonly conversationType?: string; readonly isGroup?: boolean };
}

const mentionEntity = z.object({ type: z.literal('mention'), text: z.string(), mentioned: z.object({ id: z.string() }) });
const executeInvoke = z.object({
  action: z.object({ verb: z.string().optional(), data: z.record(z.string(), z.unknown()).optional() }),
});

/** Deeper than any card's data or an invoke's value: what is deeper is refused before it is walked. */
export const MAX_VALUE_DEPTH = 16;

export function parseTurnInput(activity: InputActivity, commands: ReadonlyMap<string, Command>): TurnInput {
  if (nestsDeeperThan(activity.value, MAX_VALUE_DEPTH)) {
    return { kind: 'invalidAction', verb: '', problems: [{ field: 'value', kind: 'invalid' }] };
  }
  if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
    const invoke = executeInvoke.safeParse(activity.value);
    if (!invoke.success) return { kind: 'invalidAction', verb: '', problems: [{ field: 'action', kind: 'invalid' }] };
    return parseAction({ ...invoke.data.action.data, verb: invoke.data.action.verb }, activity.replyToId);
  }
  if (activity.type !== 'message') return { kind: 'none' };
  if (isRecord(activity.value) && (activity.value.verb !== undefined || !activity.text?.trim())) {
    return parseAction(activity.value, activity.replyToId);
  }
  if (isGroupConversation(activity) && !mentionsRecipient(activity)) return { kind: 'notForMe' };
  const text = normalize(stripMentions(activity));
  if (!text) return { kind: 'none' };
  const word = text.toLowerCase().replace(/[.!?。]+$/u, '');
  const command = commands.get(word);
  if (command) return { kind: 'command', command };
  // A language's own name alone (한국어, English) asks for it as `language …` does.
  const named = localeFromName(word);
  if (named && !/^[a-z]{2}(?:-[a-z]{2})?$/.test(word)) return { kind: 'setLanguage', locale: named };
  const language = LANGUAGE_COMMAND.exec(word);
  if (language) {
    const named = language[1];
    if (!named) return { kind: 'setLanguage', locale: undefined };
    const locale = localeFromName(named);
    // Anything else after the word is text, such as an offer called "Language Tutor".
    if (locale || LANGUAGE_LIKE.test(named)) return { kind: 'setLanguage', locale };
  }
  return { kind: 'text', text };
}

function parseAction(value: Readonly<Record<string, unknown>>, replyToId: string | undefined): TurnInput {
  const verb = value.verb;
  if (verb === undefined || verb === null || verb === '') {
    return { kind: 'invalidAction', verb: '', problems: [{ field: 'verb', kind: 'missing' }] };
  }
  if (!isVerb(verb)) return { kind: 'unknownVerb', verb: (typeof verb === 'string' ? verb : JSON.stringify(verb)).slice(0, 60) };
  const parsed = ACTION_SCHEMAS[verb].safeParse(value);
  if (!parsed.success) {
    return {
      kind: 'invalidAction',
      verb,
      problems: parsed.error.issues.map((issue) => ({
        field: issue.path.join('.') || 'data',
        kind: issue.path.length > 0 && value[String(issue.path[0])] === undefined ? 'missing' : 'invalid',
      })),
    };
  }
  // The schema for `verb` produced this object, so it is the CardAction of that verb.
  const action = { ...parsed.data, verb } as CardAction;
  const origin = 'origin' in parsed.data ? parsed.data.origin : undefined;
  const page = 'page' in parsed.data ? parsed.data.page : undefined;
  const flow = 'flow' in parsed.data ? parsed.data.flow : undefined;
  const card: CardTarget = {
    ...(replyToId && { activityId: replyToId }),
    ...(origin && { origin }),
    ...(page !== undefined && { page }),
    ...(flow && { flow }),
  };
  return { kind: 'action', action, card };
}

function isGroupConversation(activity: InputActivity): boolean {
  const type = activity.conversation?.conversationType;
  return type === 'channel' || type === 'groupChat' || (type === undefined && activity.conversation?.isGroup === true);
}

/** An @mention of the bot, or a leading <at>…</at> as clients without mention entities send it. */
function mentionsRecipient(activity: InputActivity): boolean {
  const mentioned = (activity.entities ?? []).some((entity) => {
    const mention = mentionEntity.safeParse(entity);
    return mention.success && mention.data.mentioned.id === activity.recipient?.id;
  });
  return mentioned || /^\s*<at>[^<]*<\/at>/i.test(activity.text ?? '');
}

/** Drops the bot's own @mention wherever it is, and a leading <at>…</at> that came without its entity. */
function stripMentions(activity: InputActivity): string {
  let text = activity.text ?? '';
  for (const entity of activity.entities ?? []) {
    const mention = mentionEntity.safeParse(entity);
    if (mention.success && mention.data.mentioned.id === activity.recipient?.id) {
      text = text.replace(mention.data.text, ' ');
    }
  }
  return text.replace(/^\s*<at>[^<]*<\/at>/i, ' ');
}

function normalize(text: string): string {
  return text
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
