import type { OutboxJob } from '../../domain/ports/outbox';
import { encodePayload } from '../outboxPayloads';
import type { SqliteDatabase } from './database';

type JobInsert = ReturnType<typeof prepareJobInsert>;

/** Adds a job unless one with its dedupe key is already stored: a repeat queues nothing. */
export function prepareJobInsert(db: SqliteDatabase) {
  return db.prepare<[string, string, string, string, string | null, string | null, number, number]>(
    `INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, pace_conversation, pace_tenant, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (dedupe_key) DO NOTHING`,
  );
}

/** Inside the caller's transaction: the jobs commit or roll back with the change that made them. */
export function queueJobs(insert: JobInsert, jobs: readonly OutboxJob[], at: Date): number {
  let queued = 0;
  for (const job of jobs) {
    const { changes } = insert.run(
      job.kind,
      job.dedupeKey,
      job.orderingKey,
      encodePayload(job),
      job.pacing?.conversation ?? null,
      job.pacing?.tenant ?? null,
      at.getTime(),
      at.getTime(),
    );
    queued += changes;
  }
  return queued;
}
