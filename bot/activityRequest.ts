import type { Activity } from 'botbuilder';
import { z } from 'zod';

const account = z.looseObject({ id: z.string().min(1).max(512), name: z.string().max(512).optional() });
const timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), { error: 'must be a date and time' });

/**
 * What an incoming activity must have before the adapter sees it: enough to know who wrote, where,
 * and where to answer. Anything else is a bad request, answered 400 with the reasons.
 */
export const activityRequestSchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
  // Visible ASCII, as every channel's ids are: the id goes into the connector's URLs and headers.
  conversation: z.looseObject({
    id: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[\x21-\x7e]+$/, { error: 'must be visible ASCII characters' }),
    tenantId: z.string().max(128).optional(),
  }),
  from: account,
  recipient: account.optional(),
  text: z.string().max(28_000).optional(),
  locale: z.string().max(32).optional(),
  localTimezone: z.string().max(64).optional(),
  replyToId: z.string().max(512).optional(),
  name: z.string().max(256).optional(),
  timestamp: timestamp.optional(),
  localTimestamp: timestamp.optional(),
  expiration: timestamp.optional(),
  entities: z
    .array(z.looseObject({ type: z.string() }))
    .max(64)
    .optional(),
  attachments: z
    .array(z.looseObject({ contentType: z.string() }))
    .max(64)
    .optional(),
  membersAdded: z.array(account).max(1000).optional(),
  membersRemoved: z.array(account).max(1000).optional(),
});

export type ActivityRequest =
  { readonly ok: true; readonly activity: Activity } | { readonly ok: false; readonly problems: readonly string[] };

/** The activity in a request body, with its timestamps as dates, or why the body is not one. */
export function readActivity(body: unknown): ActivityRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: ['the body must be a JSON activity object'] };
  }
  const parsed = activityRequestSchema.safeParse(body);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`) };
  }
  const { timestamp, localTimestamp, expiration } = parsed.data;
  // Checked above for what this bot and botbuilder read; the rest of an activity passes through as sent.
  const activity = {
    ...parsed.data,
    ...(timestamp && { timestamp: new Date(timestamp), rawTimestamp: timestamp }),
    ...(localTimestamp && { localTimestamp: new Date(localTimestamp), rawLocalTimestamp: localTimestamp }),
    ...(expiration && { expiration: new Date(expiration), rawExpiration: expiration }),
  } as unknown as Activity;
  return { ok: true, activity };
}
