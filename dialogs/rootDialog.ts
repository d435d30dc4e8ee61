import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { ActionOf, CardAction } from '../cards/actions';
import { BEGIN_MIGRATION_DIALOG_ID, BeginMigrationDialog, type BeginMigrationOptions } from './beginMigrationDialog';
import type { DialogDeps } from './deps';
import { DISCARD_DIALOG_ID, DiscardDialog, type DiscardOptions } from './discardDialog';
import { HELP_DIALOG_ID, HelpDialog } from './helpDialog';
import { MERGE_DIALOG_ID, MergeDialog, type MergeOptions } from './mergeDialog';
import { NO_SIMILAR_OFFER_DIALOG_ID, NoSimilarOfferDialog, type NoSimilarOfferOptions } from './noSimilarOfferDialog';
import { PUBLISHING_STEPS_DIALOG_ID, PublishingStepsDialog, type PublishingStepsOptions } from './publishingStepsDialog';
import { OVERVIEW_DIALOG_ID, OverviewDialog } from './overviewDialog';
import { solutionAttachment } from '../cards/views';
import { replaceableCard, sendText, showCard } from './replies';
import { SOLUTIONS_DIALOG_ID, SolutionsDialog, type SolutionsOptions } from './solutionsDialog';
import { SUBSCRIPTIONS_DIALOG_ID, SubscriptionsDialog, type SubscriptionsOptions } from './subscriptionsDialog';
import type { CardTarget, Command, TurnInput } from './turnInput';
import { turnScope } from './turnScope';
import { UNDO_DISCARD_DIALOG_ID, UndoDiscardDialog, type UndoDiscardOptions } from './undoDiscardDialog';

export const ROOT_DIALOG_ID = 'root';

/**
 * Stays at the bottom of every conversation's dialog stack and routes each turn. Typed text goes to
 * the flow in progress. A button press or a command that acts on a solution replaces that flow: card
 * buttons carry every id they need, so a press on an old card works on its own. Overview, help and
 * the list are shown over the flow in progress, which carries on afterwards.
 */
