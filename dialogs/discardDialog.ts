import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { answerValidator, matchAnswer } from './answers';
import type { DialogDeps } from './deps';
import { confirmDiscardAttachment } from '../cards/confirmDiscard';
import { solutionAttachment } from '../cards/solution';
import { reportRefusal } from './refusals';
import type { CardTarget } from '../turn/input';
import { memberScope } from '../turn/scope';
import type { DialogId } from './dialogId';
import { endFlow, flowFor, refusalTarget, showFlowCard } from './flows';

export interface DiscardOptions {
  readonly solutionId: string;
  /** True when the user already pressed Discard on a confirmation card. */
  readonly confirmed: boolean;
  readonly card?: CardTarget;
}

export const DISCARD_DIALOG_ID: DialogId<DiscardOptions> = 'discard';
const CONFIRM_PROMPT = `${DISCARD_DIALOG_ID}.confirm`;

/** Discard a solution that is no longer relevant, after a confirmation. */
export class DiscardDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(DISCARD_DIALOG_ID);
    this.addDialog(
      new WaterfallDialog<DiscardOptions>(`${DISCARD_DIALOG_ID}.steps`, [this.askToConfirm.bind(this), this.discard.bind(this)]),
    );
    this.addDialog(new TextPrompt(CONFIRM_PROMPT, answerValidator(['yes', 'no'])));
    this.initialDialogId = `${DISCARD_DIALOG_ID}.steps`;
  }

  private async askToConfirm(step: WaterfallStepContext<DiscardOptions>): Promise<DialogTurnResult> {
    const { solutionId, confirmed, card } = step.options;
    if (confirmed) return step.next(true);

    const scope = memberScope(step.context);
    const checked = await this.deps.service.check(scope.actor, solutionId, 'discard');
    if (!checked.ok) {
      await reportRefusal(step.context, checked.refusal, this.deps, card);
      return step.endDialog();
    }
    const flow = flowFor(step.context, 'discard', solutionId);
    await showFlowCard(step.context, this.deps, flow, confirmDiscardAttachment(checked.value, scope, flow.id));
    return step.prompt(CONFIRM_PROMPT, { retryPrompt: { type: 'message', text: scope.t.t('discard.confirm.retry') } });
  }

  private async discard(step: WaterfallStepContext<DiscardOptions>): Promise<DialogTurnResult> {
    const scope = memberScope(step.context);
    const { t } = scope;
    const { solutionId } = step.options;
    const flow = flowFor(step.context, 'discard', solutionId);
    const confirmed =
      step.result === true || (typeof step.result === 'string' && matchAnswer(step.result, t, ['yes', 'no']) === 'yes');

    if (!confirmed) {
      const current = await this.deps.service.getSolution(scope.actor, solutionId);
      if (current.ok) {
        const kept = solutionAttachment(current.value, scope, t.t('discard.kept.heading'));
        await endFlow(step.context, this.deps, flow, kept, t.t('discard.kept', { name: current.value.solution.name }));
      }
      return step.endDialog();
    }

    const discarded = await this.deps.service.discard(scope.actor, solutionId);
    if (!discarded.ok) {
      await reportRefusal(step.context, discarded.refusal, this.deps, refusalTarget(step.context, flow));
      return step.endDialog();
    }
    const detail = discarded.value;
    const done = solutionAttachment(detail, scope, t.t('discard.done.heading'));
    await endFlow(step.context, this.deps, flow, done, t.t('discard.done.message', { name: detail.solution.name }));
    return step.endDialog();
  }
}
