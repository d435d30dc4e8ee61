import type restify from 'restify';
import { z } from 'zod';
import { CERTIFICATION_STATUSES } from '../domain/model';
import type { NotificationService } from '../domain/notificationService';
import type { Logger } from './logger';
import { sameSecret } from './secrets';

/** What a release pipeline posts about an offer's certification. */
export const certificationChangeSchema = z.object({
  offerId: z.string().trim().min(1).max(200),
  status: z.enum(CERTIFICATION_STATUSES),
  detail: z.string().trim().max(4000).optional(),
  reportUrl: z
    .url({ protocol: /^https$/, error: 'must be an https URL' })
    .max(2048)
    .optional(),
});

const idempotencyKey = z.string().trim().min(1).max(200);

/**
 * POST /api/notifications/certification: a release pipeline says where an offer's certification
 * stands. 202 once stored with its deliveries; 401 without the token; 400 for a bad body; 404 for an
 * offer the bot does not know. An Idempotency-Key header makes a retried post the same change.
 */
export function certificationEndpoint(notifications: NotificationService, token: string | undefined, log: Logger) {
  return async (req: restify.Request, res: restify.Response): Promise<void> => {
    const [scheme, given] = (req.header('authorization', '') ?? '').split(' ');
    if (!token || scheme?.toLowerCase() !== 'bearer' || !given || !sameSecret(given, token)) {
      res.send(401, { error: 'Unauthorized' });
      return;
    }
    const body = certificationChangeSchema.safeParse(req.body);
    const key = idempotencyKey.optional().safeParse(req.header('idempotency-key') || undefined);
    if (!body.success || !key.success) {
      const issues = [...(body.error?.issues ?? []), ...(key.error?.issues ?? [])];
      res.send(400, {
        error: 'BadRequest',
        problems: issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`),
      });
      return;
    }
    const recorded = await notifications.recordChange({
      ...body.data,
      source: 'api',
      ...(key.data && { idempotencyKey: key.data }),
    });
    if (!recorded.ok) {
      res.send(404, { error: 'NotFound', problems: [`offerId: no offer ${body.data.offerId}`] });
      return;
    }
    const { change, deliveries, repeated } = recorded.value;
    log.info(
      { changeId: change.id, offerId: change.offerId, status: change.status, deliveries, repeated },
      'certification change accepted',
    );
    res.send(202, { changeId: change.id, deliveries, repeated });
  };
}
