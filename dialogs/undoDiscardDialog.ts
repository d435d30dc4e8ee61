import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from './deps';
import { solutionAttachment } from '../cards/views';
import { redrawList, reportRefusal } from './refusals';
import { replaceableCard, sendText, showCard } from './replies';
import type { CardTarget } from './turnInput';
import { turnScope } from './turnScope';

export const UNDO_DISCARD_DIALOG_ID = 'undoDiscard';

export interface UndoDiscardOptions {
  readonly solutionId: string;
  readonly card?: CardTarget;
}

/** Brings a discarded solution back to pending action. */
export class UndoDiscardDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(UNDO_DISCARD_DIALOG_ID);
    this.addDialog(new WaterfallDialog<UndoDiscardOptions>(`${UNDO_DISCARD_DIALOG_ID}.steps`, [this.undo.bind(this)]));
  }

  private async undo(step: WaterfallStepContext<UndoDiscardOptions>): Promise<DialogTurnResult> {
    const scope = turnScope(step.context);
    const { solutionId, card } = step.options;
    const result = await this.deps.service.undoDiscard(scope.actor, solutionId);

    if (!result.ok) {
      await reportRefusal(step.context, result.refusal, this.deps, card);
      return step.endDialog();
    }
    const listCardId = replaceableCard(card, 'list');
    if (listCardId) {
      await redrawList(step.context, this.deps, listCardId, card?.page ?? 1);
    } else {
      const heading = scope.t.t('undo.done.heading');
      await showCard(
        step.context,
        solutionAttachment(result.value, scope, heading),
        this.deps.log,
        replaceableCard(card, 'solution'),
      );
    }
    await sendText(step.context, scope.t.t('undo.done.message', { name: result.value.solution.name }));
    return step.endDialog();
  }
}
