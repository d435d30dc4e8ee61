import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { solutionAttachment } from '../cards/solution';
import type { CardTarget, TurnInput } from '../turn/input';
import { replaceableCard, sendText, showCard } from '../turn/replies';
import { memberScope, turnScope } from '../turn/scope';
import { BeginMigrationDialog } from './beginMigrationDialog';
import type { DialogDeps } from './deps';
import { DiscardDialog } from './discardDialog';
import { HelpDialog } from './helpDialog';
import { MergeDialog } from './mergeDialog';
import { NoSimilarOfferDialog } from './noSimilarOfferDialog';
import { OverviewDialog } from './overviewDialog';
import { PublishingStepsDialog } from './publishingStepsDialog';
import { refuseInput } from './refusals';
import { actionRoute, COMMAND_ROUTES, OVERVIEW_ROUTE, type Route } from './routes';
import { SolutionDialog } from './solutionDialog';
import { SolutionsDialog } from './solutionsDialog';
import { SubscriptionsDialog } from './subscriptionsDialog';
import { SupportDeskDialog } from './supportDeskDialog';
import { UndoDiscardDialog } from './undoDiscardDialog';

/** What the root dialog needs: the dialogs' public entry is this file. */
export type RootDialogDeps = DialogDeps;
export type { SupportTeam } from './deps';

export const ROOT_DIALOG_ID = 'root';

/** What a turn does: follow a route, go on with the flow in progress, or nothing. */
type Next = Route | { readonly kind: 'continue' } | { readonly kind: 'nothing' };

/**
 * Stays at the bottom of every conversation's dialog stack and routes each turn: a card action or
 * a command by its route (./routes.ts), typed text to the flow in progress or else the overview.
 * Only partner members go further than a refused input, except to partner support's own desk.
 */
export class RootDialog extends ComponentDialog {
  constructor(private readonly deps: RootDialogDeps) {
    super(ROOT_DIALOG_ID);
    this.addDialog(new OverviewDialog(deps));
    this.addDialog(new HelpDialog(deps));
    this.addDialog(new SolutionsDialog(deps));
    this.addDialog(new SolutionDialog(deps));
    this.addDialog(new BeginMigrationDialog(deps));
    this.addDialog(new DiscardDialog(deps));
    this.addDialog(new UndoDiscardDialog(deps));
    this.addDialog(new MergeDialog(deps));
    this.addDialog(new NoSimilarOfferDialog(deps));
    this.addDialog(new PublishingStepsDialog(deps));
    this.addDialog(new SubscriptionsDialog(deps));
    this.addDialog(new SupportDeskDialog(deps));
  }

  protected override async onBeginDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return this.route(innerDc);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return this.route(innerDc);
  }

  private async route(dc: DialogContext): Promise<DialogTurnResult> {
    const { input, actor, t } = turnScope(dc.context);
    if (input.kind === 'unknownVerb' || input.kind === 'invalidAction') {
      await refuseInput(dc.context, input, t);
      // The root never ends, so it stays ready to route the next turn.
      return Dialog.EndOfTurn;
    }
    const next = this.next(dc, input);
    const forAnyone = input.kind === 'notForMe' || (next.kind === 'begin' && next.caller === 'anyone');
    if (!actor && !forAnyone) {
      await sendText(dc.context, t.t('notRegistered'));
      return Dialog.EndOfTurn;
    }
    switch (next.kind) {
      case 'begin':
        if (next.flow === 'replace') await dc.cancelAllDialogs();
        await dc.beginDialog(next.dialogId, next.options);
        break;
      case 'cancel':
        await this.cancel(dc, next.solutionId, next.card);
        break;
      case 'continue':
        await dc.continueDialog();
        break;
      case 'nothing':
        break;
    }
    return Dialog.EndOfTurn;
  }

  private next(dc: DialogContext, input: TurnInput): Next {
    const inFlow = dc.activeDialog !== undefined;
    switch (input.kind) {
      case 'action':
        return actionRoute(input.action, input.card);
      case 'command':
        return COMMAND_ROUTES[input.command];
      case 'text':
        return inFlow ? { kind: 'continue' } : OVERVIEW_ROUTE;
      case 'welcome':
        return OVERVIEW_ROUTE;
      case 'none':
        return inFlow ? { kind: 'continue' } : { kind: 'nothing' };
      case 'notForMe':
      case 'setLanguage':
      case 'unknownVerb':
      case 'invalidAction':
        // Not addressed to the bot; set by hosting before dialogs run; refused before this.
        return { kind: 'nothing' };
    }
  }

  /** Leaves the flow in progress; a Cancel pressed on a solution's card redraws it as it stands. */
  private async cancel(dc: DialogContext, solutionId: string | undefined, card: CardTarget | undefined): Promise<void> {
    const scope = memberScope(dc.context);
    const inFlow = dc.activeDialog !== undefined;
    await dc.cancelAllDialogs();
    const cardId = replaceableCard(card, 'solution');
    if (solutionId && cardId) {
      const current = await this.deps.service.getSolution(scope.actor, solutionId);
      if (current.ok) await showCard(dc.context, solutionAttachment(current.value, scope), this.deps.log, cardId);
    }
    await sendText(dc.context, scope.t.t(inFlow || cardId ? 'cancel.done' : 'cancel.nothing'));
  }
}
