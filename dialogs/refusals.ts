import { LISTING_URL_PROBLEMS } from '../domain/listingUrl';
import type { MergeField } from '../domain/mergeDetails';
import type { Refusal } from '../domain/result';
import type { Translator } from '../locales/i18n';
import { roleLabel, statusLabel } from '../cards/labels';
import { solutionAttachment } from '../cards/solution';
import { solutionListAttachment } from '../cards/solutionList';
import type { TurnInput } from '../turn/input';
import { postAtBottom, refuseAction, replaceableCard, sendText, showCard } from '../turn/replies';
import type { CardTarget } from '../turn/input';
import { memberScope, type TurnScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { TurnContextOf } from './oneTurnDialog';

/**
 * The one place where what was refused is put into words: the domain's refusals, card actions that
 * did not carry what they need, and merge details that are not valid.
 */

/**
 * Says why nothing happened and, where the refusal is about a solution's state, shows where the
 * solution stands now: on the pressed card when there is one, so that a stale button disappears.
 */
export async function reportRefusal(
  context: TurnContextOf,
  refusal: Refusal,
  deps: DialogDeps,
  card?: CardTarget,
): Promise<void> {
  const scope = memberScope(context);
  if ('solution' in refusal) {
    const current = await deps.service.getSolution(scope.actor, refusal.solution.id);
    const detail = current.ok ? current.value : { solution: refusal.solution };
    const listCardId = replaceableCard(card, 'list');
    if (listCardId) {
      // The list's rows are drawn as they stand, and the solution itself below the words about it.
      await redrawList(context, deps, listCardId, card?.page ?? 1);
      await postAtBottom(context, { text: refusalText(refusal, scope), card: solutionAttachment(detail, scope) });
      return;
    }
    await showCard(context, solutionAttachment(detail, scope), deps.log, replaceableCard(card, 'solution'));
  }
  await sendText(context, refusalText(refusal, scope));
}

/** Draws a page of the solution list again on the list card it came from. */
export async function redrawList(context: TurnContextOf, deps: DialogDeps, activityId: string, page: number): Promise<void> {
  const scope = memberScope(context);
  const list = await deps.service.listSolutions(scope.actor, page);
  await showCard(context, solutionListAttachment(list, scope, deps.rows), deps.log, activityId);
}

/** A card action that could not be taken: its verb is unknown, or it did not carry what it needs. */
export async function refuseInput(
  context: TurnContextOf,
  input: Extract<TurnInput, { kind: 'unknownVerb' | 'invalidAction' }>,
  t: Translator,
): Promise<void> {
  if (input.kind === 'unknownVerb') {
    await refuseAction(context, 'UnknownVerb', t.t('input.unknownVerb', { verb: input.verb }));
    return;
  }
  const problems = input.problems.map((problem) => t.t(`input.problem.${problem.kind}`, { field: problem.field }));
  await refuseAction(context, 'BadRequest', t.t('input.invalidAction', { problems: problems.join(', ') }));
}

/**
 * Why the domain said no, in the user's words. A refusal that names the partner can only come to
 * a member; for anyone else it is a failure of ours.
 */
export function refusalText(refusal: Refusal, scope: Pick<TurnScope, 't' | 'actor'>): string {
  const { t } = scope;
  const partner = scope.actor?.account.name;
  switch (refusal.code) {
    case 'solutionNotFound':
      return partner ? t.t('refusal.solutionNotFound', { solutionId: refusal.solutionId, partner }) : t.t('error.turn');
    case 'notPermitted':
      return partner ? t.t('refusal.notPermitted', { role: roleLabel(refusal.role, t), partner }) : t.t('error.turn');
    case 'notPending':
      return t.t('refusal.notPending', { name: refusal.solution.name, status: statusLabel(refusal.solution.status, t) });
    case 'illegalTransition':
      return t.t(`refusal.illegal.${refusal.event}`, {
        name: refusal.solution.name,
        status: statusLabel(refusal.solution.status, t),
      });
    case 'concurrentChange':
      return t.t('refusal.concurrentChange', { name: refusal.solution.name });
    case 'offerNotFound':
      return partner ? t.t('refusal.offerNotFound', { offerId: refusal.offerId, partner }) : t.t('error.turn');
    case 'offerNotLive':
      return t.t('refusal.offerNotLive', { name: refusal.offer.name });
    case 'awaitedOfferNotFound':
      return partner ? t.t('refusal.awaitedOfferNotFound', { offerId: refusal.offerId, partner }) : t.t('error.turn');
    case 'awaitedOfferLive':
      return t.t('refusal.awaitedOfferLive', { name: refusal.offer.name });
    case 'awaitedOfferAmbiguous':
      return t.t('refusal.awaitedOfferAmbiguous', { offer: refusal.offer.name, name: refusal.name });
    case 'invalidAwaitedOfferName':
      return t.t('refusal.invalidAwaitedOfferName');
    case 'invalidListingUrl':
      return t.t(`listingUrl.problem.${refusal.problem}`);
    case 'otherPublisher':
      return t.t('refusal.otherPublisher', {
        publisherId: refusal.publisherId,
        publishers: refusal.publishers.join(', '),
      });
    case 'invalidMergeDetails':
      return refusal.problems.map((problem) => fieldProblemText(problem.field, problem.reason, t)).join(' ');
    case 'requestNotFound':
      return t.t('refusal.requestNotFound', { requestId: refusal.requestId });
    case 'requestCompleted':
      return t.t('refusal.requestCompleted', { requestId: refusal.request.id });
    case 'invalidInfoNeeded':
      return t.t('support.infoNeeded.invalid');
    case 'subscriptionNeedsChannel':
      return t.t('subscribe.personal');
    case 'idempotencyKeyReused':
      // Only the certification endpoint records changes; no turn meets this.
      return t.t('error.turn');
  }
}

/** Why one merge detail is not valid, in words. */
export function fieldProblemText(field: MergeField, reason: string, t: Translator, solutionId = ''): string {
  if (field === 'listingUrl') {
    const problem = LISTING_URL_PROBLEMS.find((known) => known === reason);
    return t.t(problem ? `listingUrl.problem.${problem}` : 'listingUrl.problem.missing');
  }
  switch (`${field}.${reason}`) {
    case 'offerType.unknown':
      return t.t('merge.problem.offerType.unknown');
    case 'offerName.tooLong':
      return t.t('merge.problem.offerName.tooLong');
    case 'ocpSolutionId.notThisSolution':
      return t.t('merge.problem.ocpSolutionId.notThisSolution', { solutionId });
    default:
      return t.t(`merge.problem.${field}.missing`);
  }
}
