import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from './deps';
import { solutionListAttachment } from '../cards/views';
import { replaceableCard, showCard } from './replies';
import type { CardTarget } from './turnInput';
import { turnScope } from './turnScope';

export const SOLUTIONS_DIALOG_ID = 'solutions';

export interface SolutionsOptions {
  readonly page: number;
  /** Paging from a list card redraws that card instead of adding another. */
  readonly card?: CardTarget;
}

export class SolutionsDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(SOLUTIONS_DIALOG_ID);
    this.addDialog(new WaterfallDialog<SolutionsOptions>(`${SOLUTIONS_DIALOG_ID}.steps`, [this.showPage.bind(this)]));
  }

  private async showPage(step: WaterfallStepContext<SolutionsOptions>): Promise<DialogTurnResult> {
    const scope = turnScope(step.context);
    const list = await this.deps.service.listSolutions(scope.actor, step.options.page);
    await showCard(step.context, solutionListAttachment(list, scope), this.deps.log, replaceableCard(step.options.card, 'list'));
    return step.endDialog();
  }
}
