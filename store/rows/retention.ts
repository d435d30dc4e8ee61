/**
 * What the pruner deletes, as both stores run it: each statement is written once, for SQLite (`?`
 * placeholders, `rowid`), and PostgreSQL takes it through pgText (`$1…`, `ctid`).
 *
 * A table kept by id is walked in windows of consecutive ids from the oldest: one statement finds
 * where the next window ends, another deletes what may go within it. Each deletes at most a window
 * and holds no lock beyond itself, and the delete says in full what may go, whatever the window
 * saw: a row added or changed between the two is judged as it is then. Ids follow time, so the walk
 * ends at the first window with nothing older than the cutoff (a row that a skewed clock put out of
 * order is reached by a later run, whose cutoff is later).
 */

/** A window of at most `?` ids after `?`: where it ends, and the oldest time in it. */
function windowOf(table: string, time: string): string {
  return `SELECT max(id) AS upto, min(${time}) AS oldest FROM (SELECT id, ${time} FROM ${table} WHERE id > ? ORDER BY id LIMIT ?) w`;
}

/** Each takes the window's bounds (after, up to) and the cutoff, in milliseconds since the epoch. */
export const WINDOWED = {
  outbox: {
    window: windowOf('outbox', 'created_at'),
    // A pending job is never deleted, however old. A finished one is kept for its retention, which
    // is far longer than the pacer looks back (answeredSince, over the outbox_sent_by_* indexes:
    // Teams' longest window is an hour). A deleted job's dedupe key may be stored again, and never
    // is: every job is queued by the write that makes it due, which happens once (a change's new id,
    // a request's move to another state).
    delete: `DELETE FROM outbox WHERE id > ? AND id <= ? AND state IN ('delivered', 'failed') AND finished_at < ?`,
  },
  certificationChanges: {
    window: windowOf('certification_changes', 'received_at'),
    // Its idempotency key goes with a change: a key answers with the change it stands for.
    // Kept, however old: the newest change of each offer, by whose id the Partner Center sync keys
    // the next one (so that the key never goes back to one a kept change holds); and a change a
    // pending card or notice reads when it is sent. Jobs are queued in the change's transaction,
    // created when it was received: one pending then, of whatever change, keeps it.
    delete: `DELETE FROM certification_changes WHERE id > ? AND id <= ? AND received_at < ?
      AND id < (SELECT max(newer.id) FROM certification_changes newer WHERE newer.offer_id = certification_changes.offer_id)
      AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.state = 'pending' AND o.created_at = certification_changes.received_at)`,
  },
  auditEntries: {
    window: windowOf('audit_entries', 'at'),
    // The newest entry of each solution is what its card shows as its last change: it stays.
    delete: `DELETE FROM audit_entries WHERE id > ? AND id <= ? AND at < ?
      AND id < (SELECT max(newer.id) FROM audit_entries newer WHERE newer.solution_id = audit_entries.solution_id)`,
  },
} as const;

export type WindowedTarget = keyof typeof WINDOWED;

/**
 * Imports' audit trail goes by run, oldest first: a run's changes at most a window at a time (they
 * have no id of their own: by the row's address), then the run once none is left, as the foreign key
 * wants. Nothing reads them but people; nothing adds to a run once it is over.
 */
export const IMPORT_RUNS = {
  /** The oldest run after `?` older than `?`. */
  next: 'SELECT min(id) AS run FROM import_runs WHERE id > ? AND at < ?',
  /** Of run `?`, up to `?` changes. */
  changes: 'DELETE FROM import_changes WHERE rowid IN (SELECT rowid FROM import_changes WHERE run_id = ? LIMIT ?)',
  run: 'DELETE FROM import_runs WHERE id = ?',
} as const;
