import type { CertificationChange, Offer, Solution, SupportRequest } from '../domain/model';
import type { SubscriptionStatus } from '../domain/notificationService';
import type { SyncState } from '../domain/ports/partnerCenter';
import type { Translator } from '../locales/i18n';
import { CardTemplate, executeAction, openUrlAction, submitAction, type ActionJson, type CardAttachment } from './cardTemplate';
import { carriedOverText, requestDetails, type LabelledValue } from './facts';
import { offerTypeLabel, publishingStateLabel, storefrontLabel } from './labels';
import { LINKS } from './links';
import { STATUS_GLYPHS } from './solutionStatus';
import template from './notice.json';

/**
 * Something that happened, told to the people it concerns, with what to do next: certification
 * changes, an offer going live, what partner support did, where a channel's subscription stands.
 */
export interface NoticeCardData {
  /** For a notice that tells a state, begun with the state's mark, as the list marks statuses. */
  readonly heading: string;
  readonly body: string;
  /** Text someone else wrote, shown exactly as written. */
  readonly quote?: string;
  readonly facts: readonly LabelledValue[];
  readonly next?: string;
  /** Links first, then buttons. */
  readonly actions: readonly ActionJson[];
}

const noticeCard = new CardTemplate<NoticeCardData>(template);

/** In certification: under way; failed: a problem to fix; ready to preview: the partner's turn; live: done. */
const CERTIFICATION_GLYPHS: Readonly<Record<CertificationChange['status'], string>> = {
  inCertification: STATUS_GLYPHS.mergeRequested,
  certificationFailed: '✕',
  previewReady: STATUS_GLYPHS.pendingAction,
  live: '✓',
};

function offerKind(offer: Offer, t: Translator): LabelledValue {
  return {
    label: t.t('merge.field.offerType'),
    value: `${offerTypeLabel(offer.type, t)} · ${storefrontLabel(offer.storefront, t)}`,
  };
}

/** A certification status change, with what the partner does next. */
export function certificationAttachment(change: CertificationChange, offer: Offer, t: Translator): CardAttachment {
  const status = publishingStateLabel(change.status, t);
  return noticeCard.render({
    heading: `${CERTIFICATION_GLYPHS[change.status]} ${t.t('certification.heading', { offer: offer.name, status })}`,
    body: t.t(`certification.next.${change.status}`),
    ...(change.detail && { quote: change.detail }),
    facts: [
      offerKind(offer, t),
      { label: t.t('certification.offerId'), value: offer.id },
      { label: t.t('status.title'), value: status },
    ],
    actions: [
      ...(change.reportUrl ? [openUrlAction(t.t('certification.link.report'), change.reportUrl)] : []),
      ...(change.status === 'live' && offer.listingUrl
        ? [openUrlAction(t.t('certification.link.listing'), offer.listingUrl)]
        : []),
      openUrlAction(t.t('link.partnerCenterOffers'), LINKS.partnerCenterOffers),
      ...(change.status === 'live' ? [executeAction(t.t('button.solutions'), { verb: 'listSolutions' })] : []),
    ],
  });
}

/**
 * To someone waiting with solutions for this very offer: it is live; merge them into it. One
 * solution is named in the text, so that its button stays short enough for a phone.
 */
export function offerLiveAttachment(offer: Offer, solutions: readonly Solution[], t: Translator): CardAttachment {
  const [only] = solutions;
  const one = solutions.length === 1 && only !== undefined;
  return noticeCard.render({
    heading: `${CERTIFICATION_GLYPHS.live} ${t.t('offerLive.heading', { offer: offer.name })}`,
    body: one
      ? t.t('offerLive.bodyOne', { offer: offer.name, solution: only.name })
      : t.t('offerLive.body', { offer: offer.name, count: solutions.length }),
    facts: offerLiveFacts(offer, t),
    // One primary button a card: with several solutions, none of them is the one to press first.
    actions: solutions.map((solution) =>
      executeAction(
        one ? t.t('offerLive.mergeOne') : t.t('offerLive.merge', { solution: solution.name }),
        { verb: 'selectOffer', solutionId: solution.id, offerId: offer.id },
        one ? 'positive' : 'default',
      ),
    ),
  });
}

/**
 * To someone waiting with a solution for no offer in particular: is this live offer the one? Yes
 * starts the merge, no keeps it waiting and asks which offer it is; neither is the default.
 */
export function offerLiveQuestionAttachment(offer: Offer, solution: Solution, t: Translator): CardAttachment {
  const names = { offer: offer.name, solution: solution.name };
  const on = { solutionId: solution.id, origin: 'solution' as const };
  return noticeCard.render({
    heading: t.t('offerLive.ask.heading', names),
    body: t.t('offerLive.ask.body', names),
    facts: offerLiveFacts(offer, t),
    actions: [
      executeAction(t.t('offerLive.ask.yes'), { verb: 'selectOffer', offerId: offer.id, ...on }),
      executeAction(t.t('offerLive.ask.no'), { verb: 'chooseAwaitedOffer', notOfferId: offer.id, ...on }),
    ],
  });
}

