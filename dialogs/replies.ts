import type { DialogContext } from 'botbuilder-dialogs';
import type { CardAttachment } from '../cards/cardTemplate';
import type { DialogLog } from './deps';
import type { CardTarget } from './turnInput';

export type TurnContextOf = DialogContext['context'];

/**
 * What an Action.Execute turn answers with instead of posting: the pressed card drawn again, and
 * the texts that go with it. Teams shows the card to everyone in place of the old one.
 */
export interface InvokeReply {
  card?: CardAttachment;
  readonly texts: string[];
}

const INVOKE_REPLY = Symbol('InvokeReply');

export function beginInvokeReply(context: TurnContextOf): InvokeReply {
  const reply: InvokeReply = { texts: [] };
  context.turnState.set(INVOKE_REPLY, reply);
  return reply;
}

function invokeReplyOf(context: TurnContextOf): InvokeReply | undefined {
  const reply: unknown = context.turnState.get(INVOKE_REPLY);
  return isInvokeReply(reply) ? reply : undefined;
}

function isInvokeReply(value: unknown): value is InvokeReply {
  return typeof value === 'object' && value !== null && 'texts' in value && Array.isArray(value.texts);
}

/** Plain text: names users typed or Partner Center holds are shown as they are, never as markdown. */
export async function sendText(context: TurnContextOf, text: string): Promise<void> {
  const invoke = invokeReplyOf(context);
  if (invoke) {
    invoke.texts.push(text);
    return;
  }
  await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
}

/**
 * Shows a card, in place of `replaceActivityId` when given so that the card the user pressed shows
 * the new state and loses its old buttons; as a new message when there is nothing to replace or the
 * channel refuses the update. Returns the id of the message that shows the card.
 */
export async function showCard(
  context: TurnContextOf,
  card: CardAttachment,
  log: DialogLog,
  replaceActivityId?: string,
): Promise<string | undefined> {
  const invoke = invokeReplyOf(context);
  if (invoke && replaceActivityId && replaceActivityId === context.activity.replyToId) {
    invoke.card = card;
    return replaceActivityId;
  }
  if (replaceActivityId) {
    try {
      await context.updateActivity({ type: 'message', id: replaceActivityId, attachments: [card] });
      return replaceActivityId;
    } catch (error: unknown) {
      log.warn({ err: error, activityId: replaceActivityId }, 'card update refused; sending the card as a new message');
    }
  }
  const response = await context.sendActivity({ type: 'message', attachments: [card] });
  return response?.id;
}

/** The message to redraw for a button press that came from a card of the given kind. */
export function replaceableCard(card: CardTarget | undefined, origin: 'list' | 'solution'): string | undefined {
  return card?.origin === origin ? card.activityId : undefined;
}
