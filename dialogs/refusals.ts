import type { Refusal } from '../domain/result';
import type { TurnScope } from './turnScope';
import type { DialogDeps } from './deps';
import { fieldProblemText, roleLabel, solutionAttachment, solutionListAttachment, statusLabel } from '../cards/views';
import { replaceableCard, sendText, showCard, type TurnContextOf } from './replies';
import type { CardTarget } from './turnInput';
import { turnScope } from './turnScope';

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
  const scope = turnScope(context);
  if ('solution' in refusal) {
    const listCardId = replaceableCard(card, 'list');
    if (listCardId) {
      await redrawList(context, deps, listCardId, card?.page ?? 1);
    } else {
      const current = await deps.service.getSolution(scope.actor, refusal.solution.id);
      const detail = current.ok ? current.value : { solution: refusal.solution };
      await showCard(context, solutionAttachment(detail, scope), deps.log, replaceableCard(card, 'solution'));
    }
  }
  await sendText(context, refusalText(refusal, scope));
}

/** Draws a page of the solution list again on the list card it came from. */
export async function redrawList(context: TurnContextOf, deps: DialogDeps, activityId: string, page: number): Promise<void> {
  const scope = turnScope(context);
  const list = await deps.service.listSolutions(scope.actor, page);
  await showCard(context, solutionListAttachment(list, scope, deps.rows), deps.log, activityId);
}

export function refusalText(refusal: Refusal, scope: TurnScope): string {
  const { t } = scope;
  const partner = scope.actor.account.name;
  switch (refusal.code) {
    case 'solutionNotFound':
      return t.t('refusal.solutionNotFound', { solutionId: refusal.solutionId, partner });
    case 'notPermitted':
      return t.t('refusal.notPermitted', { role: roleLabel(refusal.role, t), partner });
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
      return t.t('refusal.offerNotFound', { offerId: refusal.offerId, partner });
    case 'offerNotLive':
      return t.t('refusal.offerNotLive', { name: refusal.offer.name });
    case 'invalidListingUrl':
      return t.t(`listingUrl.problem.${refusal.problem}`);
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
  }
}