export class RootDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(ROOT_DIALOG_ID);
    this.addDialog(new OverviewDialog(deps));
    this.addDialog(new HelpDialog(deps));
    this.addDialog(new SolutionsDialog(deps));
    this.addDialog(new BeginMigrationDialog(deps));
    this.addDialog(new DiscardDialog(deps));
    this.addDialog(new UndoDiscardDialog(deps));
    this.addDialog(new MergeDialog(deps));
    this.addDialog(new NoSimilarOfferDialog(deps));
    this.addDialog(new PublishingStepsDialog(deps));
    this.addDialog(new SubscriptionsDialog(deps));
  }

  protected override async onBeginDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return this.route(innerDc);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return this.route(innerDc);
  }

  private async route(dc: DialogContext): Promise<DialogTurnResult> {
    const input: TurnInput = turnScope(dc.context).input;
    switch (input.kind) {
      case 'action':
        await this.onAction(dc, input.action, input.card);
        break;
      case 'command':
        await this.onCommand(dc, input.command);
        break;
      case 'text':
        if (dc.activeDialog) await dc.continueDialog();
        else await dc.beginDialog(OVERVIEW_DIALOG_ID);
        break;
      case 'welcome':
        await dc.beginDialog(OVERVIEW_DIALOG_ID);
        break;
      case 'unknownVerb':
        await sendText(dc.context, turnScope(dc.context).t.t('input.unknownVerb', { verb: input.verb }));
        break;
      case 'invalidAction': {
        const { t } = turnScope(dc.context);
        const problems = input.problems.map((problem) => t.t(`input.problem.${problem.kind}`, { field: problem.field }));
        await sendText(dc.context, t.t('input.invalidAction', { problems: problems.join(', ') }));
        break;
      }
      case 'none':
        if (dc.activeDialog) await dc.continueDialog();
        break;
      case 'notForMe':
      case 'setLanguage':
        // Handled by the bot before dialogs run: it needs the user's preferences.
        break;
    }
    // The root never ends, so it stays ready to route the next turn.
    return Dialog.EndOfTurn;
  }

  private async onCommand(dc: DialogContext, command: Command): Promise<void> {
    switch (command) {
      case 'solutions':
        await dc.beginDialog(SOLUTIONS_DIALOG_ID, { page: 1 } satisfies SolutionsOptions);
        return;
      case 'help':
        await dc.beginDialog(HELP_DIALOG_ID);
        return;
      case 'cancel':
        await this.cancel(dc);
        return;
      case 'subscribe':
      case 'unsubscribe':
      case 'status':
        await dc.beginDialog(SUBSCRIPTIONS_DIALOG_ID, { command } satisfies SubscriptionsOptions);
        return;
    }
  }

  private async onAction(dc: DialogContext, action: CardAction, card: CardTarget): Promise<void> {
    switch (action.verb) {
      case 'listSolutions':
        await dc.beginDialog(SOLUTIONS_DIALOG_ID, { page: action.page ?? 1, card } satisfies SolutionsOptions);
        return;
      case 'help':
        await dc.beginDialog(HELP_DIALOG_ID);
        return;
      case 'cancel':
        await this.cancel(dc, action, card);
        return;
      case 'beginMigration':
        await this.replaceFlow(dc, BEGIN_MIGRATION_DIALOG_ID, {
          solutionId: action.solutionId,
          card,
        } satisfies BeginMigrationOptions);
        return;
      case 'chooseDiscard':
      case 'confirmDiscard':
        await this.replaceFlow(dc, DISCARD_DIALOG_ID, {
          solutionId: action.solutionId,
          confirmed: action.verb === 'confirmDiscard',
          card,
        } satisfies DiscardOptions);
        return;
      case 'undoDiscard':
        await this.replaceFlow(dc, UNDO_DISCARD_DIALOG_ID, { solutionId: action.solutionId, card } satisfies UndoDiscardOptions);
        return;
      case 'chooseMerge':
        await this.replaceFlow(dc, MERGE_DIALOG_ID, {
          solutionId: action.solutionId,
          start: { kind: 'chooseOffer' },
          card,
        } satisfies MergeOptions);
        return;
      case 'selectOffer':
        await this.replaceFlow(dc, MERGE_DIALOG_ID, {
          solutionId: action.solutionId,
          start: { kind: 'offer', offerId: action.offerId },
          card,
        } satisfies MergeOptions);
        return;
      case 'useListingUrl':
        await this.replaceFlow(dc, MERGE_DIALOG_ID, {
          solutionId: action.solutionId,
          start: { kind: 'listingUrl', listingUrl: action.listingUrl ?? '' },
          card,
        } satisfies MergeOptions);
        return;
      case 'submitMerge': {
        const { offerType, offerName, ocpSolutionId, listingUrl } = action;
        const details = {
          ...(offerType !== undefined && { offerType }),
          ...(offerName !== undefined && { offerName }),
          ...(ocpSolutionId !== undefined && { ocpSolutionId }),
          ...(listingUrl !== undefined && { listingUrl }),
        };
        await this.replaceFlow(dc, MERGE_DIALOG_ID, {
          solutionId: action.solutionId,
          start: { kind: 'submit', details },
          card,
        } satisfies MergeOptions);
        return;
      }
      case 'chooseNoSimilarOffer':
        await this.replaceFlow(dc, NO_SIMILAR_OFFER_DIALOG_ID, {
          solutionId: action.solutionId,
          card,
        } satisfies NoSimilarOfferOptions);
        return;
      case 'publishingSteps':
        await dc.beginDialog(PUBLISHING_STEPS_DIALOG_ID, {
          solutionId: action.solutionId,
          card,
        } satisfies PublishingStepsOptions);
        return;
      case 'subscribe':
        await dc.beginDialog(SUBSCRIPTIONS_DIALOG_ID, { command: 'subscribe' } satisfies SubscriptionsOptions);
        return;
      case 'completeMerge':
      case 'requestInfo':
        // Partner support acts from its own channel, where the bot hands these to the support desk.
        await sendText(dc.context, turnScope(dc.context).t.t('support.notAgent'));
        return;
    }
  }

  private async replaceFlow(dc: DialogContext, dialogId: string, options: object): Promise<void> {
    await dc.cancelAllDialogs();
    await dc.beginDialog(dialogId, options);
  }

  /** Leaves the flow in progress; a Cancel pressed on a solution's card redraws it as it stands. */
  private async cancel(dc: DialogContext, action?: ActionOf<'cancel'>, card?: CardTarget): Promise<void> {
    const scope = turnScope(dc.context);
    const inFlow = dc.activeDialog !== undefined;
    await dc.cancelAllDialogs();
    const cardId = replaceableCard(card, 'solution');
    if (action?.solutionId && cardId) {
      const current = await this.deps.service.getSolution(scope.actor, action.solutionId);
      if (current.ok) await showCard(dc.context, solutionAttachment(current.value, scope), this.deps.log, cardId);
    }
    await sendText(dc.context, scope.t.t(inFlow || cardId ? 'cancel.done' : 'cancel.nothing'));
  }
}
