import type { AttemptFailure, OutboxBacklog, OutboxQueue, Pacing, QueuedJob } from '../../domain/ports/outbox';
import { JOB_COLUMNS, queuedJobOf, type JobRow } from '../outboxPayloads';
import type { Queryable } from './database';

export interface PgOutboxOptions {
  /** This instance, as its claims and leases name it. */
  readonly holder: string;
  /** How long a claim on a job, or the sending under a pacing key, lasts unless renewed. */
  readonly leaseMs: number;
  /**
   * How long a lapsed pacing key stays untaken: its holder may have sends out that it started before
   * the lapse, and a new holder's pacer cannot count what is not answered yet. The connector timeout.
   */
  readonly takeoverGraceMs?: number;
}

/**
 * The outbox shared by several instances. A job is claimed before it is sent, for `leaseMs`, so that
 * one instance sends it; a job claimed by an instance that died is taken over when the claim lapses.
 * Only the head of an ordering key is claimed, so order per key holds across instances. Sends to
 * Teams go out under a pacing key (the tenant, or the conversation without one) that one instance
 * at a time holds: that instance's pacer sees every send under it, so Teams' windows hold for all
 * instances together; one that takes a key over first counts what was sent under it lately
 * (answeredSince). An instance lets its keys go when it has nothing left to send under them. Each
 * holding of a key has a term of its own, given with the jobs claimed under it: an instance that
 * takes a key back knows by it that what it counted there before is stale.
 */
export class PgOutbox implements OutboxQueue {
  constructor(
    private readonly db: Queryable,
    private readonly options: PgOutboxOptions,
  ) {}

