import { supportRequestAttachment } from '../cards/supportRequest';
import type { SupportCase } from '../domain/model';
import type { SupportDelivery } from '../domain/ports/migration';
import type { NotificationSender } from '../domain/ports/notifications';
import type { SendOutcome } from '../domain/ports/outbox';
import type { Translator } from '../locales/i18n';

/** Posts merge requests as cards to partner support's Teams channel, where the team acts on them. */
export class TeamsChannelSupportDelivery implements SupportDelivery {
  constructor(
    private readonly sender: NotificationSender,
    /** The channel's conversation address, as the sender understands it. */
    private readonly channelAddress: string,
    private readonly t: Translator,
    private readonly now: () => Date = () => new Date(),
  ) {}

  deliver(supportCase: SupportCase): Promise<SendOutcome> {
    const { request, solution, account } = supportCase;
    const card = supportRequestAttachment(request, solution, account, this.t, this.now());
    return this.sender.send(this.channelAddress, {
      summary: this.t.t('support.card.title', { requestId: request.id }),
      attachments: [card],
    });
  }
}
