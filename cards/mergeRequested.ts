import type { MergeRequestOutcome } from '../domain/migrationService';
import { CardTemplate, executeAction, openUrlAction, type ActionJson, type CardAttachment } from './cardTemplate';
import { requestDetails, type LabelledValue } from './facts';
import { idLabel } from './labels';
import { LINKS } from './links';
import template from './mergeRequested.json';
import type { Viewer } from './viewer';

/** The merge request as stored: its id, the details exactly as submitted, and when support answers. */
export interface MergeRequestedCardData {
  readonly heading: string;
  readonly name: string;
  readonly idLabel: string;
  readonly requestLabel: string;
  readonly requestedBy: string;
  readonly promise: string;
  /** How partner support makes contact, and what the request is not. */
  readonly contact: string;
  readonly detailsTitle: string;
  readonly details: readonly LabelledValue[];
  readonly actions: readonly ActionJson[];
}

const mergeRequestedCard = new CardTemplate<MergeRequestedCardData>(template);

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
    contact: t.t('merge.requested.contact'),
    detailsTitle: t.t('merge.requested.details'),
    details: requestDetails(request, t),
    actions: [
      openUrlAction(t.t('button.partnerSupport'), LINKS.partnerSupport),
      executeAction(t.t('button.solutions'), { verb: 'listSolutions' }),
    ],
  });
}
