import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { subscriptionStatusAttachment } from '../cards/notificationViews';
import type { DialogDeps } from './deps';
import { sendText, showCard } from './replies';
import { turnScope } from './turnScope';

export const SUBSCRIPTIONS_DIALOG_ID = 'subscriptions';

export interface SubscriptionsOptions {
  readonly command: 'subscribe' | 'unsubscribe' | 'status';
}

/** subscribe, unsubscribe and status: whether this channel or group chat hears about certification. */
export class SubscriptionsDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(SUBSCRIPTIONS_DIALOG_ID);
    this.addDialog(new WaterfallDialog<SubscriptionsOptions>(`${SUBSCRIPTIONS_DIALOG_ID}.steps`, [this.answer.bind(this)]));
  }

  private async answer(step: WaterfallStepContext<SubscriptionsOptions>): Promise<DialogTurnResult> {
    const { actor, t, conversation } = turnScope(step.context);
    const partner = actor.account.name;
    switch (step.options.command) {
      case 'subscribe': {
        const result = await this.deps.notifications.subscribe(actor, conversation);
        if (!result.ok) await sendText(step.context, t.t('subscribe.personal'));
        else if (result.value.created) await sendText(step.context, t.t('subscribe.done', { partner }));
        else {
          const { subscribedAt, subscribedBy } = result.value.subscription;
          await sendText(
            step.context,
            t.t('subscribe.already', { partner, date: t.date(subscribedAt), name: subscribedBy.name }),
          );
        }
        break;
      }
      case 'unsubscribe': {
        const result = await this.deps.notifications.unsubscribe(actor, conversation);
        if (!result.ok) await sendText(step.context, t.t('subscribe.personal'));
        else await sendText(step.context, t.t(result.value.removed ? 'unsubscribe.done' : 'unsubscribe.none', { partner }));
        break;
      }
      case 'status': {
        if (conversation.kind === 'personal') {
          await sendText(step.context, t.t('subscribe.personal'));
          break;
        }
        const { subscription, offers } = await this.deps.notifications.status(actor, conversation);
        await showCard(step.context, subscriptionStatusAttachment(partner, subscription, offers, t), this.deps.log);
        break;
      }
    }
    return step.endDialog();
  }
}
