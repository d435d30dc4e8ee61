import { TeamsActivityHandler, TeamsInfo, type Activity, type BotState, type InvokeResponse, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState, type DialogStateManagerConfiguration } from 'botbuilder-dialogs';
import { SUPPORT_VERBS } from '../cards/actions';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../cards/cardTemplate';
import { installOfferAttachment } from '../cards/notice';
import type { MigrationService } from '../domain/migrationService';
import type { Actor } from '../domain/model';
import type { NotificationService } from '../domain/notificationService';
import type { Clock } from '../domain/ports/clock';
import type { ConversationPreferences, UserPreferences } from '../domain/ports/users';
import { ROOT_DIALOG_ID, RootDialog, type RootDialogDeps } from '../dialogs/rootDialog';
import { LOCALES, localeFromTag, localeWrittenIn, type Locale, type Translator, type Translators } from '../locales/i18n';
import {
  channelDataOf,
  conversationInfoOf,
  conversationKey,
  identityOf,
  isGroupActivity,
  tenantOf,
  userKeyOf,
} from '../turn/conversations';
import { COMMAND_WORDS, parseTurnInput, type TurnInput } from '../turn/input';
import { beginInvokeReply, isConnectorUnreachable, sendText, type InvokeReply } from '../turn/replies';
import { markTurnFailed, newTurnScope, setTurnScope, setTurnTranslator, turnFailed, turnTranslator } from '../turn/scope';
import type { Logger } from './logger';
import { noteTurn } from './turnLogging';

export interface MigrationBotDeps {
  /** What the dialogs work with. */
  readonly dialogs: RootDialogDeps;
  readonly translators: Translators;
  /** Holds the dialog stacks; saved at the end of every turn. */
  readonly dialogState: BotState;
  /** The language each user chose, which wins over the one their client sends. */
  readonly preferences: UserPreferences;
  /** The language a channel or group chat chose, which wins there over what each member chose. */
  readonly conversationPreferences: ConversationPreferences;
  /** Entra tenants whose users may use the bot; empty lets every tenant in. */
  readonly allowedTenants?: readonly string[];
  /** Looks a Teams user up when the activity does not say enough to find the member; TeamsInfo by default. */
  readonly teamsMember?: (context: TurnContext) => Promise<TeamsMember | undefined>;
  readonly clock: Clock;
  readonly log: Logger;
}

/** What Teams knows of a user beyond an activity's sender. */
export interface TeamsMember {
  readonly name?: string;
  readonly aadObjectId?: string;
  readonly userPrincipalName?: string;
  readonly tenantId?: string;
}

/** Where botbuilder-dialogs looks for memory scopes gathered earlier in the turn. */
const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

/** Resolves who is asking and what they asked for, then hands the turn to the root dialog. */
export class MigrationBot extends TeamsActivityHandler {
  private readonly dialogs: DialogSet;
  /**
   * botbuilder-dialogs gathers its memory scopes from every registered component on each turn; the
   * scopes keep their data in the turn's state, not in themselves, so the first turn's set serves all.
   */
  private memoryScopes: DialogStateManagerConfiguration | undefined;

  private readonly service: MigrationService;
  private readonly notifications: NotificationService;

