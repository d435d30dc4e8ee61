import type { ListingUrlProblem } from './listingUrl';
import type { FieldProblem, MergeDetails } from './mergeDetails';
import type { CertificationChange, MigrationEvent, Offer, PartnerRole, Solution, SupportRequest } from './model';

/** Why the domain said no. The bot turns each code into words; the domain has none of its own. */
export type Refusal =
  | { readonly code: 'solutionNotFound'; readonly solutionId: string }
  | { readonly code: 'notPermitted'; readonly role: PartnerRole }
  /** A migration decision was asked for a solution that no longer waits for one. */
  | { readonly code: 'notPending'; readonly solution: Solution }
  | { readonly code: 'illegalTransition'; readonly event: MigrationEvent; readonly solution: Solution }
  /** Others kept changing the solution while we tried; `solution` is how it stands now. */
  | { readonly code: 'concurrentChange'; readonly event: MigrationEvent; readonly solution: Solution }
  | { readonly code: 'offerNotFound'; readonly offerId: string }
  | { readonly code: 'offerNotLive'; readonly offer: Offer }
  | { readonly code: 'invalidListingUrl'; readonly problem: ListingUrlProblem }
  /** The listing is another publisher's: `publishers` are the partner's own. */
  | { readonly code: 'otherPublisher'; readonly publisherId: string; readonly publishers: readonly string[] }
  /** The offer named as the one a solution waits for is not one of the partner's. */
  | { readonly code: 'awaitedOfferNotFound'; readonly offerId: string }
  /** The offer named as the one a solution waits for is live already: merge into it instead. */
  | { readonly code: 'awaitedOfferLive'; readonly offer: Offer }
  /** An offer was chosen and another name typed beside it: which one is meant is not clear. */
  | { readonly code: 'awaitedOfferAmbiguous'; readonly offer: Offer; readonly name: string }
  | { readonly code: 'invalidAwaitedOfferName' }
  /** Some issue details are not valid; `valid` holds the ones that are, to keep. */
  | { readonly code: 'invalidMergeDetails'; readonly valid: Partial<MergeDetails>; readonly problems: readonly FieldProblem[] }
  | { readonly code: 'requestNotFound'; readonly requestId: string }
  | { readonly code: 'requestCompleted'; readonly request: SupportRequest }
  | { readonly code: 'invalidInfoNeeded' }
  /** Subscriptions are for channels and group chats; a personal chat hears about its own solutions. */
  | { readonly code: 'subscriptionNeedsChannel' }
  /** A sender's idempotency key already stands for another change, `change`. */
  | { readonly code: 'idempotencyKeyReused'; readonly key: string; readonly change: CertificationChange };

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: Refusal };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function refused<T>(refusal: Refusal): Result<T> {
  return { ok: false, refusal };
}
