import type { CertificationChange, Offer, PublishingState, Solution, Subscription } from '../domain/model';
import type { Translator } from '../locales/i18n';
import { openUrlAction, type CardAttachment } from './cardTemplate';
import { LINKS } from './links';
import { noticeCard, type NoticeCardData } from './notice';
import { executeButton, offerTypeLabel, storefrontLabel } from './views';

const STATUS_COLORS: Readonly<Record<CertificationChange['status'], NoticeCardData['color']>> = {
  inCertification: 'Accent',
  certificationFailed: 'Attention',
  previewReady: 'Warning',
  live: 'Good',
};

export function publishingStateLabel(state: PublishingState, t: Translator): string {
  return t.t(`publishingState.${state}`);
}

/** A certification status change, with what the partner does next. */
export function certificationAttachment(change: CertificationChange, offer: Offer, t: Translator): CardAttachment {
  const status = publishingStateLabel(change.status, t);
  return noticeCard.render({
    heading: t.t('certification.heading', { offer: offer.name, status }),
    color: STATUS_COLORS[change.status],
    body: t.t(`certification.next.${change.status}`),
    ...(change.detail && { quote: change.detail }),
    facts: [
      {
        label: t.t('merge.field.offerType'),
        value: `${offerTypeLabel(offer.type, t)} · ${storefrontLabel(offer.storefront, t)}`,
      },
      { label: t.t('certification.offerId'), value: offer.id },
      { label: t.t('status.title'), value: status },
    ],
    actions: [
      ...(change.reportUrl ? [openUrlAction(t.t('certification.link.report'), change.reportUrl)] : []),
      ...(change.status === 'live' && offer.listingUrl
        ? [openUrlAction(t.t('certification.link.listing'), offer.listingUrl)]
        : []),
      openUrlAction(t.t('link.partnerCenterOffers'), LINKS.partnerCenterOffers),
      ...(change.status === 'live' ? [executeButton(t.t('button.solutions'), { verb: 'listSolutions' })] : []),
    ],
  });
}

/** To someone waiting with solutions for a new offer: an offer of their partner is live; merge into it. */
export function offerLiveAttachment(offer: Offer, solutions: readonly Solution[], t: Translator): CardAttachment {
  return noticeCard.render({
    heading: t.t('offerLive.heading', { offer: offer.name }),
    color: 'Good',
    body: t.t('offerLive.body', { offer: offer.name }),
    facts: [
      {
        label: t.t('merge.field.offerType'),
        value: `${offerTypeLabel(offer.type, t)} · ${storefrontLabel(offer.storefront, t)}`,
      },
      ...(offer.listingUrl ? [{ label: t.t('merge.field.listingUrl'), value: offer.listingUrl }] : []),
    ],
    actions: solutions.map((solution) =>
      executeButton(
        t.t('offerLive.merge', { solution: solution.name }),
        { verb: 'selectOffer', solutionId: solution.id, offerId: offer.id },
        'positive',
      ),
    ),
  });
}

/** What a conversation hears about, and where each of the partner's offers stands. */
export function subscriptionStatusAttachment(
  partner: string,
  subscription: Subscription | undefined,
  offers: readonly Offer[],
  t: Translator,
): CardAttachment {
  return noticeCard.render({
    heading: t.t('status.heading'),
    color: subscription ? 'Good' : 'Default',
    body: subscription
      ? t.t('status.subscribed', { partner, date: t.date(subscription.subscribedAt), name: subscription.subscribedBy.name })
      : t.t('status.notSubscribed', { partner }),
    facts: offers.map((offer) => ({ label: offer.name, value: publishingStateLabel(offer.publishingState, t) })),
    ...(offers.length === 0 && { next: t.t('status.noOffers', { partner }) }),
    actions: subscription ? [] : [executeButton(t.t('button.subscribe'), { verb: 'subscribe' }, 'positive')],
  });
}

/** Posted in a team's channel when the bot is added there: offers to subscribe it. */
export function installOfferAttachment(partner: string, t: Translator): CardAttachment {
  return noticeCard.render({
    heading: t.t('status.heading'),
    color: 'Accent',
    body: t.t('install.team.offer', { partner }),
    facts: [],
    actions: [executeButton(t.t('button.subscribe'), { verb: 'subscribe' }, 'positive')],
  });
}
