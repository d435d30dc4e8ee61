import type { Solution } from '../domain/model';
import { CardTemplate, submitAction, type ActionJson, type CardAttachment } from './cardTemplate';
import template from './confirmDiscard.json';
import { idLabel } from './labels';
import type { Viewer } from './viewer';

export interface ConfirmDiscardCardData {
  readonly title: string;
  readonly name: string;
  readonly idLabel: string;
  readonly body: string;
  readonly hint: string;
  readonly actions: readonly ActionJson[];
}

const confirmDiscardCard = new CardTemplate<ConfirmDiscardCardData>(template);

/** Are you sure? A discard can be undone later, but the solution leaves the pending list. */
export function confirmDiscardAttachment(solution: Solution, viewer: Viewer, flow: string): CardAttachment {
  const { t } = viewer;
  const on = { solutionId: solution.id, origin: 'solution' as const, flow };
  return confirmDiscardCard.render({
    title: t.t('discard.confirm.title'),
    name: solution.name,
    idLabel: idLabel(solution, t),
    body: t.t('discard.confirm.body'),
    hint: t.t('discard.confirm.hint'),
    actions: [
      submitAction(t.t('button.discard'), { verb: 'confirmDiscard', ...on }, 'destructive'),
      submitAction(t.t('button.keep'), { verb: 'cancel', ...on }),
    ],
  });
}
