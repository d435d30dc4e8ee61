import { infoRequestedNoticeAttachment, mergedNoticeAttachment } from '../cards/notice';
import type { MigrationService } from '../domain/migrationService';
import type { SupportDelivery } from '../domain/ports/migration';
import type { NotificationSender } from '../domain/ports/notifications';
import type { JobHandler } from '../domain/ports/outbox';
import type { Locale, Translators } from '../locales/i18n';

/** Sends a merge request to partner support through the configured channel. */
export function supportRequestHandler(service: MigrationService, delivery: SupportDelivery): JobHandler<'supportRequest'> {
  return async (job) => {
    const supportCase = await service.supportCase(job.payload.requestId);
    if (!supportCase) return { ok: false, status: 404, error: `no merge request ${job.payload.requestId}` };
    return delivery.deliver(supportCase);
  };
}

/** Tells the requester what partner support did: merged, or needs more information. */
export function requesterNoticeHandler(
  service: MigrationService,
  sender: NotificationSender,
  translators: Translators,
  /** The language to tell them in at their address: their conversation's own, or theirs. */
  localeAt: (address: string) => Promise<Locale>,
): JobHandler<'requesterNotice'> {
  return async (job) => {
    const supportCase = await service.supportCase(job.payload.requestId);
    const address = supportCase?.request.requesterAddress;
    if (!supportCase || !address) return { ok: false, status: 404, error: `no requester to tell for ${job.payload.requestId}` };
    const t = translators.for(await localeAt(address));
    const { request, solution } = supportCase;
    const merged = job.payload.notice === 'merged';
    const card = merged ? mergedNoticeAttachment(request, solution, t) : infoRequestedNoticeAttachment(request, solution, t);
    return sender.send(address, {
      summary: t.t(merged ? 'notice.merged.heading' : 'notice.info.heading'),
      attachments: [card],
    });
  };
}
