import {
  ActivityTypes,
  CloudAdapter,
  type Activity,
  type InvokeResponse,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { BotConnector, ConnectorOutcome, ConversationTarget } from '../delivery/botConnector';
import type { Telemetry } from '../domain/ports/telemetry';
import { localeFromTag, type Translators } from '../locales/i18n';
import { StateConflictError } from '../store/concurrencyCheckedState';
import { oneTurnAtATime } from './conversationTurns';
import { StoreUnavailableError } from '../store/storeErrors';
import { ConnectorAnswerError, ConnectorUnreachableError, isConnectorUnreachable } from '../turn/replies';
import { turnTranslator } from '../turn/scope';
import type { Logger } from './logger';
import { linkGuard } from './linkGuard';
import { turnLogging } from './turnLogging';

/** How the adapter posts a turn's messages itself, and for which turns. */
export interface OwnReplies {
  readonly connector: BotConnector;
  /**
   * The audience of the channel's turns (the Bot Connector's scope), whose token the connector
   * replies carry. A turn for another audience (a skill's caller) is answered by the SDK's client.
   */
  readonly channelScope: string;
}

/**
 * CloudAdapter with its request handling opened up, so that hosting validates the body first and
 * logs failures as JSON itself (`process()` would print them to the console), and with a turn's
 * messages posted and updated through delivery/botConnector.ts: the SDK's connector client runs
 * each reply through a generic REST pipeline (model serializer, policies, tracing) that cost about a
 * quarter of the CPU of a list turn, measured. Everything else (typing, traces, invoke responses,
 * member lookups) stays the SDK's.
 */
export class MigrationAdapter extends CloudAdapter {
  constructor(
    authentication: BotFrameworkAuthentication,
    private readonly replies?: OwnReplies,
  ) {
    super(authentication);
  }

  handle(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const connector = this.connectorFor(context);
    if (!connector) return super.sendActivities(context, activities);
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      const target = targetOf(activity);
      if (activity.type !== ActivityTypes.Message || !target) {
        responses.push(...(await super.sendActivities(context, [activity])));
        continue;
      }
      // As the SDK does: the connector gives the message its id.
      delete activity.id;
      const outcome = await connector.post(target, activity, activity.replyToId);
      responses.push({ id: answered(outcome).id ?? '' });
    }
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    const connector = this.connectorFor(context);
    const target = targetOf(activity);
    if (!connector || !target || !activity.id) return super.updateActivity(context, activity);
    const { id } = answered(await connector.update(target, activity.id, activity));
    return id ? { id } : undefined;
  }

  private connectorFor(context: TurnContext): BotConnector | undefined {
    const scope: unknown = context.turnState.get(this.OAuthScopeKey);
    return this.replies && scope === this.replies.channelScope ? this.replies.connector : undefined;
  }
}

function targetOf(activity: Partial<Activity>): ConversationTarget | undefined {
  const conversationId = activity.conversation?.id;
  return activity.serviceUrl && conversationId ? { serviceUrl: activity.serviceUrl, conversationId } : undefined;
}

/** The connector's answer, or the error the turn's code expects: a status when it answered, unreachable when not. */
function answered(outcome: ConnectorOutcome): { readonly id?: string } {
  if (outcome.ok) return outcome;
  if (outcome.status === undefined) throw new ConnectorUnreachableError(outcome.error);
  throw new ConnectorAnswerError(outcome.status, outcome.error);
}

/** An error botbuilder raises for a request it does not trust (its AuthenticationError carries 401). */
export function isAuthenticationFailure(error: unknown): boolean {
  return error instanceof Error && Reflect.get(error, 'statusCode') === 401;
}

export interface AdapterOptions {
  readonly authentication: BotFrameworkAuthentication;
  readonly translators: Translators;
  /** Hosts allowed on card links besides the built-in ones. */
  readonly extraLinkHosts: readonly string[];
  readonly log: Logger;
  /** A turn's messages posted by the adapter itself; all through the SDK's client when absent. */
  readonly replies?: OwnReplies;
  /** Where each turn's request and metrics are recorded. */
  readonly telemetry?: Telemetry;
}

/**
 * The Bot Framework adapter. Without a bot identity its authentication lets everything in, as the
 * Emulator expects in development; with one it validates every request's token.
 */
export function createAdapter(options: AdapterOptions): MigrationAdapter {
  const { translators, log } = options;
  const adapter = new MigrationAdapter(options.authentication, options.replies);
  adapter.use(turnLogging(log, options.telemetry));
  adapter.use(oneTurnAtATime());
  adapter.use(linkGuard(options.extraLinkHosts, log));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const { activity } = context;
    if (isConnectorUnreachable(error)) {
      // Telling the user would wait on the same dead connector again.
      log.warn(
        { conversationId: activity.conversation?.id, activityId: activity.id, reason: error.message },
        'reply not delivered',
      );
      return;
    }
    const conflict = error instanceof StateConflictError;
    const storeDown = error instanceof StoreUnavailableError;
    const fields = {
      conversationId: activity.conversation?.id,
      activityId: activity.id,
      activityType: activity.type,
      err: error,
    };
    if (conflict) log.warn(fields, 'turn lost a state race');
    else if (storeDown)
      log.warn({ ...fields, err: { name: error.name, message: error.message } }, 'turn failed: store unavailable');
    else log.error(fields, 'turn failed');
    if (activity.type !== 'message' && activity.type !== 'invoke') {
      // Nobody to tell: the request is answered 503, so that the channel may send it again.
      if (storeDown) throw error;
      return;
    }
    const t = turnTranslator(context) ?? translators.for(localeFromTag(activity.locale));
    try {
      await context.sendActivity({
        type: 'message',
        text: t.t(conflict ? 'error.stateConflict' : storeDown ? 'error.storeUnavailable' : 'error.turn'),
        textFormat: 'plain',
      });
    } catch (sendError: unknown) {
      log.warn({ conversationId: activity.conversation?.id, err: sendError }, 'could not tell the user about a failed turn');
    }
  };
  return adapter;
}