  constructor(private readonly deps: MigrationBotDeps) {
    super();
    this.service = deps.dialogs.service;
    this.notifications = deps.dialogs.notifications;
    this.dialogs = new DialogSet(deps.dialogState.createProperty<DialogState>('dialogState'));
    this.dialogs.add(new RootDialog(deps.dialogs));

    this.onMessage(async (context, next) => {
      const input = parseTurnInput(context.activity, COMMAND_WORDS);
      if (input.kind === 'setLanguage') {
        noteTurn(context, { input });
        await this.setLanguage(context, input.locale);
        await next();
        return;
      }
      // Prompts read the activity's text: give them the text without the bot's @mention too.
      if (input.kind === 'text') context.activity.text = input.text;
      await this.runDialogs(context, input);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      if (includesBot(context.activity, context.activity.membersAdded)) await this.installed(context);
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.installed(context);
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
        const forgotten = await this.notifications.forgetConversation(conversationKey(context.activity.channelId, channel.id));
        this.deps.log.info({ channelId: channel.id, forgotten }, 'channel deleted; its subscriptions are removed');
      }
      await next();
    });
  }

  /** Action.Execute: answered with the card drawn again, a message, or an error body; always HTTP 200. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    const t = await this.translator(context);
    try {
      const reply = beginInvokeReply(context);
      await this.runDialogs(context, parseTurnInput(context.activity, COMMAND_WORDS));
      return invokeResponse(reply, t);
    } catch (error: unknown) {
      // Errors here must not become the adapter's 500, nor its 501 for an invoke left unanswered.
      markTurnFailed(context);
      const ids = { conversationId: context.activity.conversation?.id, activityId: context.activity.id };
      // A connector that cannot be reached is its failure, not ours: logged as the adapter logs it.
      if (isConnectorUnreachable(error)) this.deps.log.warn({ ...ids, reason: errorMessage(error) }, 'reply not delivered');
      else this.deps.log.error({ ...ids, err: error }, 'card action failed');
      return invokeError(500, 'InternalError', t.t('error.turn'));
    }
  }

  override async run(context: TurnContext): Promise<void> {
    if (!this.tenantAllowed(context.activity)) {
      await this.turnAway(context);
      return;
    }
    await super.run(context);
    if (!turnFailed(context)) await this.deps.dialogState.saveChanges(context);
  }

  private tenantAllowed(activity: Activity): boolean {
    const allowed = this.deps.allowedTenants ?? [];
    if (allowed.length === 0) return true;
    const tenant = tenantOf(activity);
    return tenant !== undefined && allowed.includes(tenant);
  }

  /** Someone from a tenant that is not let in: told so, politely, and nothing else happens. */
  private async turnAway(context: TurnContext): Promise<void> {
    noteTurn(context, { outcome: 'tenantNotAllowed' });
    const { activity } = context;
    this.deps.log.info({ conversationId: activity.conversation?.id, tenantId: tenantOf(activity) }, 'tenant not allowed');
    // Their preference is not looked up: nothing of theirs is read for a tenant that is not let in.
    const t = this.deps.translators.for(localeFromTag(activity.locale), activity.localTimezone);
    if (activity.type === 'message') await sendText(context, t.t('tenantNotAllowed'));
    if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
      await context.sendActivity({
        type: 'invokeResponse',
        value: invokeError(403, 'TenantNotAllowed', t.t('tenantNotAllowed')),
      });
    }
  }

  /** Added to a conversation, by whichever event Teams sends first: greets once per installation. */
  private async installed(context: TurnContext): Promise<void> {
    const conversation = conversationInfoOf(context.activity, (await this.translator(context)).locale);
    if (await this.notifications.installed(conversation)) await this.welcome(context);
  }

  /**
   * In a team, the offer to subscribe the channel; in a group chat, what the bot is for and the same
   * offer, since the overview speaks to one member; in a personal chat, the overview.
   */
  private async welcome(context: TurnContext): Promise<void> {
    const inTeam = channelDataOf(context.activity).team !== undefined;
    if (!inTeam && !isGroupActivity(context.activity)) {
      await this.runDialogs(context, { kind: 'welcome' });
      return;
    }
    const t = await this.translator(context);
    const actor = await this.actorOf(context);
    if (!actor) return;
    const card = installOfferAttachment(actor.account.name, t, inTeam ? 'team' : 'groupChat');
    await context.sendActivity({ type: 'message', attachments: [card] });
  }

  /** The bot left a conversation or a team, or it was deleted: nothing more goes there. */
  private async forget(activity: Activity, reason: string): Promise<void> {
    const teamId = channelDataOf(activity).team?.id;
    const forgotten =
      (teamId ? await this.notifications.forgetTeam(teamId) : 0) +
      (await this.notifications.forgetConversation(conversationKey(activity.channelId, activity.conversation.id)));
    this.deps.log.info({ conversationId: activity.conversation.id, teamId, reason, forgotten }, 'subscriptions removed');
  }

  /**
   * The partner member behind the sender: by the activity's Entra object id, channel id or UPN, and
   * when that finds nobody in Teams, by what Teams knows of the user (Entra id and UPN). Teams names
   * the sender of a message but not of a conversation update: then the name is asked of Teams too,
   * so that a greeting addresses a guest of the demo by name rather than by channel id.
   */
  private async actorOf(context: TurnContext): Promise<Actor | undefined> {
    const identity = identityOf(context.activity);
    if (context.activity.channelId !== 'msteams') return this.service.actorFor(identity);
    const lookUp = this.deps.teamsMember ?? teamsMemberFromTeams;
    const asked = identity.name ? undefined : { member: await lookUp(context) };
    const name = asked?.member?.name;
    const named = name ? { ...identity, name } : identity;
    const found = await this.service.actorFor(named);
    if (found) return found;
    const member = asked ? asked.member : await lookUp(context);
    if (!member) return undefined;
    return this.service.actorFor({
      ...named,
      ...(member.aadObjectId && { aadObjectId: member.aadObjectId }),
      ...(member.userPrincipalName && { userPrincipalName: member.userPrincipalName }),
      ...((member.tenantId ?? identity.tenantId) && { tenantId: member.tenantId ?? identity.tenantId }),
    });
  }

  /**
   * The language of the turn, chosen once: in a channel or group chat the one it chose for itself,
   * else the user's own choice, else the one the message is written in, else their client's.
   */
  private async translator(context: TurnContext): Promise<Translator> {
    const chosen = turnTranslator(context);
    if (chosen) return chosen;
    const { activity } = context;
    const here = isGroupActivity(activity)
      ? await this.deps.conversationPreferences.language(conversationKey(activity.channelId, activity.conversation.id))
      : undefined;
    const preferred = here ?? (await this.deps.preferences.language(userKeyOf(activity)));
    // Without a choice, someone who writes in Korean is answered in it, whatever their client says.
    const locale =
      LOCALES.find((candidate) => candidate === preferred) ??
      localeWrittenIn(typeof activity.text === 'string' ? activity.text : undefined) ??
      localeFromTag(activity.locale);
    const t = this.deps.translators.for(locale, activity.localTimezone);
    setTurnTranslator(context, t);
    return t;
  }

  /**
   * `language ko`, `언어 영어`: in a personal chat, remembered for the user; in a channel or group
   * chat, for the conversation, by one of the partner's members. Answered in the new language.
   */
  private async setLanguage(context: TurnContext, locale: Locale | undefined): Promise<void> {
    if (!locale) {
      await sendText(context, (await this.translator(context)).t('language.unknown'));
      return;
    }
    const { activity } = context;
    const now = this.deps.clock.now();
    if (isGroupActivity(activity)) {
      // Everyone here hears the bot in this language: someone the bot does not know may not choose it.
      if (!(await this.actorOf(context))) {
        await sendText(context, (await this.translator(context)).t('notRegistered'));
        return;
      }
      await this.deps.conversationPreferences.setLanguage(
        conversationKey(activity.channelId, activity.conversation.id),
        locale,
        now,
      );
    } else {
      await this.deps.preferences.setLanguage(userKeyOf(activity), locale, now);
    }
    const t = this.deps.translators.for(locale, activity.localTimezone);
    setTurnTranslator(context, t);
    await sendText(context, t.t(isGroupActivity(activity) ? 'language.set.conversation' : 'language.set'));
  }

  /** Who is asking and in which language, set as the turn's scope; then the root dialog takes the turn. */
  private async runDialogs(context: TurnContext, input: TurnInput): Promise<void> {
    const t = await this.translator(context);
    // Partner support's agents are no partner's members: looking them up would ask Teams for nothing.
    const supportAction = input.kind === 'action' && SUPPORT_VERBS.some((verb) => verb === input.action.verb);
    const actor = supportAction ? undefined : await this.actorOf(context);
    noteTurn(context, { input, ...(actor && { actor }) });
    setTurnScope(context, newTurnScope(context.activity, { t, input, actor }));
    if (this.memoryScopes) context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.memoryScopes);
    const dc = await this.dialogs.createContext(context);
    this.memoryScopes ??= dc.state.configuration;
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(ROOT_DIALOG_ID);
  }
}

async function teamsMemberFromTeams(context: TurnContext): Promise<TeamsMember | undefined> {
  try {
    const member = await TeamsInfo.getMember(context, context.activity.from.id);
    return {
      ...(member.name && { name: member.name }),
      ...(member.aadObjectId && { aadObjectId: member.aadObjectId }),
      ...(member.userPrincipalName && { userPrincipalName: member.userPrincipalName }),
      ...(member.tenantId && { tenantId: member.tenantId }),
    };
  } catch {
    return undefined;
  }
}

/** What an Action.Execute turn collected, as Teams takes it: the card, the texts, or the error. */
function invokeResponse(reply: InvokeReply, t: Translator): InvokeResponse {
  if (reply.error) return invokeError(400, reply.error.code, reply.error.message);
  if (reply.card) {
    return { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: reply.card.content } };
  }
  const message = reply.texts.join('\n') || t.t('invoke.done');
  return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: message } };
}

function invokeError(statusCode: 400 | 403 | 500, code: string, message: string): InvokeResponse {
  return { status: 200, body: { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } } };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function includesBot(activity: Activity, members: readonly { id: string }[] | undefined): boolean {
  return (members ?? []).some((member) => member.id === activity.recipient?.id);
}
