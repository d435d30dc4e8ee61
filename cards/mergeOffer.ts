import type { MergeStart } from '../domain/migrationService';
import type { Offer } from '../domain/model';
import type { Translator } from '../locales/i18n';
import { CardTemplate, submitAction, type ActionJson, type CardAttachment } from './cardTemplate';
import { idLabel, offerTypeLabel, storefrontLabel } from './labels';
import template from './mergeOffer.json';
import type { Viewer } from './viewer';

export interface OfferChoiceRow {
  readonly name: string;
  /** Offer type and storefront. */
  readonly line: string;
  readonly button: ActionJson;
}

/** Action 1 of a merge: pick a live offer, or give the listing's URL. */
export interface MergeOfferCardData {
  readonly title: string;
  readonly name: string;
  readonly idLabel: string;
  readonly step: string;
  readonly intro: string;
  readonly offers: readonly OfferChoiceRow[];
  readonly note?: string;
  readonly listingUrlLabel: string;
  readonly listingUrlPlaceholder: string;
  /** What the user typed last time, kept so that they can correct it. */
  readonly listingUrl: string;
  readonly error?: string;
  readonly useUrl: ActionJson;
  readonly hint: string;
  readonly actions: readonly ActionJson[];
}

const mergeOfferCard = new CardTemplate<MergeOfferCardData>(template);

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
    useUrl: submitAction(t.t('button.useUrl'), { verb: 'useListingUrl', ...on }),
    hint: t.t('merge.action1.hint'),
    actions: [submitAction(t.t('button.cancel'), { verb: 'cancel', ...on })],
  });
}
