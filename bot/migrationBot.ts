import { TeamsActivityHandler, TurnContext, type Activity, type BotState } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { z } from 'zod';
import type { MigrationService } from '../domain/migrationService';
import type { UserIdentity } from '../domain/model';
import { localeFromTag, type Translators } from '../locales/i18n';
import { ROOT_DIALOG_ID, RootDialog } from '../dialogs/rootDialog';
import type { DialogDeps } from '../dialogs/deps';
import { COMMAND_WORDS, parseTurnInput, type TurnInput } from '../dialogs/turnInput';
import { setTurnScope } from '../dialogs/turnScope';
import { SUPPORT_VERBS, type ActionOf, type CardAction } from '../cards/actions';
import { addressOf } from './botNotificationSender';
import type { Logger } from './logger';
import type { SupportDesk } from './supportDesk';

export interface MigrationBotDeps {
  readonly service: MigrationService;
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
    const dialogDeps: DialogDeps = { service: deps.service, log: deps.log };
    this.dialogs = new DialogSet(deps.dialogState.createProperty<DialogState>('dialogState'));
    this.dialogs.add(new RootDialog(dialogDeps));

    this.onMessage(async (context, next) => {
      await this.runDialogs(context, parseTurnInput(context.activity, COMMAND_WORDS));
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((member) => member.id === botId)) {
        await this.runDialogs(context, { kind: 'welcome' });
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.dialogState.saveChanges(context);
  }

  private async runDialogs(context: TurnContext, input: TurnInput): Promise<void> {
    const activity = context.activity;
    const t = this.deps.translators.for(localeFromTag(activity.locale), activity.localTimezone);
    if (input.kind === 'action' && isSupportAction(input.action)) {
      await this.deps.supportDesk.handle(context, input.action, input.card.activityId, t);
      return;
    }
    const actor = await this.deps.service.actorFor(identityOf(activity));
    if (!actor) {
      await context.sendActivity({ type: 'message', text: t.t('notRegistered'), textFormat: 'plain' });
      return;
    }
    setTurnScope(context, { actor, t, input, replyAddress: () => addressOf(TurnContext.getConversationReference(activity)) });
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(ROOT_DIALOG_ID);
  }
}

const teamsChannelData = z.object({ tenant: z.object({ id: z.string() }).optional() });

export function identityOf(activity: Activity): UserIdentity {
  const teams = teamsChannelData.safeParse(activity.channelData);
  const tenantId = activity.conversation?.tenantId ?? (teams.success ? teams.data.tenant?.id : undefined);
  return {
    userId: activity.from.id,
    ...(activity.from.name && { name: activity.from.name }),
    ...(activity.from.aadObjectId && { aadObjectId: activity.from.aadObjectId }),
    ...(tenantId && { tenantId }),
  };
}

function isSupportAction(action: CardAction): action is ActionOf<(typeof SUPPORT_VERBS)[number]> {
  return SUPPORT_VERBS.some((verb) => verb === action.verb);
}
