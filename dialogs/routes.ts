import type { ActionOf, Verb } from '../cards/actions';
import type { AwaitedOfferInput } from '../domain/awaitedOffer';
import type { MergeDetailsInput } from '../domain/mergeDetails';
import { AWAITED_OFFER_DIALOG_ID } from './awaitedOfferDialog';
import type { CardTarget, Command } from '../turn/input';
import { BEGIN_MIGRATION_DIALOG_ID } from './beginMigrationDialog';
import type { DialogId } from './dialogId';
import { DISCARD_DIALOG_ID } from './discardDialog';
import { HELP_DIALOG_ID } from './helpDialog';
import { MERGE_DIALOG_ID, type MergeStart } from './mergeDialog';
import { NO_SIMILAR_OFFER_DIALOG_ID } from './noSimilarOfferDialog';
import { OVERVIEW_DIALOG_ID } from './overviewDialog';
import { PUBLISHING_STEPS_DIALOG_ID } from './publishingStepsDialog';
import { SOLUTION_DIALOG_ID } from './solutionDialog';
import { SOLUTIONS_DIALOG_ID } from './solutionsDialog';
import { SUBSCRIPTIONS_DIALOG_ID } from './subscriptionsDialog';
import { SUPPORT_DESK_DIALOG_ID } from './supportDeskDialog';
import type { TypedIntent } from './typedWords';
import { UNDO_DISCARD_DIALOG_ID } from './undoDiscardDialog';

/**
 * Where a turn goes. A dialog is begun over the flow in progress, which carries on afterwards
 * (the list, help), or in its place (anything that acts on a solution: card buttons carry every id
 * they need, so a press on an old card works on its own); or the flow in progress is left.
 */
export type Route =
  | {
      readonly kind: 'begin';
      readonly dialogId: string;
      readonly options: object;
      readonly flow: 'keep' | 'replace';
      /** Partner support acts on its own cards without being a member of any partner. */
      readonly caller: 'member' | 'anyone';
    }
  | { readonly kind: 'cancel'; readonly solutionId?: string; readonly card?: CardTarget };

function begin<O extends object>(
  dialogId: DialogId<O>,
  options: NoInfer<O>,
  flow: 'keep' | 'replace',
  caller: 'member' | 'anyone' = 'member',
): Route {
  return { kind: 'begin', dialogId, options, flow, caller };
}

/** Begins a dialog over the flow in progress. */
const show = <O extends object>(dialogId: DialogId<O>, options: NoInfer<O>): Route => begin(dialogId, options, 'keep');

/** Begins a dialog in place of the flow in progress. */
const start = <O extends object>(dialogId: DialogId<O>, options: NoInfer<O>): Route => begin(dialogId, options, 'replace');

type ActionRoute<V extends Verb> = (action: ActionOf<V>, card: CardTarget) => Route;

/**
 * Every card verb and where it goes: the shape of the successor SDK's `actionExecute(verb, handler)`,
 * so that moving to it registers these as they are.
 */
export const ACTION_ROUTES: { readonly [V in Verb]: ActionRoute<V> } = {
  listSolutions: ({ page }, card) => show(SOLUTIONS_DIALOG_ID, { page: page ?? 1, card }),
  help: ({ solutionId }) => show(HELP_DIALOG_ID, solutionId ? { solutionId } : {}),
  cancel: ({ solutionId }, card) => ({ kind: 'cancel', ...(solutionId && { solutionId }), card }),
  beginMigration: ({ solutionId }, card) => start(BEGIN_MIGRATION_DIALOG_ID, { solutionId, card }),
  showSolution: ({ solutionId }, card) => show(SOLUTION_DIALOG_ID, { solutionId, card }),
  chooseMerge: ({ solutionId }, card) => start(MERGE_DIALOG_ID, { solutionId, start: { kind: 'chooseOffer' }, card }),
  chooseNoSimilarOffer: ({ solutionId, awaitedOfferId, awaitedOfferName }, card) =>
    start(NO_SIMILAR_OFFER_DIALOG_ID, { solutionId, awaited: awaitedInput(awaitedOfferId, awaitedOfferName), card }),
  chooseAwaitedOffer: ({ solutionId, notOfferId }, card) =>
    start(AWAITED_OFFER_DIALOG_ID, { solutionId, step: { kind: 'ask', ...(notOfferId && { notOfferId }) }, card }),
  setAwaitedOffer: ({ solutionId, awaitedOfferId, awaitedOfferName, clear }, card) =>
    start(AWAITED_OFFER_DIALOG_ID, {
      solutionId,
      step: { kind: 'save', awaited: clear ? {} : awaitedInput(awaitedOfferId, awaitedOfferName) },
      card,
    }),
  chooseDiscard: ({ solutionId }, card) => start(DISCARD_DIALOG_ID, { solutionId, confirmed: false, card }),
  confirmDiscard: ({ solutionId }, card) => start(DISCARD_DIALOG_ID, { solutionId, confirmed: true, card }),
  undoDiscard: ({ solutionId }, card) => start(UNDO_DISCARD_DIALOG_ID, { solutionId, card }),
  selectOffer: ({ solutionId, offerId, listingUrl }, card) =>
    start(MERGE_DIALOG_ID, { solutionId, start: offerChoice(offerId, listingUrl), card }),
  useListingUrl: ({ solutionId, listingUrl }, card) =>
    start(MERGE_DIALOG_ID, { solutionId, start: { kind: 'listingUrl', listingUrl: listingUrl ?? '' }, card }),
  submitMerge: (action, card) =>
    start(MERGE_DIALOG_ID, { solutionId: action.solutionId, start: { kind: 'submit', details: submitted(action) }, card }),
  publishingSteps: ({ solutionId }, card) => show(PUBLISHING_STEPS_DIALOG_ID, { solutionId, card }),
  subscribe: (_action, card) => show(SUBSCRIPTIONS_DIALOG_ID, { command: 'subscribe', card }),
  completeMerge: (action, card) => supportDesk(action, card),
  requestInfo: (action, card) => supportDesk(action, card),
};

