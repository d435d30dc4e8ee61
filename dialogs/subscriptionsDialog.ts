import { subscriptionStatusAttachment } from '../cards/notice';
import type { CardTarget } from '../turn/input';
import { postAtBottom, redrawCard, sendText, showCard } from '../turn/replies';
import { memberScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { DialogId } from './dialogId';
import { OneTurnDialog, type TurnContextOf } from './oneTurnDialog';

export interface SubscriptionsOptions {
  readonly command: 'subscribe' | 'unsubscribe' | 'status';
  /** The card whose Subscribe was pressed: drawn again as the subscription stands, without it. */
  readonly card?: CardTarget;
}

export const SUBSCRIPTIONS_DIALOG_ID: DialogId<SubscriptionsOptions> = 'subscriptions';

/** subscribe, unsubscribe and status: whether this channel or group chat hears about certification. */
export class SubscriptionsDialog extends OneTurnDialog<SubscriptionsOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(SUBSCRIPTIONS_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf, { command, card }: SubscriptionsOptions): Promise<void> {
    const { actor, t, conversation } = memberScope(context);
    const partner = actor.account.name;
    switch (command) {
      case 'subscribe': {
        const result = await this.deps.notifications.subscribe(actor, conversation);
        if (!result.ok) {
          await sendText(context, t.t('subscribe.personal'));
          return;
        }
        const { created, subscription } = result.value;
        const already = t.t('subscribe.already', {
          partner,
          date: t.date(subscription.subscribedAt),
          name: subscription.subscribedBy.name,
        });
        if (card?.activityId !== undefined) {
          // The pressed card shows the subscription and loses its button; a press on an old one is answered below.
          const status = await this.deps.notifications.status(actor, conversation);
          if (await redrawCard(context, subscriptionStatusAttachment(partner, status, t), this.deps.log, card.activityId)) {
            if (!created) await postAtBottom(context, { text: already });
            return;
          }
        }
        await sendText(context, created ? t.t('subscribe.done', { partner }) : already);
        return;
      }
      case 'unsubscribe': {
        const result = await this.deps.notifications.unsubscribe(actor, conversation);
        if (!result.ok) await sendText(context, t.t('subscribe.personal'));
        else await sendText(context, t.t(result.value.removed ? 'unsubscribe.done' : 'unsubscribe.none', { partner }));
        return;
      }
      case 'status': {
        if (conversation.kind === 'personal') {
          await sendText(context, t.t('subscribe.personal'));
          return;
        }
        const status = await this.deps.notifications.status(actor, conversation);
        await showCard(context, subscriptionStatusAttachment(partner, status, t), this.deps.log);
        return;
      }
    }
  }
}
