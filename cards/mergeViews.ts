import type { MergeDraft, MergeRequestOutcome, MergeStart } from '../domain/migrationService';
import type { MergeDetailsInput, MergeField } from '../domain/mergeDetails';
import { OFFER_TYPES, type Offer, type Solution } from '../domain/model';
import type { Translator } from '../locales/i18n';
import { openUrlAction, submitAction, type CardAttachment } from './cardTemplate';
import { LINKS } from './links';
import { mergeDetailsCard } from './mergeDetails';
import { mergeOfferCard } from './mergeOffer';
import { mergeRequestedCard } from './mergeRequested';
import { publishingStepsCard } from './publishingSteps';
import { button, executeButton, idLabel, offerTypeLabel, storefrontLabel, type Viewer } from './views';

/** Offers beyond this many are reached by their listing URL; a card stays readable and small. */
export const MAX_OFFERS_ON_CARD = 25;

export function offerLine(offer: Offer, t: Translator): string {
  return t.t('merge.offer.line', { type: offerTypeLabel(offer.type, t), storefront: storefrontLabel(offer.storefront, t) });
}

export function mergeOfferAttachment(
  start: MergeStart,
  viewer: Viewer,
  retry: { readonly listingUrl?: string; readonly error?: string } = {},
): CardAttachment {
  const { t } = viewer;
  const { solution, liveOffers } = start;
  const on = { solutionId: solution.id, origin: 'solution' as const };
  const shown = liveOffers.slice(0, MAX_OFFERS_ON_CARD);
  const note =
    liveOffers.length === 0
      ? t.t('merge.action1.noLiveOffers', { partner: viewer.actor.account.name })
      : liveOffers.length > shown.length
        ? t.t('merge.action1.moreOffers', { shown: shown.length, total: liveOffers.length })
        : undefined;
  return mergeOfferCard.render({
    title: t.t('merge.title'),
    name: solution.name,
    idLabel: idLabel(solution, t),
    step: t.t('merge.action1'),
    intro: t.t('merge.action1.intro'),
    offers: shown.map((offer) => ({
      name: offer.name,
      line: offerLine(offer, t),
      button: submitAction(t.t('button.select'), { verb: 'selectOffer', offerId: offer.id, ...on }, 'positive', {
        associatedInputs: 'none',
      }),
    })),
    ...(note && { note }),
    listingUrlLabel: t.t('merge.listingUrl.label'),
    listingUrlPlaceholder: t.t('merge.listingUrl.placeholder'),
    listingUrl: retry.listingUrl ?? '',
    ...(retry.error && { error: retry.error }),
    useUrl: button(t.t('button.useUrl'), { verb: 'useListingUrl', ...on }),
    hint: t.t('merge.action1.hint'),
    actions: [button(t.t('button.cancel'), { verb: 'cancel', ...on })],
  });
}

export function mergeDetailsAttachment(
  draft: { readonly solution: Solution; readonly offer?: Offer },
  values: MergeDetailsInput,
  errors: Partial<Record<MergeField, string>>,
  viewer: Viewer,
): CardAttachment {
  const { t } = viewer;
  const { solution, offer } = draft;
  const on = { solutionId: solution.id, origin: 'solution' as const };
  return mergeDetailsCard.render({
    title: t.t('merge.title'),
    name: solution.name,
    idLabel: idLabel(solution, t),
    step: t.t('merge.action2'),
    intro: t.t('merge.action2.intro'),
    ...(offer && { offerLine: t.t('merge.action2.offer', { name: offer.name }) }),
    labels: {
      offerType: t.t('merge.field.offerType'),
      offerName: t.t('merge.field.offerName'),
      ocpSolutionId: t.t('merge.field.ocpSolutionId'),
      listingUrl: t.t('merge.field.listingUrl'),
    },
    values: {
      offerType: values.offerType ?? '',
      offerName: values.offerName ?? '',
      ocpSolutionId: values.ocpSolutionId ?? '',
      listingUrl: values.listingUrl ?? '',
    },
    errors,
    offerTypes: OFFER_TYPES.map((type) => ({ title: offerTypeLabel(type, t), value: type })),
    keeps: t.t('merge.action2.keeps'),
    hint: t.t('merge.action2.hint'),
    actions: [
      button(t.t('button.submitMerge'), { verb: 'submitMerge', ...on }, 'positive'),
      button(t.t('button.cancel'), { verb: 'cancel', ...on }),
    ],
  });
}

export function mergeRequestedAttachment(outcome: MergeRequestOutcome, viewer: Viewer): CardAttachment {
  const { t } = viewer;
  const { request, solution, created } = outcome;
  return mergeRequestedCard.render({
    heading: t.t(created ? 'merge.requested.heading' : 'merge.requested.already'),
    name: solution.name,
    idLabel: idLabel(solution, t),
    requestLabel: t.t('merge.requested.id', { requestId: request.id }),
    requestedBy: t.t('merge.requested.by', { name: request.requestedBy.name, date: t.dateTime(request.requestedAt) }),
    promise: t.t('merge.requested.promise', { date: t.date(request.dueAt) }),
    detailsTitle: t.t('merge.requested.details'),
    details: [
      { label: t.t('merge.field.offerType'), value: offerTypeLabel(request.offerType, t) },
      { label: t.t('merge.field.offerName'), value: request.offerName },
      { label: t.t('merge.field.ocpSolutionId'), value: request.ocpSolutionId },
      { label: t.t('merge.field.listingUrl'), value: request.listingUrl },
    ],
    actions: [
      openUrlAction(t.t('button.partnerSupport'), LINKS.partnerSupport),
      executeButton(t.t('button.solutions'), { verb: 'listSolutions' }),
    ],
  });
}

/** The publishing walkthrough: for a new offer, or for a draft left by the old migrate option. */
export function publishingStepsAttachment(solution: Solution, viewer: Viewer): CardAttachment {
  const { t } = viewer;
  const draft = solution.status === 'migratedAsDraft';
  const steps = draft
    ? (['draft.step.1', 'draft.step.2', 'draft.step.3', 'draft.step.4', 'draft.step.5', 'draft.step.6'] as const)
    : ([
        'newOffer.step.1',
        'newOffer.step.2',
        'newOffer.step.3',
        'newOffer.step.4',
        'newOffer.step.5',
        'newOffer.step.6',
        'newOffer.step.7',
        'newOffer.step.8',
      ] as const);
  const on = { solutionId: solution.id, origin: 'solution' as const };
  return publishingStepsCard.render({
    title: t.t(draft ? 'draft.title' : 'newOffer.title'),
    intro: t.t(draft ? 'draft.intro' : 'newOffer.intro', { name: solution.name }),
    steps: steps.map((key, index) => ({ number: `${t.number(index + 1)}.`, text: t.t(key) })),
    linksTitle: t.t('steps.links'),
    links: [
      openUrlAction(t.t('link.partnerCenterOffers'), LINKS.partnerCenterOffers),
      openUrlAction(t.t('help.link.publishingGuide'), LINKS.publishingGuide),
      openUrlAction(t.t('link.reviewAndPublish'), LINKS.reviewAndPublish),
      openUrlAction(t.t('link.listingBestPractices'), LINKS.listingBestPractices),
    ],
    actions: [
      ...(solution.status === 'awaitingNewOffer'
        ? [button(t.t('button.merge'), { verb: 'chooseMerge', ...on }, 'positive')]
        : []),
      button(t.t('button.solutions'), { verb: 'listSolutions' }),
    ],
  });
}

export type { MergeDraft };
