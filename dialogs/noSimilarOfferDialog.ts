import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { publishingStepsAttachment } from '../cards/mergeViews';
import type { DialogDeps } from './deps';
import { reportRefusal } from './refusals';
import { replaceableCard, sendText, showCard } from './replies';
import type { CardTarget } from './turnInput';
import { turnScope } from './turnScope';

export const NO_SIMILAR_OFFER_DIALOG_ID = 'noSimilarOffer';

export interface NoSimilarOfferOptions {
  readonly solutionId: string;
  readonly card?: CardTarget;
}

/** No similar offer yet: the solution waits for a new offer, and the user gets the publishing steps. */
export class NoSimilarOfferDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(NO_SIMILAR_OFFER_DIALOG_ID);
    this.addDialog(
      new WaterfallDialog<NoSimilarOfferOptions>(`${NO_SIMILAR_OFFER_DIALOG_ID}.steps`, [this.awaitNewOffer.bind(this)]),
    );
  }

  private async awaitNewOffer(step: WaterfallStepContext<NoSimilarOfferOptions>): Promise<DialogTurnResult> {
    const scope = turnScope(step.context);
    const { solutionId, card } = step.options;
    const result = await this.deps.service.awaitNewOffer(scope.actor, solutionId, scope.conversation);
    if (!result.ok) {
      await reportRefusal(step.context, result.refusal, this.deps, card);
      return step.endDialog();
    }
    const { solution } = result.value;
    await showCard(step.context, publishingStepsAttachment(solution, scope), this.deps.log, replaceableCard(card, 'solution'));
    await sendText(step.context, scope.t.t('newOffer.done', { name: solution.name }));
    return step.endDialog();
  }
}
