import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { answerValidator, matchAnswer, type Answer } from './answers';
import type { DialogDeps } from './deps';
import { DISCARD_DIALOG_ID, type DiscardOptions } from './discardDialog';
import { MERGE_DIALOG_ID, type MergeOptions } from './mergeDialog';
import { NO_SIMILAR_OFFER_DIALOG_ID, type NoSimilarOfferOptions } from './noSimilarOfferDialog';
import { migrationOptionsAttachment } from '../cards/migrationOptions';
import { reportRefusal } from './refusals';
import type { CardTarget } from '../turn/input';
import { memberScope, turnScope } from '../turn/scope';
import type { DialogId } from './dialogId';
import { finishFlowCard, flowFor, flowTurn, showFlowCard } from './flows';

export interface BeginMigrationOptions {
  readonly solutionId: string;
  readonly card?: CardTarget;
}

export const BEGIN_MIGRATION_DIALOG_ID: DialogId<BeginMigrationOptions> = 'beginMigration';
const CHOICE_PROMPT = `${BEGIN_MIGRATION_DIALOG_ID}.choice`;
const CHOICES: readonly Answer[] = ['merge', 'newOffer', 'discard'];

/** The three ways forward for a pending solution: merge, publish a new offer first, or discard. */
export class BeginMigrationDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(BEGIN_MIGRATION_DIALOG_ID);
    this.addDialog(
      new WaterfallDialog<BeginMigrationOptions>(`${BEGIN_MIGRATION_DIALOG_ID}.steps`, [
        this.showOptions.bind(this),
        this.followChoice.bind(this),
      ]),
    );
    this.addDialog(new TextPrompt(CHOICE_PROMPT, answerValidator(CHOICES)));
    this.initialDialogId = `${BEGIN_MIGRATION_DIALOG_ID}.steps`;
  }

  private async showOptions(step: WaterfallStepContext<BeginMigrationOptions>): Promise<DialogTurnResult> {
    const scope = memberScope(step.context);
    const { solutionId, card } = step.options;
    const solution = await this.deps.service.solutionToDecide(scope.actor, solutionId);
    if (!solution.ok) {
      await reportRefusal(step.context, solution.refusal, this.deps, card);
      return step.endDialog();
    }
    const flow = flowFor(step.context, 'beginMigration', solutionId);
    await showFlowCard(step.context, this.deps, flow, migrationOptionsAttachment(solution.value, scope, flow.id));
    return step.prompt(CHOICE_PROMPT, { retryPrompt: { type: 'message', text: scope.t.t('options.retry') } });
  }

  private async followChoice(step: WaterfallStepContext<BeginMigrationOptions>): Promise<DialogTurnResult> {
    const { t } = turnScope(step.context);
    const choice = typeof step.result === 'string' ? matchAnswer(step.result, t, CHOICES) : undefined;
    // A typed choice: the next flow goes on with this one, and its card comes at the bottom of the chat.
    const card: CardTarget = {};
    const { solutionId } = step.options;
    switch (choice) {
      case 'discard':
        return step.replaceDialog(DISCARD_DIALOG_ID, { solutionId, confirmed: false, card } satisfies DiscardOptions);
      case 'merge':
        return step.replaceDialog(MERGE_DIALOG_ID, { solutionId, start: { kind: 'chooseOffer' }, card } satisfies MergeOptions);
      case 'newOffer':
        // That answer ends the flow here: the publishing steps come below, this card is done.
        await finishFlowCard(step.context, this.deps, flowFor(step.context, 'beginMigration', solutionId), 'continued');
        flowTurn(step.context).record = undefined;
        return step.replaceDialog(NO_SIMILAR_OFFER_DIALOG_ID, { solutionId, card } satisfies NoSimilarOfferOptions);
      default:
        return step.endDialog();
    }
  }
}
