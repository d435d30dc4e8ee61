import type { AwaitedOffer, Offer } from './model';

/** As long as a marketplace offer name may be. */
export const AWAITED_OFFER_NAME_MAX = 200;

/** What a user said about the offer a solution waits for: one of the partner's offers, a name, or neither. */
export interface AwaitedOfferInput {
  readonly offerId?: string;
  readonly offerName?: string;
}

/**
 * How an offer that went live stands to what a waiting solution waits for: it is that offer, the
 * solution waits for no offer in particular (the user is asked), or it waits for another one.
 */
export type AwaitedMatch = 'awaited' | 'open' | 'other';

/** The same offer name, whatever the case, spacing or Unicode form it was typed in. */
export function sameOfferName(a: string, b: string): boolean {
  return offerNameKey(a) === offerNameKey(b);
}

function offerNameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('en-US');
}

/** By the offer's id when one was recorded, by its name otherwise. */
export function matchAwaited(offer: Pick<Offer, 'id' | 'name'>, awaited: AwaitedOffer | undefined): AwaitedMatch {
  if (!awaited) return 'open';
  if (awaited.offerId !== undefined) return awaited.offerId === offer.id ? 'awaited' : 'other';
  return sameOfferName(awaited.name, offer.name) ? 'awaited' : 'other';
}

/** A name as it is stored: trimmed, one space between words. */
export function cleanOfferName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ');
}
