import { z } from 'zod';
import type { OutboxKind, OutboxMessage, OutboxMessageOf, OutboxPayloads, QueuedJob } from '../domain/ports/outbox';

/**
 * How a job's payload is stored: as JSON, read back through the schema of its kind. Rows queued
 * before payloads were typed hold every value as a string, with solution ids joined by commas;
 * they are read here too, so that an upgrade sends what was pending.
 */
const changeId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);
const idList = z.union([z.array(z.string()), z.string().transform((joined) => joined.split(',').filter((id) => id !== ''))]);

const PAYLOAD_SCHEMAS: { readonly [K in OutboxKind]: z.ZodType<OutboxPayloads[K], unknown> } = {
  supportRequest: z.object({ requestId: z.string().min(1) }),
  requesterNotice: z.object({ requestId: z.string().min(1), notice: z.enum(['merged', 'infoRequested']) }),
  certificationCard: z.object({ changeId, conversationKey: z.string().min(1) }),
  offerLiveNotice: z.object({
    changeId,
    userId: z.string().min(1),
    address: z.string().min(1),
    locale: z.string(),
    solutionIds: idList,
  }),
};

export function encodePayload(message: OutboxMessage): string {
  return JSON.stringify(message.payload);
}

export type DecodedMessage =
  { readonly ok: true; readonly message: OutboxMessage } | { readonly ok: false; readonly problem: string };

/** A stored kind and payload as the message they are, or what is wrong with them. */
export function decodeMessage(kind: string, payload: string): DecodedMessage {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, problem: 'payload is not JSON' };
  }
  switch (kind) {
    case 'supportRequest':
      return decodeAs('supportRequest', json);
    case 'requesterNotice':
      return decodeAs('requesterNotice', json);
    case 'certificationCard':
      return decodeAs('certificationCard', json);
    case 'offerLiveNotice':
      return decodeAs('offerLiveNotice', json);
    default:
      return { ok: false, problem: `unknown kind ${JSON.stringify(kind)}` };
  }
}

function decodeAs<K extends OutboxKind>(
  kind: K,
  json: unknown,
): { ok: true; message: OutboxMessageOf<K> } | { ok: false; problem: string } {
  const parsed = PAYLOAD_SCHEMAS[kind].safeParse(json);
  if (parsed.success) return { ok: true, message: { kind, payload: parsed.data } };
  return { ok: false, problem: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') };
}

/** An outbox row as both stores return it. */
export interface JobRow {
  id: number;
  kind: string;
  ordering_key: string;
  payload: string;
  attempts: number;
  created_at: number;
  pace_conversation: string | null;
  pace_tenant: string | null;
}

export const JOB_COLUMNS = 'id, kind, ordering_key, payload, attempts, created_at, pace_conversation, pace_tenant';

/** A stored job as the sender sees it, or why it cannot be sent. */
export function queuedJobOf(
  row: JobRow,
): { readonly ok: true; readonly job: QueuedJob } | { readonly ok: false; readonly problem: string } {
  const decoded = decodeMessage(row.kind, row.payload);
  if (!decoded.ok) return { ok: false, problem: `unreadable job: ${decoded.problem}`.slice(0, 1000) };
  return {
    ok: true,
    job: {
      id: row.id,
      ...decoded.message,
      orderingKey: row.ordering_key,
      attempts: row.attempts,
      createdAt: new Date(row.created_at),
      ...(row.pace_conversation !== null && {
        pacing: { conversation: row.pace_conversation, ...(row.pace_tenant !== null && { tenant: row.pace_tenant }) },
      }),
    },
  };
}
