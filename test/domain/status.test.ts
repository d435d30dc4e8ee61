import { MIGRATION_EVENTS, MIGRATION_STATUSES, type MigrationEvent, type MigrationStatus } from '../../domain/model';
import { LIST_ORDER, nextStatus } from '../../domain/status';

const ALLOWED: readonly [MigrationStatus, MigrationEvent, MigrationStatus][] = [
  ['pendingAction', 'discard', 'discarded'],
  ['discarded', 'undoDiscard', 'pendingAction'],
  ['pendingAction', 'awaitNewOffer', 'awaitingNewOffer'],
  ['awaitingNewOffer', 'setAwaitedOffer', 'awaitingNewOffer'],
  ['pendingAction', 'requestMerge', 'mergeRequested'],
  ['awaitingNewOffer', 'requestMerge', 'mergeRequested'],
  ['mergeRequested', 'completeMerge', 'merged'],
];

describe('the migration state machine', () => {
  test.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(nextStatus(from, event)).toEqual({ ok: true, to });
  });

  const refused = MIGRATION_STATUSES.flatMap((from) =>
    MIGRATION_EVENTS.filter((event) => !ALLOWED.some(([f, e]) => f === from && e === event)).map(
      (event) => [from, event] as const,
    ),
  );

  test.each(refused)('%s refuses %s, naming the state and the event', (from, event) => {
    expect(nextStatus(from, event)).toEqual({ ok: false, from, event });
  });

  test('migrated-as-draft solutions have no way out: what remains is publishing the draft', () => {
    expect(MIGRATION_EVENTS.filter((event) => nextStatus('migratedAsDraft', event).ok)).toEqual([]);
  });

  test('the list order names every status once, pending action first', () => {
    expect([...LIST_ORDER].sort()).toEqual([...MIGRATION_STATUSES].sort());
    expect(LIST_ORDER[0]).toBe('pendingAction');
  });
});
