import type { Solution } from '../domain/model';
import { CardTemplate, submitAction, type ActionJson, type CardAttachment } from './cardTemplate';
import { stakeFacts, type StakeFact } from './facts';
import { idLabel } from './labels';
import template from './migrationOptions.json';
import type { Viewer } from './viewer';

export interface MigrationOption {
  readonly title: string;
  readonly description: string;
  readonly button: ActionJson;
}

export interface MigrationOptionsCardData {
  readonly title: string;
  readonly name: string;
  readonly idLabel: string;
  /** What the solution has, which a merge keeps and a discard gives up. */
  readonly stakesTitle: string;
  readonly stakes: readonly StakeFact[];
  readonly prompt: string;
  readonly advice: string;
  readonly options: readonly MigrationOption[];
  readonly hint: string;
  readonly actions: readonly ActionJson[];
}

const migrationOptionsCard = new CardTemplate<MigrationOptionsCardData>(template);

/** Begin migration: merge into a live offer, publish a new offer first, or discard. */
export function migrationOptionsAttachment(solution: Solution, viewer: Viewer, flow: string): CardAttachment {
  const { t } = viewer;
  const on = { solutionId: solution.id, origin: 'solution' as const, flow };
  return migrationOptionsCard.render({
    title: t.t('options.title'),
    name: solution.name,
    idLabel: idLabel(solution, t),
    stakesTitle: t.t('options.stakes'),
    stakes: stakeFacts(solution, t),
    prompt: t.t('options.prompt'),
    advice: t.t('stakes.assessFirst'),
    options: [
      {
        title: t.t('options.merge.title'),
        description: t.t('options.merge.description'),
        button: submitAction(t.t('button.merge'), { verb: 'chooseMerge', ...on }, 'positive'),
      },
      {
        title: t.t('options.noSimilarOffer.title'),
        description: t.t('options.noSimilarOffer.description'),
        button: submitAction(t.t('button.noSimilarOffer'), { verb: 'chooseNoSimilarOffer', ...on }),
      },
      {
        title: t.t('options.discard.title'),
        description: t.t('options.discard.description'),
        button: submitAction(t.t('button.chooseDiscard'), { verb: 'chooseDiscard', ...on }, 'destructive'),
      },
    ],
    hint: t.t('options.hint'),
    actions: [submitAction(t.t('button.notNow'), { verb: 'cancel', ...on })],
  });
}
