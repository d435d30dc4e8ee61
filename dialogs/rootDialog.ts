import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { CardAction } from '../cards/actions';
import { flowEndedAttachment, type FlowKind } from '../cards/flowEnded';
import { mergeRequestedAttachment } from '../cards/mergeRequested';
import { notUnderstoodAttachment } from '../cards/notice';
import { solutionAttachment } from '../cards/solution';
import type { MergeRequestOutcome } from '../domain/migrationService';
import type { CardTarget, TurnInput } from '../turn/input';
import { postAtBottom, redrawCard, redrawnThisTurn, replaceableCard, sendText, showCard } from '../turn/replies';
import { memberScope, turnScope } from '../turn/scope';
import { AwaitedOfferDialog } from './awaitedOfferDialog';
import { BeginMigrationDialog } from './beginMigrationDialog';
import type { DialogDeps } from './deps';
import { DiscardDialog } from './discardDialog';
import { finishFlowCard, FlowTurn, flowTurn, setFlowTurn, type PressedFlowCard } from './flows';
import { HelpDialog } from './helpDialog';
import { MergeDialog } from './mergeDialog';
import { NoSimilarOfferDialog } from './noSimilarOfferDialog';
import { OverviewDialog } from './overviewDialog';
import { PublishingStepsDialog } from './publishingStepsDialog';
import { refuseInput } from './refusals';
import { actionRoute, COMMAND_ROUTES, OVERVIEW_ROUTE, TYPED_ROUTES, type Route } from './routes';
import { SolutionDialog } from './solutionDialog';
import { SolutionsDialog } from './solutionsDialog';
import { SubscriptionsDialog } from './subscriptionsDialog';
import { SupportDeskDialog } from './supportDeskDialog';
import { readTyped } from './typedWords';
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
 * It keeps the flow in progress (./flows.ts) in its own state, and draws a flow's card finished when
 * the flow ends without an outcome: stopped, left for another flow, or idle for a day. A press on
 * the card of any other flow changes nothing.
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
    this.addDialog(new AwaitedOfferDialog(deps));
    this.addDialog(new PublishingStepsDialog(deps));
    this.addDialog(new SubscriptionsDialog(deps));
    this.addDialog(new SupportDeskDialog(deps));
  }

  override async beginDialog(outerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    this.holdFlow(outerDc);
    return super.beginDialog(outerDc, options);
  }

  override async continueDialog(outerDc: DialogContext): Promise<DialogTurnResult> {
    this.holdFlow(outerDc);
    return super.continueDialog(outerDc);
  }

  protected override async onBeginDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return this.route(innerDc);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return this.route(innerDc);
  }

  /** The flow in progress, from this dialog's own state, for the turn's flows to see and change. */
  private holdFlow(outerDc: DialogContext): void {
    const state: unknown = outerDc.activeDialog?.state;
    if (!isRecord(state)) throw new Error('The root dialog runs without its state');
    const { input } = turnScope(outerDc.context);
    const pressed = input.kind === 'action' ? input.card : undefined;
    setFlowTurn(outerDc.context, new FlowTurn(state, this.deps.clock.now(), outerDc.context.activity.from?.id ?? '', pressed));
  }

  private async route(dc: DialogContext): Promise<DialogTurnResult> {
    const { input, actor, t } = turnScope(dc.context);
    if (input.kind === 'unknownVerb' || input.kind === 'invalidAction') {
      await refuseInput(dc.context, input, t);
      // The root never ends, so it stays ready to route the next turn.
      return Dialog.EndOfTurn;
    }
    const flows = flowTurn(dc.context);
    if (actor && ADDRESSED.has(input.kind)) {
      await this.closeIdleFlow(dc);
      const pressed = flows.pressedFlowCard();
      if (input.kind === 'action' && pressed !== undefined && pressed !== 'current') {
        await this.answerStalePress(dc, input.action, input.card, pressed);
        return Dialog.EndOfTurn;
      }
    }
    const next =
      input.kind === 'text' && actor && dc.activeDialog === undefined
        ? await this.understand(dc, input.text)
        : this.next(dc, withFlowCard(input, flows));
    const forAnyone = input.kind === 'notForMe' || (next.kind === 'begin' && next.caller === 'anyone');
    if (!actor && !forAnyone) {
      await sendText(dc.context, t.t('notRegistered'));
      return Dialog.EndOfTurn;
    }
    switch (next.kind) {
      case 'begin':
        if (next.flow === 'replace') await this.leaveFlow(dc);
        await dc.beginDialog(next.dialogId, next.options);
        break;
      case 'cancel':
        await this.cancel(dc, next.solutionId, next.card);
        break;
      case 'continue':
        flows.touch();
        await dc.continueDialog();
        break;
      case 'nothing':
        break;
    }
    if (actor) await this.settleFlow(dc);
    return Dialog.EndOfTurn;
  }

  /** A flow that waited a day for an answer is closed before the turn goes on. */
  private async closeIdleFlow(dc: DialogContext): Promise<void> {
    const flows = flowTurn(dc.context);
    const flow = flows.record;
    if (!flow || !flows.idle(flow)) return;
    flows.record = undefined;
    await dc.cancelAllDialogs();
    await finishFlowCard(dc.context, this.deps, flow, 'timedOut');
  }

  /**
   * A dialog begins in place of the flow in progress: a press on the flow's own card goes on with
   * it (the next dialog takes the flow over), anything else leaves it, and its card is drawn finished.
   */
  private async leaveFlow(dc: DialogContext): Promise<void> {
    const flows = flowTurn(dc.context);
    const flow = flows.record;
    await dc.cancelAllDialogs();
    if (!flow || flows.pressedCardOf(flow)) return;
    flows.record = undefined;
    await finishFlowCard(dc.context, this.deps, flow, 'replaced');
  }

  /** A flow whose dialog ended without drawing its card again is drawn finished: its buttons must not act. */
  private async settleFlow(dc: DialogContext): Promise<void> {
    const flows = flowTurn(dc.context);
    const flow = flows.record;
    if (!flow || dc.activeDialog !== undefined) return;
    flows.record = undefined;
    if (flow.cardId !== undefined && !redrawnThisTurn(dc.context, flow.cardId)) {
      await finishFlowCard(dc.context, this.deps, flow, 'ended');
    }
  }

  /**
   * A button of a flow that has ended, or of another member's flow: nothing changes, and the answer,
   * with the solution as it stands, comes at the bottom of the chat. The user's own card of an ended
   * flow is drawn finished; another member's is left as it is, since it may still be theirs to use.
   */
  private async answerStalePress(
    dc: DialogContext,
    action: CardAction,
    card: CardTarget,
    pressed: Exclude<PressedFlowCard, 'current'>,
  ): Promise<void> {
    const scope = memberScope(dc.context);
    const { t } = scope;
    const solutionId = 'solutionId' in action ? action.solutionId : undefined;
    const found = solutionId ? await this.deps.service.getSolution(scope.actor, solutionId) : undefined;
    const current = found?.ok ? found.value : undefined;
    if (action.verb === 'submitMerge' && current) {
      const request = await this.deps.service.openMergeRequest(scope.actor, action.solutionId);
      if (request) return this.answerRequestedAgain(dc, { request, solution: current.solution, created: false }, card, pressed);
    }
    if (pressed === 'ended' && card.activityId !== undefined && !redrawnThisTurn(dc.context, card.activityId)) {
      const finished = flowEndedAttachment(FLOW_OF_VERB[action.verb], 'ended', current?.solution, scope);
      await redrawCard(dc.context, finished, this.deps.log, card.activityId);
    }
    const why = pressed === 'ended' ? 'flow.stale' : 'flow.someoneElses';
    await postAtBottom(dc.context, {
      text: current ? t.t(why, { name: current.solution.name }) : t.t(`${why}.unknown`),
      ...(current && { card: solutionAttachment(current, scope) }),
    });
  }

  /**
   * Save pressed again on a form whose request was made (a double press, or an old form): one answer,
   * the request as it is, and the user's own card shows it instead of the form.
   */
  private async answerRequestedAgain(
    dc: DialogContext,
    outcome: MergeRequestOutcome,
    card: CardTarget,
    pressed: Exclude<PressedFlowCard, 'current'>,
  ): Promise<void> {
    const scope = memberScope(dc.context);
    const { request, solution } = outcome;
    if (pressed === 'ended' && card.activityId !== undefined && !redrawnThisTurn(dc.context, card.activityId)) {
      await redrawCard(dc.context, mergeRequestedAttachment(outcome, scope), this.deps.log, card.activityId);
    }
    await sendText(
      dc.context,
      scope.t.t('merge.requested.alreadyMessage', {
        name: solution.name,
        requestId: request.id,
        by: request.requestedBy.name,
        date: scope.t.date(request.requestedAt),
      }),
    );
  }

  /**
   * Typed words outside a flow: a greeting or "what's left" where they lead, a solution's name or id
   * (with merge, discard or undo before or after it) to that solution, and anything else a short
   * answer with what one can type, never the whole overview again.
   */
  private async understand(dc: DialogContext, text: string): Promise<Next> {
    const scope = memberScope(dc.context);
    const { t } = scope;
    const request = readTyped(text);
    switch (request.kind) {
      case 'greeting':
        return OVERVIEW_ROUTE;
      case 'pending':
        return COMMAND_ROUTES.solutions;
      case 'undoWhich':
        await sendText(dc.context, t.t('typed.undo.which'));
        return { kind: 'nothing' };
      case 'solution': {
        const found = await this.deps.service.findSolutions(scope.actor, request.name);
        const [only] = found;
        if (only && found.length === 1) return TYPED_ROUTES[request.intent](only.id);
        if (found.length > 1) {
          const choices = found.map((solution) => `${solution.name} (${solution.id})`).join(', ');
          await sendText(dc.context, t.t('typed.several', { name: text.trim(), choices }));
        } else if (request.named) {
          await sendText(dc.context, t.t('typed.noSuchSolution', { name: request.name }));
        } else {
          await showCard(dc.context, notUnderstoodAttachment(t), this.deps.log);
        }
        return { kind: 'nothing' };
      }
    }
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

  /**
   * Leaves the flow in progress and draws its card finished. Cancel pressed on that card says so
   * there; a typed cancel is answered at the bottom.
   */
  private async cancel(dc: DialogContext, solutionId: string | undefined, card: CardTarget | undefined): Promise<void> {
    const scope = memberScope(dc.context);
    const flows = flowTurn(dc.context);
    const flow = flows.record;
    const inFlow = dc.activeDialog !== undefined || flow !== undefined;
    await dc.cancelAllDialogs();
    flows.record = undefined;
    if (flow) await finishFlowCard(dc.context, this.deps, flow, 'cancelled');
    if (flow && flows.pressedCardOf(flow) && flow.cardId !== undefined && redrawnThisTurn(dc.context, flow.cardId)) return;
    // A Cancel on a card of no known flow: that card shows the solution as it stands.
    const cardId = replaceableCard(card, 'solution');
    if (solutionId && cardId && cardId !== flow?.cardId) {
      const current = await this.deps.service.getSolution(scope.actor, solutionId);
      if (current.ok) await showCard(dc.context, solutionAttachment(current.value, scope), this.deps.log, cardId);
    }
    await sendText(dc.context, scope.t.t(inFlow || cardId ? 'cancel.done' : 'cancel.nothing'));
  }
}

