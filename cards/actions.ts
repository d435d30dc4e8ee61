import { z } from 'zod';

/**
 * The card verbs of ../shared/CONTRACT.md and what each carries. Cards build their button data from
 * these types and the bot validates what comes back with the same schemas.
 */
const solutionId = z.string().trim().min(1).max(100);
const optionalText = z.string().max(2000).optional();
const requestId = z.string().trim().min(1).max(64);

/**
 * Which card a button sits on, so that the bot can redraw that card in place; and on a card of a
 * flow (a merge, a discard, the migration options), which flow, so that a press on the card of a
 * flow that has ended changes nothing.
 */
const origin = {
  origin: z.enum(['list', 'solution']).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).optional(),
  flow: z.string().trim().min(1).max(64).optional(),
};

export const ACTION_SCHEMAS = {
  listSolutions: z.object({ ...origin }),
  beginMigration: z.object({ solutionId, ...origin }),
  showSolution: z.object({ solutionId, ...origin }),
  chooseMerge: z.object({ solutionId, ...origin }),
  // The offer the solution will wait for may come with it, from inputs of these names.
  chooseNoSimilarOffer: z.object({ solutionId, awaitedOfferId: optionalText, awaitedOfferName: optionalText, ...origin }),
  /** Asks which offer a waiting solution waits for; `notOfferId` is a live offer the user said it is not. */
  chooseAwaitedOffer: z.object({ solutionId, notOfferId: z.string().trim().min(1).max(200).optional(), ...origin }),
  /** Neither an offer nor a name, or `clear`, leaves it waiting for no offer in particular. */
  setAwaitedOffer: z.object({
    solutionId,
    awaitedOfferId: optionalText,
    awaitedOfferName: optionalText,
    clear: z.boolean().optional(),
    ...origin,
  }),
  chooseDiscard: z.object({ solutionId, ...origin }),
  confirmDiscard: z.object({ solutionId, ...origin }),
  undoDiscard: z.object({ solutionId, ...origin }),
  // Action 1's Continue carries the chosen offer (input offerId) or the listing URL (input listingUrl);
  // the dialog answers a press with neither or both. An offer-live notice carries offerId as data.
  selectOffer: z.object({ solutionId, offerId: z.string().trim().max(200).optional(), listingUrl: optionalText, ...origin }),
  useListingUrl: z.object({ solutionId, listingUrl: optionalText, ...origin }),
  submitMerge: z.object({
    solutionId,
    offerType: optionalText,
    offerName: optionalText,
    ocpSolutionId: optionalText,
    listingUrl: optionalText,
    ...origin,
  }),
  publishingSteps: z.object({ solutionId, ...origin }),
  cancel: z.object({ solutionId: solutionId.optional(), ...origin }),
  // From an overdue request's card, the solution it is about: help follows that request up.
  help: z.object({ solutionId: solutionId.optional(), ...origin }),
  subscribe: z.object({ ...origin }),
  // On the partner support team's card in its channel.
  completeMerge: z.object({ requestId }),
  requestInfo: z.object({ requestId, infoNeeded: optionalText }),
} as const;

/** Verbs that partner support uses, not partner members. */
export const SUPPORT_VERBS = ['completeMerge', 'requestInfo'] as const satisfies readonly Verb[];

export type Verb = keyof typeof ACTION_SCHEMAS;

export type CardAction = { [V in Verb]: { readonly verb: V } & z.output<(typeof ACTION_SCHEMAS)[V]> }[Verb];
export type ActionOf<V extends Verb> = Extract<CardAction, { verb: V }>;

export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ACTION_SCHEMAS, value);
}
