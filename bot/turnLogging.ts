import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { isVerb } from '../cards/actions';
import type { Actor } from '../domain/model';
import { noTelemetry, type Telemetry, type TelemetryAttributes } from '../domain/ports/telemetry';
import { StateConflictError } from '../store/concurrencyCheckedState';
import { StoreUnavailableError } from '../store/storeErrors';
import type { TurnInput } from '../turn/input';
import { isConnectorUnreachable } from '../turn/replies';
import { turnFailed, type TurnStateCarrier } from '../turn/scope';
import type { Logger } from './logger';

export type TurnOutcome = 'ok' | 'failed' | 'storeUnavailable' | 'stateConflict' | 'connectorUnreachable' | 'tenantNotAllowed';

/** What the bot made of a turn, noted as it resolves it, for the turn's telemetry. */
export interface TurnNote {
  readonly input?: TurnInput;
  /** The member who asked: their partner account goes on the turn's request, never on a metric. */
  readonly actor?: Actor;
  /** How the turn ended, when the bot ended it itself rather than by a throw. */
  readonly outcome?: Extract<TurnOutcome, 'tenantNotAllowed'>;
}

const TURN_NOTE = Symbol('TurnNote');
const ACTIVITY_TYPES: ReadonlySet<string> = new Set<string>(Object.values(ActivityTypes));

/** The note as kept in the turn state: its class tells it from anything else kept there. */
class NotedTurn {
  constructor(readonly note: TurnNote) {}
}

export function noteTurn(context: TurnStateCarrier, note: TurnNote): void {
  context.turnState.set(TURN_NOTE, new NotedTurn({ ...noteOf(context), ...note }));
}

/**
 * One log line per turn with its ids and duration, and the turn's telemetry: its request gets what
 * was asked (a command, a card's verb, the kind of input), the partner account and the outcome;
 * the turn metrics count it. Never the message text: users type customer details.
 */
export function turnLogging(log: Logger, telemetry: Telemetry = noTelemetry): Middleware {
  return {
    onTurn: async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
      const started = performance.now();
      const { activity } = context;
      let outcome: TurnOutcome = 'failed';
      try {
        await next();
        outcome = noteOf(context).outcome ?? (turnFailed(context) ? 'failed' : 'ok');
      } catch (error: unknown) {
        outcome = outcomeOf(error);
        throw error;
      } finally {
        const ms = performance.now() - started;
        const note = noteOf(context);
        const measured: TelemetryAttributes = {
          'bot.outcome': outcome,
          'bot.activity_type': ACTIVITY_TYPES.has(activity.type) ? activity.type : 'other',
          ...(note.input && inputAttributes(note.input)),
        };
        telemetry.describe(
          { ...measured, ...(note.actor && { 'bot.partner_account': note.actor.account.id }) },
          { failed: outcome !== 'ok' && outcome !== 'tenantNotAllowed' },
        );
        telemetry.count('bot.turns', 1, measured);
        telemetry.record('bot.turn.duration', ms, measured);
      }
      log.info(
        {
          conversationId: activity.conversation?.id,
          activityId: activity.id,
          activityType: activity.type,
          channelId: activity.channelId,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'turn',
      );
    },
  };
}

function noteOf(context: TurnStateCarrier): TurnNote {
  const noted: unknown = context.turnState.get(TURN_NOTE);
  return noted instanceof NotedTurn ? noted.note : {};
}

function outcomeOf(error: unknown): TurnOutcome {
  if (error instanceof StoreUnavailableError) return 'storeUnavailable';
  if (error instanceof StateConflictError) return 'stateConflict';
  if (isConnectorUnreachable(error)) return 'connectorUnreachable';
  return 'failed';
}

/** What was asked, by kind: the bot's own command or verb names, never anything the user typed or chose. */
function inputAttributes(input: TurnInput): TelemetryAttributes {
  switch (input.kind) {
    case 'action':
      return { 'bot.input': 'action', 'bot.verb': input.action.verb };
    case 'invalidAction':
      return { 'bot.input': 'invalidAction', ...(isVerb(input.verb) && { 'bot.verb': input.verb }) };
    case 'command':
      return { 'bot.input': 'command', 'bot.command': input.command };
    default:
      // An unknown verb is the sender's own string, and text is what the user typed: the kind only.
      return { 'bot.input': input.kind };
  }
}
