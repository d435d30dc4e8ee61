import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { mergeDetailsAttachment } from '../cards/mergeDetails';
import { mergeOfferAttachment } from '../cards/mergeOffer';
import { mergeRequestedAttachment } from '../cards/mergeRequested';
import { checkMergeDetails, checkMergeField, type MergeDetailsInput, type MergeField } from '../domain/mergeDetails';
import type { MergeDraft } from '../domain/migrationService';
import { answerValidator } from './answers';
import type { DialogDeps } from './deps';
import { fieldInput, fieldQuestion, validateFieldAnswer, validateListingUrlAnswer } from './mergeInput';
import { fieldProblemText, refusalText, reportRefusal } from './refusals';
import { sendText } from '../turn/replies';
import type { CardTarget } from '../turn/input';
import { memberScope, turnScope, type MemberScope } from '../turn/scope';
import type { DialogId } from './dialogId';
import { endFlow, flowFor, refusalTarget, showFlowCard, type FlowRecord } from './flows';

/** Where a merge picks up: each button of the flow's cards starts it at its own step. */
export type MergeStart =
  | { readonly kind: 'chooseOffer' }
  | { readonly kind: 'offer'; readonly offerId: string }
  | { readonly kind: 'listingUrl'; readonly listingUrl: string }
  /** Continue on Action 1 with no offer chosen and no URL given, or with both. */
  | { readonly kind: 'unclearChoice'; readonly offerId: string; readonly listingUrl: string }
  | { readonly kind: 'submit'; readonly details: MergeDetailsInput };

export interface MergeOptions {
  readonly solutionId: string;
  readonly start: MergeStart;
  readonly card?: CardTarget;
}

export const MERGE_DIALOG_ID: DialogId<MergeOptions> = 'merge';
const URL_PROMPT = `${MERGE_DIALOG_ID}.listingUrl`;
const FIELD_PROMPT = `${MERGE_DIALOG_ID}.field`;
const SUBMIT_PROMPT = `${MERGE_DIALOG_ID}.submit`;

/** What the flow has gathered so far; kept in dialog state, so it survives a restart. */
interface MergeValues {
  details?: MergeDetailsInput;
  /** Save & Contact support was pressed: once every field is valid, send without asking again. */
  submitting?: boolean;
  /**
   * The offer came from Action 1 (chosen, or by a listing URL the bot may not know): what it left
   * out is filled in on the Action 2 form, with the type as a choice, not asked field by field.
   */
  onForm?: boolean;
}

/**
 * Merge a solution into a live offer. Action 1 identifies the offer (a live offer, or a listing
 * URL); Action 2 gathers the four issue details partner support needs, prefilled so that the user
 * usually only confirms, asking again only for what is missing or wrong; then Save & Contact support.
 */
