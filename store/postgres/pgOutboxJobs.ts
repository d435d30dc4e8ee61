import type { OutboxJob } from '../../domain/ports/outbox';
import { encodePayload } from '../outboxPayloads';
import type { Queryable } from './database';

/**
 * Adds the jobs inside the caller's transaction, so that they commit or roll back with the change
 * that made them; a job whose dedupe key is already stored is a repeat and adds nothing.
 */
export async function queueJobs(client: Queryable, jobs: readonly OutboxJob[], at: Date): Promise<number> {
  if (jobs.length === 0) return 0;
  // One statement for the lot: a certification change fans out to every subscribed channel.
  const { rowCount } = await client.query(
    `INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, pace_conversation, pace_tenant, next_attempt_at, created_at)
     SELECT kind, dedupe_key, ordering_key, payload, pace_conversation, pace_tenant, $7, $7
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       WITH ORDINALITY AS j(kind, dedupe_key, ordering_key, payload, pace_conversation, pace_tenant, n)
     ORDER BY n
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      jobs.map((job) => job.kind),
      jobs.map((job) => job.dedupeKey),
      jobs.map((job) => job.orderingKey),
      jobs.map((job) => encodePayload(job)),
      jobs.map((job) => job.pacing?.conversation ?? null),
      jobs.map((job) => job.pacing?.tenant ?? null),
      at.getTime(),
    ],
  );
  return rowCount ?? 0;
}
