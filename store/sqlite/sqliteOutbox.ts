import type { AttemptFailure, OutboxBacklog, OutboxQueue, Pacing, QueuedJob } from '../../domain/ports/outbox';
import { JOB_COLUMNS, queuedJobOf, type JobRow } from '../outboxPayloads';
import type { SqliteDatabase } from './database';

/** The outbox table as a queue for the dispatcher; the one process that holds the store sends it all. */
export class SqliteOutbox implements OutboxQueue {
  private readonly selectDue;
  private readonly selectNextDue;
  private readonly selectBacklog;
  private readonly markDelivered;
  private readonly markRetry;
  private readonly markFailed;
  private readonly selectAnswered;

  constructor(db: SqliteDatabase) {
    // The head of each ordering key's queue: a later job waits until the one before it is done.
    this.selectDue = db.prepare<[number, number], JobRow>(
      `SELECT ${JOB_COLUMNS} FROM outbox o
       WHERE state = 'pending' AND next_attempt_at <= ?
         AND id = (SELECT min(id) FROM outbox h WHERE h.state = 'pending' AND h.ordering_key = o.ordering_key)
       ORDER BY next_attempt_at, id LIMIT ?`,
    );
    this.selectNextDue = db.prepare<[], { at: number | null }>(
      `SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending'`,
    );
    this.selectBacklog = db.prepare<[], { pending: number; oldest: number | null }>(
      `SELECT count(*) AS pending, min(created_at) AS oldest FROM outbox WHERE state = 'pending'`,
    );
    this.markDelivered = db.prepare<[number, number]>(
      `UPDATE outbox SET state = 'delivered', attempts = attempts + 1, finished_at = ?, last_error = NULL WHERE id = ?`,
    );
    this.markRetry = db.prepare<[number, number | null, string, number]>(
      `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_status = ?, last_error = ? WHERE id = ?`,
    );
    this.markFailed = db.prepare<[number, number | null, string, number]>(
      `UPDATE outbox SET state = 'failed', attempts = attempts + 1, finished_at = ?, last_status = ?, last_error = ? WHERE id = ?`,
    );
    this.selectAnswered = {
      conversation: db.prepare<[string, number], { at: number }>(
        'SELECT finished_at AS at FROM outbox WHERE pace_conversation = ? AND finished_at >= ? ORDER BY finished_at',
      ),
      tenant: db.prepare<[string, number], { at: number }>(
        'SELECT finished_at AS at FROM outbox WHERE pace_tenant = ? AND finished_at >= ? ORDER BY finished_at',
      ),
    };
  }

  async due(now: Date, limit: number): Promise<readonly QueuedJob[]> {
    for (;;) {
      const jobs: QueuedJob[] = [];
      let failedAny = false;
      for (const row of this.selectDue.all(now.getTime(), limit)) {
        const queued = queuedJobOf(row);
        if (queued.ok) {
          jobs.push(queued.job);
          continue;
        }
        // A row no code can send would hold its ordering key forever: it fails, saying why.
        this.markFailed.run(now.getTime(), null, queued.problem, row.id);
        failedAny = true;
      }
      // Failing a row makes the next job of its key the head: look again rather than answer "nothing due".
      if (jobs.length > 0 || !failedAny) return jobs;
    }
  }

  async nextDueAt(): Promise<Date | undefined> {
    const at = this.selectNextDue.get()?.at;
    return at === null || at === undefined ? undefined : new Date(at);
  }

  async backlog(): Promise<OutboxBacklog> {
    const row = this.selectBacklog.get();
    if (!row || row.oldest === null) return { pending: 0 };
    return { pending: row.pending, oldestCreatedAt: new Date(row.oldest) };
  }

  async delivered(jobId: number, at: Date): Promise<void> {
    this.markDelivered.run(at.getTime(), jobId);
  }

  async retryAt(jobId: number, at: Date, failure: AttemptFailure): Promise<void> {
    this.markRetry.run(at.getTime(), failure.status ?? null, failure.error.slice(0, 1000), jobId);
  }

  async failed(jobId: number, at: Date, failure: AttemptFailure): Promise<void> {
    this.markFailed.run(at.getTime(), failure.status ?? null, failure.error.slice(0, 1000), jobId);
  }

  async answeredSince(scope: keyof Pacing, key: string, since: Date): Promise<readonly Date[]> {
    return this.selectAnswered[scope].all(key, since.getTime()).map((row) => new Date(row.at));
  }
}
