import { CardTemplate, type ActionJson } from './cardTemplate';
import template from './mergeOffer.json';

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

export const mergeOfferCard = new CardTemplate<MergeOfferCardData>(template);
