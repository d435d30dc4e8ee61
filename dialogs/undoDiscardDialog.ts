import { solutionAttachment } from '../cards/solution';
import type { CardTarget } from '../turn/input';
import { replaceableCard, sendText, showCard } from '../turn/replies';
import { memberScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { DialogId } from './dialogId';
import { OneTurnDialog, type TurnContextOf } from './oneTurnDialog';
import { redrawList, reportRefusal } from './refusals';

export interface UndoDiscardOptions {
  readonly solutionId: string;
  readonly card?: CardTarget;
}

export const UNDO_DISCARD_DIALOG_ID: DialogId<UndoDiscardOptions> = 'undoDiscard';

/** Brings a discarded solution back to pending action. */
export class UndoDiscardDialog extends OneTurnDialog<UndoDiscardOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(UNDO_DISCARD_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf, { solutionId, card }: UndoDiscardOptions): Promise<void> {
    const scope = memberScope(context);
    const result = await this.deps.service.undoDiscard(scope.actor, solutionId);
    if (!result.ok) {
      await reportRefusal(context, result.refusal, this.deps, card);
      return;
    }
    const message = scope.t.t('undo.done.message', { name: result.value.solution.name });
    const listCardId = replaceableCard(card, 'list');
    if (listCardId) {
      // The solution leaves that page for the pending ones, so the page alone would not say it.
      await redrawList(context, this.deps, listCardId, card?.page ?? 1);
      await sendText(context, message);
      return;
    }
    const heading = scope.t.t('undo.done.heading');
    const cardId = replaceableCard(card, 'solution');
    const shown = await showCard(context, solutionAttachment(result.value, scope, heading), this.deps.log, cardId);
    if (shown !== cardId || cardId === undefined) await sendText(context, message);
  }
}