  async due(now: Date, limit: number): Promise<readonly QueuedJob[]> {
    const { holder, leaseMs } = this.options;
    const at = now.getTime();
    const lapsedBefore = at - (this.options.takeoverGraceMs ?? 0);
    // Renews this instance's keys, and takes one more that has a job due and is free or lapsed: one
    // at a time, so that instances sweeping together share the keys rather than one taking them all.
    await this.db.query('UPDATE sender_leases SET until = $2 WHERE holder = $1', [holder, at + leaseMs]);
    await this.db.query(
      `INSERT INTO sender_leases (pace_key, holder, until)
       SELECT o.pace_key, $1::text, $2::bigint FROM outbox o LEFT JOIN sender_leases l ON l.pace_key = o.pace_key
       WHERE o.state = 'pending' AND o.next_attempt_at <= $3 AND o.pace_key IS NOT NULL AND (l.pace_key IS NULL OR l.until < $4)
       ORDER BY o.next_attempt_at, o.id
       LIMIT 1
       ON CONFLICT (pace_key) DO UPDATE SET holder = excluded.holder, until = excluded.until,
         term = nextval('sender_lease_terms')
       WHERE sender_leases.until < $4`,
      [holder, at + leaseMs, at, lapsedBefore],
    );
    for (;;) {
      const { rows } = await this.db.query<JobRow & { next_attempt_at: number; pacing_term: number | null }>(
        `UPDATE outbox SET claimed_by = $1, claim_until = $2
         WHERE id IN (
           SELECT o.id FROM outbox o
           WHERE o.state = 'pending' AND o.next_attempt_at <= $3
             -- This instance's own claims come back: jobs its pacer held back, as nothing of it is
             -- in flight between two sweeps.
             AND (o.claim_until IS NULL OR o.claim_until < $3 OR o.claimed_by = $1)
             AND o.id = (SELECT min(h.id) FROM outbox h WHERE h.state = 'pending' AND h.ordering_key = o.ordering_key)
             AND (o.pace_key IS NULL OR EXISTS (
               SELECT 1 FROM sender_leases l WHERE l.pace_key = o.pace_key AND l.holder = $1 AND l.until >= $3))
           ORDER BY o.next_attempt_at, o.id
           LIMIT $4
           FOR UPDATE SKIP LOCKED)
         RETURNING ${JOB_COLUMNS}, next_attempt_at,
           (SELECT l.term FROM sender_leases l WHERE l.pace_key = outbox.pace_key) AS pacing_term`,
        [holder, at + leaseMs, at, limit],
      );
      const jobs: QueuedJob[] = [];
      let failedAny = false;
      for (const row of rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id)) {
        const queued = queuedJobOf(row);
        if (queued.ok) {
          jobs.push(row.pacing_term === null ? queued.job : { ...queued.job, pacingTerm: row.pacing_term });
          continue;
        }
        // A row no code can send would hold its ordering key forever: it fails, saying why.
        await this.finish(row.id, 'failed', at, { error: queued.problem });
        failedAny = true;
      }
      if (jobs.length > 0 || !failedAny) {
        if (rows.length === 0) await this.releaseIdleKeys();
        return jobs;
      }
    }
  }

  /**
   * When something may next be sent by this instance: a job falls due, a claim lapses, or a pacing
   * key that another instance holds comes free.
   */
  async nextDueAt(): Promise<Date | undefined> {
    const { rows } = await this.db.query<{ at: number | null }>(
      `SELECT min(greatest(o.next_attempt_at, coalesce(o.claim_until, 0),
                           CASE WHEN l.holder <> $1 THEN l.until + $2 ELSE 0 END)) AS at
       FROM outbox o LEFT JOIN sender_leases l ON l.pace_key = o.pace_key
       WHERE o.state = 'pending'`,
      [this.options.holder, this.options.takeoverGraceMs ?? 0],
    );
    const at = rows[0]?.at;
    return at === null || at === undefined ? undefined : new Date(at);
  }

  async backlog(): Promise<OutboxBacklog> {
    const { rows } = await this.db.query<{ pending: number; oldest: number | null }>(
      `SELECT count(*) AS pending, min(created_at) AS oldest FROM outbox WHERE state = 'pending'`,
    );
    const row = rows[0];
    if (!row || row.oldest === null) return { pending: 0 };
    return { pending: row.pending, oldestCreatedAt: new Date(row.oldest) };
  }

  // Only a pending job moves on: an instance whose claim lapsed while it sent must not undo what the
  // instance that took the job over recorded.
  async delivered(jobId: number, at: Date): Promise<void> {
    await this.finish(jobId, 'delivered', at.getTime());
  }

  async retryAt(jobId: number, at: Date, failure: AttemptFailure): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, last_status = $2, last_error = $3,
         claimed_by = NULL, claim_until = NULL
       WHERE id = $4 AND state = 'pending'`,
      [at.getTime(), failure.status ?? null, failure.error.slice(0, 1000), jobId],
    );
  }

  async failed(jobId: number, at: Date, failure: AttemptFailure): Promise<void> {
    await this.finish(jobId, 'failed', at.getTime(), failure);
  }

  async answeredSince(scope: keyof Pacing, key: string, since: Date): Promise<readonly Date[]> {
    const column = scope === 'conversation' ? 'pace_conversation' : 'pace_tenant';
    const { rows } = await this.db.query<{ at: number }>(
      `SELECT finished_at AS at FROM outbox WHERE ${column} = $1 AND finished_at >= $2 ORDER BY finished_at`,
      [key, since.getTime()],
    );
    return rows.map((row) => new Date(row.at));
  }

  /** A finished job keeps the name of the instance that sent it, for whoever looks into a delivery. */
  private async finish(jobId: number, state: 'delivered' | 'failed', at: number, failure?: AttemptFailure): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET state = $1, attempts = attempts + 1, finished_at = $2, last_status = $3, last_error = $4,
         claim_until = NULL
       WHERE id = $5 AND state = 'pending'`,
      [state, at, failure?.status ?? null, failure ? failure.error.slice(0, 1000) : null, jobId],
    );
  }

  /** Keys this instance holds with nothing pending under them go free, for whoever has something next. */
  private async releaseIdleKeys(): Promise<void> {
    await this.db.query(
      `DELETE FROM sender_leases l WHERE l.holder = $1
       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.state = 'pending' AND o.pace_key = l.pace_key)`,
      [this.options.holder],
    );
  }
}
