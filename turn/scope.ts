import type { Activity } from 'botbuilder';
import type { Actor, ConversationInfo } from '../domain/model';
import { Translator } from '../locales/i18n';
import { conversationInfoOf } from './conversations';
import type { TurnInput } from './input';

/**
 * What hosting resolved for a turn, once, before any dialog runs. Everything a turn carries beside
 * the activity is kept in the turn context's `turnState` under this module's keys, and read back
 * with the accessors here: the scope, the translator (set first, so that a turn that fails early is
 * still answered in the user's language) and whether the turn failed.
 */
export interface TurnScope {
  readonly t: Translator;
  readonly input: TurnInput;
  /**
   * The partner member who is asking: undefined for someone who is not registered, and for partner
   * support's card actions, which are taken by agents rather than members.
   */
  readonly actor: Actor | undefined;
  /** Where this turn happens, and how to reach it later (a request's outcome, an offer going live). */
  readonly conversation: ConversationInfo;
}

/** The scope of a turn taken by a partner member: what every migration flow runs in. */
export interface MemberScope extends TurnScope {
  readonly actor: Actor;
}

/** The part of a turn context that carries per-turn values (botbuilder's TurnContext has it). */
export interface TurnStateCarrier {
  readonly turnState: Map<unknown, unknown>;
}

const TURN_SCOPE = Symbol('TurnScope');
const TURN_TRANSLATOR = Symbol('TurnTranslator');
const FAILED_TURN = Symbol('FailedTurn');

/** The scope of a turn of `activity`; where the turn happens is worked out only if a flow asks. */
export function newTurnScope(
  activity: Activity,
  resolved: { readonly t: Translator; readonly input: TurnInput; readonly actor: Actor | undefined },
): TurnScope {
  let conversation: ConversationInfo | undefined;
  return {
    ...resolved,
    get conversation() {
      return (conversation ??= conversationInfoOf(activity, resolved.t.locale));
    },
  };
}

export function setTurnScope(context: TurnStateCarrier, scope: TurnScope): void {
  context.turnState.set(TURN_TRANSLATOR, scope.t);
  context.turnState.set(TURN_SCOPE, scope);
}

export function turnScope(context: TurnStateCarrier): TurnScope {
  const scope = context.turnState.get(TURN_SCOPE);
  if (!isTurnScope(scope)) throw new Error('The turn scope must be set before dialogs run');
  return scope;
}

/** The scope of a member's turn. The root dialog lets only members into the flows that ask for it. */
export function memberScope(context: TurnStateCarrier): MemberScope {
  const scope = turnScope(context);
  if (!isMemberScope(scope)) throw new Error('A migration flow ran for someone who is not a partner member');
  return scope;
}

export function setTurnTranslator(context: TurnStateCarrier, t: Translator): void {
  context.turnState.set(TURN_TRANSLATOR, t);
}

/** The translator this turn speaks with, once hosting has chosen it. */
export function turnTranslator(context: TurnStateCarrier): Translator | undefined {
  const t = context.turnState.get(TURN_TRANSLATOR);
  return t instanceof Translator ? t : undefined;
}

/** The turn failed after its dialogs may have changed their state: that state must not be saved. */
export function markTurnFailed(context: TurnStateCarrier): void {
  context.turnState.set(FAILED_TURN, true);
}

export function turnFailed(context: TurnStateCarrier): boolean {
  return context.turnState.get(FAILED_TURN) === true;
}

function isTurnScope(value: unknown): value is TurnScope {
  return typeof value === 'object' && value !== null && (value as { t?: unknown }).t instanceof Translator;
}

function isMemberScope(scope: TurnScope): scope is MemberScope {
  return scope.actor !== undefined;
}
