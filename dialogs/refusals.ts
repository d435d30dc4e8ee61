import type { Refusal } from '../domain/result';
import type { DialogDeps } from './deps';
import { refusalText, solutionAttachment, solutionListAttachment } from './presenters';
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
  await showCard(context, solutionListAttachment(list, scope), deps.log, activityId);
}