/** The route of a card action, by its verb. */
export function actionRoute<V extends Verb>(action: ActionOf<V>, card: CardTarget): Route {
  const route: ActionRoute<V> = ACTION_ROUTES[action.verb];
  return route(action, card);
}

/** Every text command and where it goes. */
export const COMMAND_ROUTES: { readonly [C in Command]: Route } = {
  solutions: show(SOLUTIONS_DIALOG_ID, { page: 1 }),
  help: show(HELP_DIALOG_ID, {}),
  cancel: { kind: 'cancel' },
  subscribe: show(SUBSCRIPTIONS_DIALOG_ID, { command: 'subscribe' }),
  unsubscribe: show(SUBSCRIPTIONS_DIALOG_ID, { command: 'unsubscribe' }),
  status: show(SUBSCRIPTIONS_DIALOG_ID, { command: 'status' }),
};

/** A solution named in typed words: the same dialogs its card's buttons begin. */
export const TYPED_ROUTES: { readonly [I in TypedIntent]: (solutionId: string) => Route } = {
  show: (solutionId) => show(SOLUTION_DIALOG_ID, { solutionId }),
  merge: (solutionId) => start(MERGE_DIALOG_ID, { solutionId, start: { kind: 'chooseOffer' } }),
  discard: (solutionId) => start(DISCARD_DIALOG_ID, { solutionId, confirmed: false }),
  undo: (solutionId) => start(UNDO_DISCARD_DIALOG_ID, { solutionId }),
};

/** Text outside a flow, and a first greeting: what the bot is for. */
export const OVERVIEW_ROUTE: Route = show(OVERVIEW_DIALOG_ID, {});

function supportDesk(action: ActionOf<'completeMerge'> | ActionOf<'requestInfo'>, card: CardTarget): Route {
  return begin(SUPPORT_DESK_DIALOG_ID, { action, card }, 'keep', 'anyone');
}

/** Action 1's Continue: the offer chosen, or else the listing URL given; neither or both is asked again. */
function offerChoice(offerId = '', listingUrl = ''): MergeStart {
  const offer = offerId.trim();
  const url = listingUrl.trim();
  if (offer && !url) return { kind: 'offer', offerId: offer };
  if (url && !offer) return { kind: 'listingUrl', listingUrl: url };
  return { kind: 'unclearChoice', offerId: offer, listingUrl: url };
}

/** The issue details a Save & Contact support press carried; what it left out stays out. */
function submitted({ offerType, offerName, ocpSolutionId, listingUrl }: ActionOf<'submitMerge'>): MergeDetailsInput {
  return {
    ...(offerType !== undefined && { offerType }),
    ...(offerName !== undefined && { offerName }),
    ...(ocpSolutionId !== undefined && { ocpSolutionId }),
    ...(listingUrl !== undefined && { listingUrl }),
  };
}

/** The awaited offer a press carried; what it left out stays out. */
function awaitedInput(offerId: string | undefined, offerName: string | undefined): AwaitedOfferInput {
  return { ...(offerId !== undefined && { offerId }), ...(offerName !== undefined && { offerName }) };
}