function offerLiveFacts(offer: Offer, t: Translator): LabelledValue[] {
  return [offerKind(offer, t), ...(offer.listingUrl ? [{ label: t.t('merge.field.listingUrl'), value: offer.listingUrl }] : [])];
}

/** What a conversation hears about, where each of the partner's offers stands, and how fresh that is. */
export function subscriptionStatusAttachment(
  partner: string,
  { subscription, offers, sync }: SubscriptionStatus,
  t: Translator,
): CardAttachment {
  return noticeCard.render({
    heading: t.t('status.heading'),
    body: subscription
      ? t.t('status.subscribed', { partner, date: t.date(subscription.subscribedAt), name: subscription.subscribedBy.name })
      : t.t('status.notSubscribed', { partner }),
    facts: [
      ...offers.map((offer) => ({ label: offer.name, value: publishingStateLabel(offer.publishingState, t) })),
      ...(sync ? [{ label: t.t('status.sync.label'), value: syncText(sync, t) }] : []),
    ],
    ...(offers.length === 0 && { next: t.t('status.noOffers', { partner }) }),
    actions: subscription ? [] : [executeAction(t.t('button.subscribe'), { verb: 'subscribe' }, 'positive')],
  });
}

/** Posted in a team's channel when the bot is added there: offers to subscribe it. */
export function installOfferAttachment(partner: string, t: Translator, where: 'team' | 'groupChat' = 'team'): CardAttachment {
  return noticeCard.render({
    heading: t.t(where === 'team' ? 'status.heading' : 'install.groupChat.heading'),
    body: t.t(where === 'team' ? 'install.team.offer' : 'install.groupChat.offer', { partner }),
    facts: [],
    actions: [executeAction(t.t('button.subscribe'), { verb: 'subscribe' }, 'positive')],
  });
}

/**
 * To the requester: the solution is merged, what carried over with it, and what is left to them:
 * the offer's Co-sell with Microsoft tab, which the merge filled, and its co-sell requirements.
 */
export function mergedNoticeAttachment(request: SupportRequest, solution: Solution, t: Translator): CardAttachment {
  return noticeCard.render({
    heading: `${STATUS_GLYPHS.merged} ${t.t('notice.merged.heading')}`,
    body: t.t('notice.merged.body', { solution: solution.name, offer: request.offerName }),
    facts: [
      { label: t.t('merge.field.ocpSolutionId'), value: solution.id },
      { label: t.t('support.card.carriesOver'), value: carriedOverText(solution, t) },
      { label: t.t('support.card.requestId'), value: request.id },
    ],
    next: t.t('notice.merged.next', { offer: request.offerName }),
    actions: [
      openUrlAction(t.t('link.partnerCenterOffers'), LINKS.partnerCenterOffers),
      openUrlAction(t.t('notice.merged.link.coSell'), LINKS.coSellConfigure),
      openUrlAction(t.t('help.link.coSell'), LINKS.coSellRequirements),
      executeAction(t.t('button.solutions'), { verb: 'listSolutions' }),
    ],
  });
}

/** To the requester: partner support needs more information, in its own words. */
export function infoRequestedNoticeAttachment(request: SupportRequest, solution: Solution, t: Translator): CardAttachment {
  return noticeCard.render({
    heading: `${STATUS_GLYPHS.pendingAction} ${t.t('notice.info.heading')}`,
    body: t.t('notice.info.body', { requestId: request.id, solution: solution.name }),
    ...(request.infoNeeded && { quote: request.infoNeeded }),
    facts: requestDetails(request, t),
    next: t.t('notice.info.next'),
    actions: [
      openUrlAction(t.t('button.partnerSupport'), LINKS.partnerSupport),
      executeAction(t.t('button.help'), { verb: 'help' }),
      executeAction(t.t('button.solutions'), { verb: 'listSolutions' }),
    ],
  });
}

/** How fresh the offers are: when Partner Center was last read, and whether the last try failed. */
function syncText(sync: SyncState, t: Translator): string {
  const failing = sync.lastErrorAt && (!sync.lastSuccessAt || sync.lastErrorAt > sync.lastSuccessAt);
  if (failing && sync.lastErrorAt) {
    const date = t.dateTime(sync.lastErrorAt);
    return sync.lastSuccessAt
      ? t.t('status.sync.failed', { date, since: t.dateTime(sync.lastSuccessAt) })
      : t.t('status.sync.failedNever', { date });
  }
  return sync.lastSuccessAt ? t.t('status.sync.ok', { date: t.dateTime(sync.lastSuccessAt) }) : t.t('status.sync.pending');
}

/**
 * Typed words the bot did not understand: a short answer with what one can type, and the two
 * buttons that lead on (the overview's first two), not the whole overview again.
 */
export function notUnderstoodAttachment(t: Translator): CardAttachment {
  return noticeCard.render({
    heading: t.t('typed.notUnderstood.heading'),
    body: t.t('typed.notUnderstood'),
    facts: [],
    actions: [
      submitAction(t.t('button.solutions'), { verb: 'listSolutions' }, 'positive'),
      submitAction(t.t('button.help'), { verb: 'help' }),
    ],
  });
}
