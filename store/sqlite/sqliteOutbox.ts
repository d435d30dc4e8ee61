import type { AttemptFailure, OutboxQueue, QueuedJob } from '../../domain/ports/outbox';
import { decodeMessage } from '../outboxPayloads';
import type { SqliteDatabase } from './database';

interface JobRow {
  id: number;
  kind: string;
  ordering_key: string;
  payload: string;
  attempts: number;
  created_at: number;
  pace_conversation: string | null;
  pace_tenant: string | null;
}

/** The outbox table as a queue for the dispatcher. */
export class SqliteOutbox implements OutboxQueue {
  private readonly selectDue;
  private readonly selectNextDue;
  private readonly markDelivered;
  private readonly markRetry;
  private readonly markFailed;

  constructor(db: SqliteDatabase) {
    // The head of each ordering key's queue: a later job waits until the one before it is done.
    this.selectDue = db.prepare<[number, number], JobRow>(
      `SELECT id, kind, ordering_key, payload, attempts, created_at, pace_conversation, pace_tenant FROM outbox o
       WHERE state = 'pending' AND next_attempt_at <= ?
         AND id = (SELECT min(id) FROM outbox h WHERE h.state = 'pending' AND h.ordering_key = o.ordering_key)
       ORDER BY next_attempt_at, id LIMIT ?`,
    );
    this.selectNextDue = db.prepare<[], { at: number | null }>(
      `SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending'`,
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
  }

  async due(now: Date, limit: number): Promise<readonly QueuedJob[]> {
    for (;;) {
      const jobs: QueuedJob[] = [];
      let failedAny = false;
      for (const row of this.selectDue.all(now.getTime(), limit)) {
        const decoded = decodeMessage(row.kind, row.payload);
        if (!decoded.ok) {
          // A row no code can send would hold its ordering key forever: it fails, saying why.
          this.markFailed.run(now.getTime(), null, `unreadable job: ${decoded.problem}`.slice(0, 1000), row.id);
          failedAny = true;
          continue;
        }
        jobs.push({
          id: row.id,
          ...decoded.message,
          orderingKey: row.ordering_key,
          attempts: row.attempts,
          createdAt: new Date(row.created_at),
          ...(row.pace_conversation !== null && {
            pacing: { conversation: row.pace_conversation, ...(row.pace_tenant !== null && { tenant: row.pace_tenant }) },
          }),
        });
      }
      // Failing a row makes the next job of its key the head: look again rather than answer "nothing due".
      if (jobs.length > 0 || !failedAny) return jobs;
    }
  }

  async nextDueAt(): Promise<Date | undefined> {
    const at = this.selectNextDue.get()?.at;
    return at === null || at === undefined ? undefined : new Date(at);
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
}
