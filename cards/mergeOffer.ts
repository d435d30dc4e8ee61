import type { MergeStart } from '../domain/migrationService';
import type { Offer } from '../domain/model';
import type { Translator } from '../locales/i18n';
import { CardTemplate, submitAction, type ActionJson, type CardAttachment } from './cardTemplate';
import { idLabel, offerTypeLabel, storefrontLabel } from './labels';
import template from './mergeOffer.json';
import type { Viewer } from './viewer';

export interface OfferChoice {
  /** The offer's name, type and storefront. */
  readonly title: string;
  readonly value: string;
}

/** Action 1 of a merge: choose a live offer, or give the listing's URL; then Continue. */
export interface MergeOfferCardData {
  readonly title: string;
  readonly name: string;
  readonly idLabel: string;
  readonly step: string;
  readonly intro: string;
  readonly offersLabel: string;
  readonly offersStyle: 'expanded' | 'compact';
  readonly offers: readonly OfferChoice[];
  /** The offer chosen last time, kept so that the user can correct the rest. */
  readonly offerId: string;
  readonly note?: string;
  readonly listingUrlLabel: string;
  readonly listingUrlPlaceholder: string;
  /** What the user typed last time, kept so that they can correct it. */
  readonly listingUrl: string;
  readonly error?: string;
  readonly hint: string;
  readonly actions: readonly ActionJson[];
}

const mergeOfferCard = new CardTemplate<MergeOfferCardData>(template);

/** Offers beyond this many are reached by their listing URL; a card stays readable and small. */
export const MAX_OFFERS_ON_CARD = 25;
/** Up to this many offers are drawn as radio buttons, all in view; more go in a drop-down. */
const MAX_EXPANDED_OFFERS = 8;

export function offerLine(offer: Offer, t: Translator): string {
  return t.t('merge.offer.line', { type: offerTypeLabel(offer.type, t), storefront: storefrontLabel(offer.storefront, t) });
}

export function mergeOfferAttachment(
  start: MergeStart,
  viewer: Viewer,
  flow: string,
  retry: { readonly offerId?: string; readonly listingUrl?: string; readonly error?: string } = {},
): CardAttachment {
  const { t } = viewer;
  const { solution, liveOffers } = start;
  const on = { solutionId: solution.id, origin: 'solution' as const, flow };
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
    offersLabel: t.t('merge.offers.label'),
    offersStyle: shown.length > MAX_EXPANDED_OFFERS ? 'compact' : 'expanded',
    offers: shown.map((offer) => ({
      title: t.t('merge.offer.choice', { name: offer.name, line: offerLine(offer, t) }),
      value: offer.id,
    })),
    offerId: shown.some((offer) => offer.id === retry.offerId) ? (retry.offerId ?? '') : '',
    ...(note && { note }),
    listingUrlLabel: t.t('merge.listingUrl.label'),
    listingUrlPlaceholder: t.t('merge.listingUrl.placeholder'),
    listingUrl: retry.listingUrl ?? '',
    ...(retry.error && { error: retry.error }),
    hint: t.t('merge.action1.hint'),
    actions: [
      submitAction(t.t('button.continue'), { verb: 'selectOffer', ...on }, 'positive'),
      submitAction(t.t('button.cancel'), { verb: 'cancel', ...on }, 'default', { associatedInputs: 'none' }),
    ],
  });
}
