import type { PartnerAccount, Solution, SupportRequest } from '../domain/model';
import { isOverdue } from '../domain/supportRequests';
import type { Translator } from '../locales/i18n';
import { CardTemplate, executeAction, type ActionJson, type CardAttachment, type CardColor } from './cardTemplate';
import { carriedOverText, requestDetails, type LabelledValue } from './facts';
import { OVERDUE_GLYPH, STATUS_GLYPHS } from './solutionStatus';
import template from './supportRequest.json';

/** A merge request as the partner support team sees it in its channel. */
export interface SupportRequestCardData {
  readonly title: string;
  readonly state: string;
  readonly stateColor: CardColor;
  readonly infoNeeded?: string;
  readonly facts: readonly LabelledValue[];
  readonly detailsTitle: string;
  readonly details: readonly LabelledValue[];
  /** Whether the request is still open for support to act on. */
  readonly canAct: boolean;
  readonly infoLabel: string;
  readonly infoPlaceholder: string;
  readonly actions: readonly ActionJson[];
}

const supportRequestCard = new CardTemplate<SupportRequestCardData>(template);

/** The card partner support acts on in its channel: mark merged, or ask for more information. */
export function supportRequestAttachment(
  request: SupportRequest,
  solution: Solution,
  account: PartnerAccount,
  t: Translator,
  now: Date,
): CardAttachment {
  const open = request.state !== 'completed';
  const overdue = isOverdue({ id: request.id, state: request.state, dueAt: request.dueAt }, now);
  const state =
    request.state === 'completed'
      ? `${STATUS_GLYPHS.merged} ${t.t('support.card.state.completed', { date: t.date(request.completedAt ?? now) })}`
      : `${overdue ? OVERDUE_GLYPH : STATUS_GLYPHS.mergeRequested} ${t.t(
          request.state === 'infoRequested' ? 'support.card.state.infoRequested' : 'support.card.state.open',
        )}`;
  return supportRequestCard.render({
    title: t.t('support.card.title', { requestId: request.id }),
    state,
    stateColor: open && overdue ? 'Attention' : 'Default',
    ...(request.state === 'infoRequested' && request.infoNeeded && { infoNeeded: request.infoNeeded }),
    facts: [
      {
        label: t.t('support.card.partner'),
        value: t.t('support.card.partner.value', { partner: account.name, partnerIds: account.partnerIds.join(', ') }),
      },
      {
        label: t.t('support.card.requestedBy'),
        value: t.t('support.card.requestedBy.value', { name: request.requestedBy.name, date: t.dateTime(request.requestedAt) }),
      },
      {
        label: t.t('support.card.dueAt'),
        value: overdue ? `${t.date(request.dueAt)} · ${t.t('status.mergeRequested.overdue')}` : t.date(request.dueAt),
      },
      {
        label: t.t('support.card.solution'),
        value: t.t('support.card.solution.value', { name: solution.name, id: solution.id }),
      },
      { label: t.t('support.card.carriesOver'), value: carriedOverText(solution, t) },
    ],
    detailsTitle: t.t('merge.requested.details'),
    details: requestDetails(request, t),
    canAct: open,
    infoLabel: t.t('support.infoNeeded.label'),
    infoPlaceholder: t.t('support.infoNeeded.placeholder'),
    actions: open
      ? [
          executeAction(t.t('button.markMerged'), { verb: 'completeMerge', requestId: request.id }, 'positive'),
          executeAction(t.t('button.askForInfo'), { verb: 'requestInfo', requestId: request.id }),
        ]
      : [],
  });
}
