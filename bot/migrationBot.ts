import { TeamsActivityHandler, type Activity, type BotState, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { SUPPORT_VERBS, type ActionOf, type CardAction } from '../cards/actions';
import { installOfferAttachment } from '../cards/notificationViews';
import type { MigrationService } from '../domain/migrationService';
import type { UserIdentity } from '../domain/model';
import type { NotificationService } from '../domain/notificationService';
import { localeFromTag, type Translator, type Translators } from '../locales/i18n';
import type { DialogDeps } from '../dialogs/deps';
import { ROOT_DIALOG_ID, RootDialog } from '../dialogs/rootDialog';
import { COMMAND_WORDS, parseTurnInput, type TurnInput } from '../dialogs/turnInput';
import { setTurnScope } from '../dialogs/turnScope';
import { channelDataOf, conversationInfoOf, conversationKey } from './conversations';
import type { Logger } from './logger';
import type { SupportDesk } from './supportDesk';

export interface MigrationBotDeps {
  readonly service: MigrationService;
  readonly notifications: NotificationService;
  readonly translators: Translators;
  /** Holds the dialog stacks; saved at the end of every turn. */
  readonly dialogState: BotState;
  readonly supportDesk: SupportDesk;
  readonly log: Logger;
}

/** Resolves who is asking and what they asked for, then hands the turn to the root dialog. */
export class MigrationBot extends TeamsActivityHandler {
  private readonly dialogs: DialogSet;

  constructor(private readonly deps: MigrationBotDeps) {
    super();
    const dialogDeps: DialogDeps = { service: deps.service, notifications: deps.notifications, log: deps.log };
    this.dialogs = new DialogSet(deps.dialogState.createProperty<DialogState>('dialogState'));
    this.dialogs.add(new RootDialog(dialogDeps));

    this.onMessage(async (context, next) => {
      await this.runDialogs(context, parseTurnInput(context.activity, COMMAND_WORDS));
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      if (includesBot(context.activity, context.activity.membersAdded)) await this.welcome(context);
      await next();
    });

    this.onMembersRemoved(async (context, next) => {
      if (includesBot(context.activity, context.activity.membersRemoved)) await this.forget(context.activity, 'bot removed');
      await next();
    });

    this.onInstallationUpdateRemove(async (context, next) => {
      await this.forget(context.activity, 'app uninstalled');
      await next();
    });

    this.onTeamsTeamDeletedEvent(async (_team, context, next) => {
      await this.forget(context.activity, 'team deleted');
      await next();
    });

    this.onTeamsChannelDeletedEvent(async (channel, _team, context, next) => {
      if (channel.id) {
        const forgotten = await this.deps.notifications.forgetConversation(
          conversationKey(context.activity.channelId, channel.id),
        );
        this.deps.log.info({ channelId: channel.id, forgotten }, 'channel deleted; its subscriptions are removed');
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.dialogState.saveChanges(context);
  }

  /** In a team, the offer to subscribe the channel; in a chat, the overview. */
  private async welcome(context: TurnContext): Promise<void> {
    if (!channelDataOf(context.activity).team) {
      await this.runDialogs(context, { kind: 'welcome' });
      return;
    }
    const t = this.translatorFor(context.activity);
    const actor = await this.deps.service.actorFor(identityOf(context.activity));
    if (!actor) return;
    await context.sendActivity({ type: 'message', attachments: [installOfferAttachment(actor.account.name, t)] });
  }

  /** The bot left a conversation or a team, or it was deleted: nothing more goes there. */
  private async forget(activity: Activity, reason: string): Promise<void> {
    const teamId = channelDataOf(activity).team?.id;
    const forgotten =
      (teamId ? await this.deps.notifications.forgetTeam(teamId) : 0) +
      (await this.deps.notifications.forgetConversation(conversationKey(activity.channelId, activity.conversation.id)));
    this.deps.log.info({ conversationId: activity.conversation.id, teamId, reason, forgotten }, 'subscriptions removed');
  }

  private translatorFor(activity: Activity): Translator {
    return this.deps.translators.for(localeFromTag(activity.locale), activity.localTimezone);
  }

  private async runDialogs(context: TurnContext, input: TurnInput): Promise<void> {
    const activity = context.activity;
    const t = this.translatorFor(activity);
    if (input.kind === 'action' && isSupportAction(input.action)) {
      await this.deps.supportDesk.handle(context, input.action, input.card.activityId, t);
      return;
    }
    const actor = await this.deps.service.actorFor(identityOf(activity));
    if (!actor) {
      await context.sendActivity({ type: 'message', text: t.t('notRegistered'), textFormat: 'plain' });
      return;
    }
    setTurnScope(context, { actor, t, input, conversation: conversationInfoOf(activity, t.locale) });
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(ROOT_DIALOG_ID);
  }
}

function includesBot(activity: Activity, members: readonly { id: string }[] | undefined): boolean {
  return (members ?? []).some((member) => member.id === activity.recipient?.id);
}

function isSupportAction(action: CardAction): action is ActionOf<(typeof SUPPORT_VERBS)[number]> {
  return SUPPORT_VERBS.some((verb) => verb === action.verb);
}

export function identityOf(activity: Activity): UserIdentity {
  const tenantId = activity.conversation?.tenantId ?? channelDataOf(activity).tenant?.id;
  return {
    userId: activity.from.id,
    ...(activity.from.name && { name: activity.from.name }),
    ...(activity.from.aadObjectId && { aadObjectId: activity.from.aadObjectId }),
    ...(tenantId && { tenantId }),
  };
}
