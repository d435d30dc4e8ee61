import type { Actor, ConversationInfo } from '../domain/model';
import { Translator } from '../locales/i18n';
import type { TurnInput } from './turnInput';

/** What the hosting layer resolved for this turn, once, before any dialog runs. */
export interface TurnScope {
  readonly actor: Actor;
  readonly t: Translator;
  readonly input: TurnInput;
  /** Where this turn happens, and how to reach it later (a request's outcome, an offer going live). */
  readonly conversation: ConversationInfo;
}

/** The part of a turn context that carries per-turn values (botbuilder's TurnContext has it). */
export interface TurnStateCarrier {
  readonly turnState: Map<unknown, unknown>;
}

const TURN_SCOPE = Symbol('TurnScope');

export function setTurnScope(context: TurnStateCarrier, scope: TurnScope): void {
  context.turnState.set(TURN_SCOPE, scope);
}

export function turnScope(context: TurnStateCarrier): TurnScope {
  const scope = context.turnState.get(TURN_SCOPE);
  if (!isTurnScope(scope)) throw new Error('The turn scope must be set before dialogs run');
  return scope;
}

function isTurnScope(value: unknown): value is TurnScope {
  return typeof value === 'object' && value !== null && (value as { t?: unknown }).t instanceof Translator;
}
