import type { Solution } from '../domain/model';
import { CardTemplate, submitAction, type ActionJson, type CardAttachment, type CardColor } from './cardTemplate';
import template from './confirmDiscard.json';
import { hasStakes, stakeFacts, type StakeFact } from './facts';
import { idLabel } from './labels';
import type { Viewer } from './viewer';

export interface ConfirmDiscardCardData {
  readonly title: string;
  readonly name: string;
  readonly idLabel: string;
  /** What the solution has that the discard gives up, and whether that is anything. */
  readonly stakes: readonly StakeFact[];
  readonly stakesText: string;
  readonly stakesColor: CardColor;
  readonly body: string;
  readonly advice: string;
  readonly hint: string;
  readonly actions: readonly ActionJson[];
}

const confirmDiscardCard = new CardTemplate<ConfirmDiscardCardData>(template);

/**
 * Are you sure? With what the solution has (co-sell status, referrals, collateral), which only a
 * merge takes into an offer. A discard can be undone later, but the solution leaves the pending list.
 */
export function confirmDiscardAttachment(solution: Solution, viewer: Viewer, flow: string): CardAttachment {
  const { t } = viewer;
  const on = { solutionId: solution.id, origin: 'solution' as const, flow };
  return confirmDiscardCard.render({
    title: t.t('discard.confirm.title'),
    name: solution.name,
    idLabel: idLabel(solution, t),
    stakes: stakeFacts(solution, t),
    stakesText: t.t(hasStakes(solution) ? 'discard.confirm.givesUp' : 'discard.confirm.nothingToLose'),
    stakesColor: hasStakes(solution) ? 'Attention' : 'Default',
    body: t.t('discard.confirm.body'),
    advice: t.t('stakes.assessFirst'),
    hint: t.t('discard.confirm.hint'),
    actions: [
      submitAction(t.t('button.discard'), { verb: 'confirmDiscard', ...on }, 'destructive'),
      submitAction(t.t('button.keep'), { verb: 'cancel', ...on }),
    ],
  });
}
