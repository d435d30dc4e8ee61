import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { publishingStepsAttachment } from '../cards/mergeViews';
import type { DialogDeps } from './deps';
import { reportRefusal } from './refusals';
import { replaceableCard, showCard } from './replies';
import type { CardTarget } from './turnInput';
import { turnScope } from './turnScope';

export const PUBLISHING_STEPS_DIALOG_ID = 'publishingSteps';

export interface PublishingStepsOptions {
  readonly solutionId: string;
  readonly card?: CardTarget;
}

/** The steps to publish the offer a solution waits for, or the draft an old migration left. */
export class PublishingStepsDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(PUBLISHING_STEPS_DIALOG_ID);
    this.addDialog(
      new WaterfallDialog<PublishingStepsOptions>(`${PUBLISHING_STEPS_DIALOG_ID}.steps`, [this.showSteps.bind(this)]),
    );
  }

  private async showSteps(step: WaterfallStepContext<PublishingStepsOptions>): Promise<DialogTurnResult> {
    const scope = turnScope(step.context);
    const { solutionId, card } = step.options;
    const found = await this.deps.service.getSolution(scope.actor, solutionId);
    if (!found.ok) {
      await reportRefusal(step.context, found.refusal, this.deps, card);
      return step.endDialog();
    }
    await showCard(
      step.context,
      publishingStepsAttachment(found.value.solution, scope),
      this.deps.log,
      replaceableCard(card, 'solution'),
    );
    return step.endDialog();
  }
}
