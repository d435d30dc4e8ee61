import type { Solution } from '../domain/model';
import { CardTemplate, moreActions, openUrlAction, submitAction, type ActionJson, type CardAttachment } from './cardTemplate';
import { LINKS } from './links';
import template from './publishingSteps.json';
import type { Viewer } from './viewer';

/** How to publish an offer in Partner Center: a new one, or a draft left by the old migrate option. */
export interface PublishingStepsCardData {
  readonly title: string;
  readonly intro: string;
  readonly steps: readonly { readonly number: string; readonly text: string }[];
  /** The merge when it can be next, Partner Center, the list; the guides folded under one button. */
  readonly actions: readonly ActionJson[];
}

const publishingStepsCard = new CardTemplate<PublishingStepsCardData>(template);

const DRAFT_STEPS = ['draft.step.1', 'draft.step.2', 'draft.step.3', 'draft.step.4', 'draft.step.5', 'draft.step.6'] as const;
const NEW_OFFER_STEPS = [
  'newOffer.step.1',
  'newOffer.step.2',
  'newOffer.step.3',
  'newOffer.step.4',
  'newOffer.step.5',
  'newOffer.step.6',
  'newOffer.step.7',
  'newOffer.step.8',
] as const;

/** The publishing walkthrough: for a new offer, or for a draft left by the old migrate option. */
export function publishingStepsAttachment(solution: Solution, viewer: Viewer): CardAttachment {
  const { t } = viewer;
  const draft = solution.status === 'migratedAsDraft';
  const steps = draft ? DRAFT_STEPS : NEW_OFFER_STEPS;
  const on = { solutionId: solution.id, origin: 'solution' as const };
  return publishingStepsCard.render({
    title: t.t(draft ? 'draft.title' : 'newOffer.title'),
    intro: t.t(draft ? 'draft.intro' : 'newOffer.intro', { name: solution.name }),
    steps: steps.map((key, index) => ({ number: `${t.number(index + 1)}.`, text: t.t(key) })),
    // Publishing comes first: the merge is there for when the new offer is live, not the way on.
    actions: [
      openUrlAction(t.t('link.partnerCenterOffers'), LINKS.partnerCenterOffers, 'positive'),
      ...(solution.status === 'awaitingNewOffer' ? [submitAction(t.t('button.merge'), { verb: 'chooseMerge', ...on })] : []),
      submitAction(t.t('button.solutions'), { verb: 'listSolutions' }),
      moreActions(t.t('steps.links'), [
        openUrlAction(t.t('help.link.publishingGuide'), LINKS.publishingGuide),
        openUrlAction(t.t('link.reviewAndPublish'), LINKS.reviewAndPublish),
        openUrlAction(t.t('link.listingBestPractices'), LINKS.listingBestPractices),
      ]),
    ],
  });
}