/** Inputs addressed to the bot: only these move or close a flow. */
const ADDRESSED: ReadonlySet<TurnInput['kind']> = new Set(['action', 'command', 'text', 'welcome']);

/** Which flow's card carries each verb, for drawing a stale card finished; the rest are on several. */
const FLOW_OF_VERB: { readonly [V in CardAction['verb']]: FlowKind | undefined } = {
  listSolutions: undefined,
  help: undefined,
  cancel: undefined,
  subscribe: undefined,
  beginMigration: undefined,
  chooseMerge: undefined,
  chooseNoSimilarOffer: 'beginMigration',
  chooseDiscard: 'beginMigration',
  confirmDiscard: 'discard',
  undoDiscard: undefined,
  selectOffer: 'merge',
  useListingUrl: 'merge',
  submitMerge: 'merge',
  publishingSteps: undefined,
  completeMerge: undefined,
  requestInfo: undefined,
  chooseAwaitedOffer: undefined,
  setAwaitedOffer: undefined,
  showSolution: undefined,
};

/**
 * A press on the flow's card reaches the dialogs with that card's message, which some clients (the
 * Emulator) do not send: the flow knows it, so the card is still drawn again in place.
 */
function withFlowCard(input: TurnInput, flows: FlowTurn): TurnInput {
  const flow = flows.record;
  if (input.kind !== 'action' || !flow?.cardId || input.card.activityId !== undefined || !flows.pressedCardOf(flow)) return input;
  return { ...input, card: { ...input.card, activityId: flow.cardId, origin: 'solution' } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
