import type { MigrationEvent, MigrationStatus } from './model';

interface TransitionRule {
  readonly from: readonly MigrationStatus[];
  readonly to: MigrationStatus;
}

/**
 * The migration state machine. "Migrated as a draft" has no way out here: those solutions left OCP
 * GTM through the migrate option removed on 17 May 2021, and what remains is publishing the draft in
 * Partner Center.
 */
export const TRANSITIONS: Readonly<Record<MigrationEvent, TransitionRule>> = {
  discard: { from: ['pendingAction'], to: 'discarded' },
  undoDiscard: { from: ['discarded'], to: 'pendingAction' },
  awaitNewOffer: { from: ['pendingAction'], to: 'awaitingNewOffer' },
  // Naming, changing or clearing the offer a waiting solution waits for.
  setAwaitedOffer: { from: ['awaitingNewOffer'], to: 'awaitingNewOffer' },
  requestMerge: { from: ['pendingAction', 'awaitingNewOffer'], to: 'mergeRequested' },
  completeMerge: { from: ['mergeRequested'], to: 'merged' },
};

export type TransitionOutcome =
  | { readonly ok: true; readonly to: MigrationStatus }
  | { readonly ok: false; readonly from: MigrationStatus; readonly event: MigrationEvent };

export function nextStatus(from: MigrationStatus, event: MigrationEvent): TransitionOutcome {
  const rule = TRANSITIONS[event];
  return rule.from.includes(from) ? { ok: true, to: rule.to } : { ok: false, from, event };
}

/** Order of the solutions list: what needs the user first, settled ones last. */
export const LIST_ORDER: readonly MigrationStatus[] = [
  'pendingAction',
  'migratedAsDraft',
  'awaitingNewOffer',
  'mergeRequested',
  'merged',
  'discarded',
];

export function zeroCounts(): Record<MigrationStatus, number> {
  return { pendingAction: 0, awaitingNewOffer: 0, mergeRequested: 0, merged: 0, discarded: 0, migratedAsDraft: 0 };
}
