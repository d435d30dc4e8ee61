import type { DialogContext } from 'botbuilder-dialogs';
import type { CardAttachment } from '../cards/cardTemplate';
import type { DialogLog } from './deps';
import type { CardTarget } from './turnInput';

export type TurnContextOf = DialogContext['context'];

/** Plain text: names users typed or Partner Center holds are shown as they are, never as markdown. */
export async function sendText(context: TurnContextOf, text: string): Promise<void> {
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