export class MergeDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(MERGE_DIALOG_ID);
    this.addDialog(
      new WaterfallDialog<MergeOptions>(`${MERGE_DIALOG_ID}.steps`, [
        this.identifyOffer.bind(this),
        this.takeTypedListingUrl.bind(this),
        this.askField.bind(this, 'offerType'),
        this.keepField.bind(this, 'offerType'),
        this.askField.bind(this, 'offerName'),
        this.keepField.bind(this, 'offerName'),
        this.askField.bind(this, 'ocpSolutionId'),
        this.keepField.bind(this, 'ocpSolutionId'),
        this.askField.bind(this, 'listingUrl'),
        this.keepField.bind(this, 'listingUrl'),
        this.review.bind(this),
        this.submit.bind(this),
      ]),
    );
    this.addDialog(new TextPrompt(URL_PROMPT, validateListingUrlAnswer));
    this.addDialog(new TextPrompt(FIELD_PROMPT, validateFieldAnswer));
    this.addDialog(new TextPrompt(SUBMIT_PROMPT, answerValidator(['submit'])));
    this.initialDialogId = `${MERGE_DIALOG_ID}.steps`;
  }

  private async identifyOffer(step: WaterfallStepContext<MergeOptions>): Promise<DialogTurnResult> {
    const scope = memberScope(step.context);
    const { solutionId, start, card } = step.options;
    const values: MergeValues = step.values;

    switch (start.kind) {
      case 'chooseOffer':
        return this.showActionOne(step, scope);
      case 'unclearChoice':
        return this.showActionOne(step, scope, {
          offerId: start.offerId,
          listingUrl: start.listingUrl,
          error: scope.t.t(start.offerId && start.listingUrl ? 'merge.action1.both' : 'merge.action1.neither'),
        });
      case 'offer':
      case 'listingUrl': {
        const choice = start.kind === 'offer' ? { offerId: start.offerId } : { listingUrl: start.listingUrl };
        const draft = await this.deps.service.identifyOffer(scope.actor, solutionId, choice);
        if (draft.ok) {
          this.takeDraft(values, draft.value);
          return step.next();
        }
        const badUrl = draft.refusal.code === 'invalidListingUrl' || draft.refusal.code === 'otherPublisher';
        if (badUrl && start.kind === 'listingUrl') {
          return this.showActionOne(step, scope, {
            listingUrl: start.listingUrl,
            error: refusalText(draft.refusal, scope),
          });
        }
        await reportRefusal(step.context, draft.refusal, this.deps, card);
        return step.endDialog();
      }
      case 'submit':
        // The OCP solution ID is shown, not asked: a submission without it is for this solution.
        values.details = { ocpSolutionId: solutionId, ...start.details };
        values.submitting = true;
        return step.next();
    }
  }

  /** The flow's record; a merge goes on with the flow it was started in. */
  private flow(step: WaterfallStepContext<MergeOptions>): FlowRecord {
    return flowFor(step.context, 'merge', step.options.solutionId);
  }

  /** Action 1: a choice of the partner's live offers, or a field for the listing URL, and Continue. */
  private async showActionOne(
    step: WaterfallStepContext<MergeOptions>,
    scope: MemberScope,
    retry: { offerId?: string; listingUrl?: string; error?: string } = {},
  ): Promise<DialogTurnResult> {
    const started = await this.deps.service.startMerge(scope.actor, step.options.solutionId);
    if (!started.ok) {
      await reportRefusal(step.context, started.refusal, this.deps, step.options.card);
      return step.endDialog();
    }
    const flow = this.flow(step);
    const inPlace = await showFlowCard(step.context, this.deps, flow, mergeOfferAttachment(started.value, scope, flow.id, retry));
    // The card says what is wrong; only a card far up the chat needs the words at the bottom too.
    if (retry.error && !inPlace) await sendText(step.context, retry.error);
    return step.prompt(URL_PROMPT, { retryPrompt: { type: 'message', text: scope.t.t('merge.ask.action1') } });
  }

  private async takeTypedListingUrl(step: WaterfallStepContext<MergeOptions>): Promise<DialogTurnResult> {
    if (typeof step.result !== 'string') return step.next();
    const scope = memberScope(step.context);
    const values: MergeValues = step.values;
    const draft = await this.deps.service.identifyOffer(scope.actor, step.options.solutionId, { listingUrl: step.result });
    if (!draft.ok && draft.refusal.code === 'otherPublisher') {
      // Action 1 again, with the address and why it cannot be merged into.
      return step.replaceDialog(MERGE_DIALOG_ID, { ...step.options, start: { kind: 'listingUrl', listingUrl: step.result } });
    }
    if (!draft.ok) {
      await reportRefusal(step.context, draft.refusal, this.deps, refusalTarget(step.context, this.flow(step)));
      return step.endDialog();
    }
    this.takeDraft(values, draft.value);
    return step.next();
  }

  private takeDraft(values: MergeValues, draft: MergeDraft): void {
    values.details = draft.details;
    values.onForm = true;
  }

  /** Asks for one issue detail, only when what was prefilled or submitted is missing or not valid. */
  private async askField(field: MergeField, step: WaterfallStepContext<MergeOptions>): Promise<DialogTurnResult> {
    const { t } = turnScope(step.context);
    const values: MergeValues = step.values;
    const { solutionId } = step.options;
    const given = values.details?.[field];
    const check = checkMergeField(field, given, solutionId);
    if (check.ok) {
      values.details = { ...values.details, [field]: check.value };
      return step.next();
    }
    if (values.onForm === true && values.submitting !== true) return step.next();
    const firstProblem = field === this.firstInvalidField(values, solutionId);
    if (values.submitting === true && firstProblem) await this.showForm(step, values, true);
    const question = fieldQuestion(field, t, solutionId);
    // Never given (the offer did not say) is simply asked; given but not valid says why first.
    const prompt = given === undefined ? question : `${fieldProblemText(field, check.reason, t, solutionId)} ${question}`;
    return step.prompt(FIELD_PROMPT, {
      prompt: { type: 'message', text: prompt, textFormat: 'plain' },
      validations: { field, solutionId },
    });
  }

  private async keepField(field: MergeField, step: WaterfallStepContext<MergeOptions>): Promise<DialogTurnResult> {
    if (typeof step.result === 'string') {
      const { t } = turnScope(step.context);
      const values: MergeValues = step.values;
      const check = checkMergeField(field, fieldInput(field, step.result, t), step.options.solutionId);
      if (check.ok) values.details = { ...values.details, [field]: check.value };
    }
    return step.next();
  }

  /** Action 2: the four details in one form, prefilled; the user checks them and presses Save & Contact support. */
  private async review(step: WaterfallStepContext<MergeOptions>): Promise<DialogTurnResult> {
    const values: MergeValues = step.values;
    if (values.submitting === true) return step.next();
    const { t } = turnScope(step.context);
    await this.showForm(step, values, false);
    return step.prompt(SUBMIT_PROMPT, { retryPrompt: { type: 'message', text: t.t('merge.confirm.retry') } });
  }

  private async submit(step: WaterfallStepContext<MergeOptions>): Promise<DialogTurnResult> {
    const scope = memberScope(step.context);
    const { t } = scope;
    const values: MergeValues = step.values;
    const { solutionId } = step.options;
    const outcome = await this.deps.service.requestMerge(scope.actor, solutionId, values.details ?? {}, {
      requesterAddress: scope.conversation.address,
    });
    if (!outcome.ok) {
      if (outcome.refusal.code === 'otherPublisher') {
        // The form again without the address, which is asked for with the reason.
        await sendText(step.context, refusalText(outcome.refusal, scope));
        const kept = { ...values.details };
        delete kept.listingUrl;
        return step.replaceDialog(MERGE_DIALOG_ID, { ...step.options, start: { kind: 'submit', details: kept } });
      }
      if (outcome.refusal.code === 'invalidMergeDetails') {
        const options: MergeOptions = {
          ...step.options,
          start: { kind: 'submit', details: { ...values.details, ...outcome.refusal.valid } },
        };
        return step.replaceDialog(MERGE_DIALOG_ID, options);
      }
      await reportRefusal(step.context, outcome.refusal, this.deps, refusalTarget(step.context, this.flow(step)));
      return step.endDialog();
    }
    const { request, solution, created } = outcome.value;
    await endFlow(
      step.context,
      this.deps,
      this.flow(step),
      mergeRequestedAttachment(outcome.value, scope),
      created
        ? t.t('merge.requested.message', { name: solution.name, requestId: request.id, date: t.date(request.dueAt) })
        : t.t('merge.requested.alreadyMessage', {
            name: solution.name,
            requestId: request.id,
            by: request.requestedBy.name,
            date: t.date(request.requestedAt),
          }),
    );
    return step.endDialog();
  }

  /** Draws the Action 2 form as the flow's card; with `withErrors`, each invalid field says why. */
  private async showForm(step: WaterfallStepContext<MergeOptions>, values: MergeValues, withErrors: boolean): Promise<void> {
    const scope = memberScope(step.context);
    const { solutionId } = step.options;
    const solution = await this.deps.service.getSolution(scope.actor, solutionId);
    if (!solution.ok) return;
    const errors: Partial<Record<MergeField, string>> = {};
    if (withErrors) {
      const check = checkMergeDetails(values.details ?? {}, solutionId);
      if (!check.ok) {
        for (const problem of check.problems)
          errors[problem.field] = fieldProblemText(problem.field, problem.reason, scope.t, solutionId);
      }
    }
    const flow = this.flow(step);
    const form = mergeDetailsAttachment(solution.value.solution, values.details ?? {}, errors, scope, flow.id);
    await showFlowCard(step.context, this.deps, flow, form);
  }

  private firstInvalidField(values: MergeValues, solutionId: string): MergeField | undefined {
    const check = checkMergeDetails(values.details ?? {}, solutionId);
    return check.ok ? undefined : check.problems[0]?.field;
  }
}
