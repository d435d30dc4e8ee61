import { createHash } from 'node:crypto';
import type restify from 'restify';
import { z } from 'zod';
import { linkProblem } from '../cards/links';
import { CERTIFICATION_STATUSES } from '../domain/model';
import type { NotificationService } from '../domain/notificationService';
import type { Logger } from './logger';
import { readJsonBody, refuseBody } from './requestBody';
import { bearerMatches } from './secrets';

/** What a release pipeline posts about an offer's certification; `reportUrl` must pass the link rule of cards. */
export function certificationChangeSchema(extraLinkHosts: readonly string[] = []) {
  return z.object({
    offerId: z.string().trim().min(1).max(200),
    status: z.enum(CERTIFICATION_STATUSES),
    detail: z.string().trim().max(4000).optional(),
    reportUrl: z
      .string()
      .superRefine((url, context) => {
        const problem = linkProblem(url, extraLinkHosts);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  });
}

export type CertificationChangeBody = z.output<ReturnType<typeof certificationChangeSchema>>;

const idempotencyKey = z.string().trim().min(1).max(200);

/**
 * The digest an Idempotency-Key is remembered with: of the change as read, not of the bytes, so that
 * key order, spacing, fields the endpoint ignores and an empty detail make no difference.
 */
export function changeDigest(body: CertificationChangeBody): string {
  const canonical = JSON.stringify([body.offerId, body.status, body.detail || null, body.reportUrl ?? null]);
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

export interface CertificationEndpointSettings {
  /** The bearer token release pipelines post with; without one the endpoint refuses every post. */
  readonly token?: string;
  readonly extraLinkHosts: readonly string[];
  /** The largest body taken, after decoding. */
  readonly maxBodyBytes: number;
}

/**
 * POST /api/notifications/certification: a release pipeline says where an offer's certification
 * stands. 202 once stored with its deliveries; 401 without the token; 400 for a bad body; 404 for an
 * offer the bot does not know. An Idempotency-Key header makes a retried post the same change; the same
 * key with a different change is 409, and nothing is stored.
 */
export function certificationEndpoint(notifications: NotificationService, settings: CertificationEndpointSettings, log: Logger) {
  const { token } = settings;
  const schema = certificationChangeSchema(settings.extraLinkHosts);
  return async (req: restify.Request, res: restify.Response): Promise<void> => {
    if (!bearerMatches(req.header('authorization', ''), token)) {
      res.send(401, { error: 'Unauthorized' });
      return;
    }
    // Read only once the caller is known.
    const json = await readJsonBody(req, settings.maxBodyBytes);
    if (!json.ok) {
      refuseBody(res, json);
      return;
    }
    const body = schema.safeParse(json.value);
    const key = idempotencyKey.optional().safeParse(req.header('idempotency-key') || undefined);
    if (!body.success || !key.success) {
      const issues = [
        ...(body.error?.issues ?? []),
        ...(key.error?.issues.map((issue) => ({ ...issue, path: ['Idempotency-Key'] })) ?? []),
      ];
      res.send(400, {
        error: 'BadRequest',
        problems: issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`),
      });
      return;
    }
    const recorded = await notifications.recordChange({
      ...body.data,
      source: 'api',
      ...(key.data && { idempotency: { key: key.data, digest: changeDigest(body.data) } }),
    });
    if (!recorded.ok) {
      const { refusal } = recorded;
      if (refusal.code === 'idempotencyKeyReused') {
        log.warn({ changeId: refusal.change.id, offerId: body.data.offerId }, 'idempotency key reused for another change');
        res.send(409, {
          error: 'Conflict',
          changeId: refusal.change.id,
          problems: [
            `Idempotency-Key: already used for another change (${refusal.change.id}: ${refusal.change.offerId} ${refusal.change.status}); a new change needs a new key`,
          ],
        });
        return;
      }
      res.send(404, { error: 'NotFound', problems: [`offerId: no offer ${body.data.offerId}`] });
      return;
    }
    const { change, deliveries, repeated, unchanged } = recorded.value;
    log.info(
      { changeId: change.id, offerId: change.offerId, status: change.status, deliveries, repeated, unchanged },
      'certification change accepted',
    );
    res.send(202, { changeId: change.id, deliveries, repeated, unchanged });
  };
}
