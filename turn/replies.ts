import type { TurnContext } from 'botbuilder';
import type { CardAttachment } from '../cards/cardTemplate';
import type { CardTarget } from './input';

/**
 * How a turn answers. A message turn posts (or updates the card that was pressed); an Action.Execute
 * turn collects its answer here instead, and hosting returns it as the invoke response: the pressed
 * card drawn again, which Teams shows to everyone in place of the old one, the texts that go with
 * it, or an error.
 */
export interface InvokeReply {
  card?: CardAttachment;
  readonly texts: string[];
  /** The action could not be taken as sent: answered as an error, with the reason in words. */
  error?: { readonly code: string; readonly message: string };
}

/** What the reply channel logs: pino's logger fits it. */
export interface ReplyLog {
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
}

/**
 * A reply got no answer from the Bot Connector at all (no connection, or none in time): hosting raises
 * it, and nothing more is tried in the turn, since every further send would wait on the same connector.
 */
export class ConnectorUnreachableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConnectorUnreachableError';
  }
}

/** The Bot Connector answered a reply with an error status (after the retries it allows). */
export class ConnectorAnswerError extends Error {
  constructor(
    /** Named as the SDK's RestError names it, so that code reading either finds the status. */
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectorAnswerError';
  }
}

/** Whether an error, or one it wraps (botbuilder-dialogs wraps a dialog's errors in DialogContextError), is a ConnectorUnreachableError. */
export function isConnectorUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof ConnectorUnreachableError) return true;
    current = Reflect.get(current, 'error') ?? Reflect.get(current, 'cause');
  }
  return false;
}

const INVOKE_REPLY = Symbol('InvokeReply');
const REDRAWN_CARDS = Symbol('RedrawnCards');

/** From here on, this turn's replies are collected for the invoke response. */
export function beginInvokeReply(context: TurnContext): InvokeReply {
  const reply: InvokeReply = { texts: [] };
  context.turnState.set(INVOKE_REPLY, reply);
  return reply;
}

function invokeReplyOf(context: TurnContext): InvokeReply | undefined {
  const reply: unknown = context.turnState.get(INVOKE_REPLY);
  return isInvokeReply(reply) ? reply : undefined;
}

function isInvokeReply(value: unknown): value is InvokeReply {
  return typeof value === 'object' && value !== null && 'texts' in value && Array.isArray(value.texts);
}

/** Plain text: names users typed or Partner Center holds are shown as they are, never as markdown. */
export async function sendText(context: TurnContext, text: string): Promise<void> {
  const invoke = invokeReplyOf(context);
  if (invoke) {
    invoke.texts.push(text);
    return;
  }
  await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
}

/**
 * A new message at the bottom of the chat, even in an Action.Execute turn, whose invoke response
 * can only redraw the pressed card or show a passing note.
 */
export async function postAtBottom(
  context: TurnContext,
  message: { readonly text?: string; readonly card?: CardAttachment },
): Promise<void> {
  if (message.text !== undefined) await context.sendActivity({ type: 'message', text: message.text, textFormat: 'plain' });
  if (message.card) await context.sendActivity({ type: 'message', attachments: [message.card] });
}

/** A card action that could not be taken as sent: an error for Action.Execute, a message otherwise. */
export async function refuseAction(context: TurnContext, code: string, message: string): Promise<void> {
  const invoke = invokeReplyOf(context);
  if (invoke) {
    invoke.error = { code, message };
    return;
  }
  await sendText(context, message);
}

/**
 * Shows a card, in place of `replaceActivityId` when given so that the card the user pressed shows
 * the new state and loses its old buttons; as a new message when there is nothing to replace or the
 * channel refuses the update. Returns the id of the message that shows the card.
 */
export async function showCard(
  context: TurnContext,
  card: CardAttachment,
  log: ReplyLog,
  replaceActivityId?: string,
): Promise<string | undefined> {
  if (replaceActivityId && (await redrawCard(context, card, log, replaceActivityId))) return replaceActivityId;
  const response = await context.sendActivity({ type: 'message', attachments: [card] });
  return response?.id;
}

/**
 * Draws a card again where it is, and only there: when the channel refuses the update, the old card
 * stays as it was (logged) and false is returned. The pressed card of an Action.Execute is redrawn
 * by the invoke response.
 */
export async function redrawCard(
  context: TurnContext,
  card: CardAttachment,
  log: ReplyLog,
  activityId: string,
): Promise<boolean> {
  const invoke = invokeReplyOf(context);
  if (invoke && activityId === context.activity.replyToId) {
    invoke.card = card;
  } else {
    try {
      await context.updateActivity({ type: 'message', id: activityId, attachments: [card] });
    } catch (error: unknown) {
      if (isConnectorUnreachable(error)) throw error;
      log.warn({ err: error, activityId }, 'card update refused');
      return false;
    }
  }
  redrawnCards(context).add(activityId);
  return true;
}

/** Whether this turn already drew the card of `activityId` again. */
export function redrawnThisTurn(context: TurnContext, activityId: string): boolean {
  return redrawnCards(context).has(activityId);
}

/** The messages whose cards a turn drew again. */
class RedrawnCards {
  readonly ids = new Set<string>();
}

function redrawnCards(context: TurnContext): Set<string> {
  const kept: unknown = context.turnState.get(REDRAWN_CARDS);
  if (kept instanceof RedrawnCards) return kept.ids;
  const made = new RedrawnCards();
  context.turnState.set(REDRAWN_CARDS, made);
  return made.ids;
}

/** The message to redraw for a button press that came from a card of the given kind. */
export function replaceableCard(card: CardTarget | undefined, origin: 'list' | 'solution'): string | undefined {
  return card?.origin === origin ? card.activityId : undefined;
}
