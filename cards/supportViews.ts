import type { PartnerAccount, Solution, SupportRequest } from '../domain/model';
import { isOverdue } from '../domain/supportRequests';
import type { Translator } from '../locales/i18n';
import { openUrlAction, type CardAttachment } from './cardTemplate';
import { LINKS } from './links';
import { noticeCard } from './notice';
import { supportRequestCard } from './supportRequest';
import { executeButton, offerTypeLabel } from './views';

function carriedOver(solution: Solution, t: Translator): string {
  return t.t('support.card.carriesOver.value', {
    referrals: t.plural('solution.referrals', solution.carriedOver.openReferrals),
    collateral: t.plural('solution.collateral', solution.carriedOver.collateralDocuments),
    coSell: t.t(`coSell.${solution.coSellStatus}`),
  });
}

function submittedDetails(request: SupportRequest, t: Translator): { label: string; value: string }[] {
  return [
    { label: t.t('merge.field.offerType'), value: offerTypeLabel(request.offerType, t) },
    { label: t.t('merge.field.offerName'), value: request.offerName },
    { label: t.t('merge.field.ocpSolutionId'), value: request.ocpSolutionId },
    { label: t.t('merge.field.listingUrl'), value: request.listingUrl },
  ];
}

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
      ? t.t('support.card.state.completed', { date: t.date(request.completedAt ?? now) })
      : t.t(request.state === 'infoRequested' ? 'support.card.state.infoRequested' : 'support.card.state.open');
  return supportRequestCard.render({
    title: t.t('support.card.title', { requestId: request.id }),
    state,
    stateColor: request.state === 'completed' ? 'Good' : overdue ? 'Attention' : 'Accent',
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
      { label: t.t('support.card.carriesOver'), value: carriedOver(solution, t) },
    ],
    detailsTitle: t.t('merge.requested.details'),
    details: submittedDetails(request, t),
    canAct: open,
    infoLabel: t.t('support.infoNeeded.label'),
    infoPlaceholder: t.t('support.infoNeeded.placeholder'),
    actions: open
      ? [
          executeButton(t.t('button.markMerged'), { verb: 'completeMerge', requestId: request.id }, 'positive'),
          executeButton(t.t('button.askForInfo'), { verb: 'requestInfo', requestId: request.id }),
        ]
      : [],
  });
}

/** To the requester: the solution is merged, and what carried over with it. */
export function mergedNoticeAttachment(request: SupportRequest, solution: Solution, t: Translator): CardAttachment {
  return noticeCard.render({
    heading: t.t('notice.merged.heading'),
    color: 'Good',
    body: t.t('notice.merged.body', { solution: solution.name, offer: request.offerName }),
    facts: [
      { label: t.t('merge.field.ocpSolutionId'), value: solution.id },
      { label: t.t('support.card.carriesOver'), value: carriedOver(solution, t) },
      { label: t.t('support.card.requestId'), value: request.id },
    ],
    actions: [executeButton(t.t('button.solutions'), { verb: 'listSolutions' })],
  });
}

/** To the requester: partner support needs more information, in its own words. */
export function infoRequestedNoticeAttachment(request: SupportRequest, solution: Solution, t: Translator): CardAttachment {
  return noticeCard.render({
    heading: t.t('notice.info.heading'),
    color: 'Warning',
    body: t.t('notice.info.body', { requestId: request.id, solution: solution.name }),
    ...(request.infoNeeded && { quote: request.infoNeeded }),
    facts: submittedDetails(request, t),
    next: t.t('notice.info.next'),
    actions: [
      openUrlAction(t.t('button.partnerSupport'), LINKS.partnerSupport),
      executeButton(t.t('button.help'), { verb: 'help' }),
      executeButton(t.t('button.solutions'), { verb: 'listSolutions' }),
    ],
  });
}
