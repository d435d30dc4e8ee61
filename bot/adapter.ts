import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import { localeFromTag, type Translators } from '../locales/i18n';
import { StateConflictError } from '../store/concurrencyCheckedState';
import { StoreUnavailableError } from '../store/storeErrors';
import { isConnectorUnreachable } from '../turn/replies';
import { turnTranslator } from '../turn/scope';
import type { Logger } from './logger';
import { linkGuard } from './linkGuard';
import { turnLogging } from './turnLogging';

/**
 * CloudAdapter with its request handling opened up, so that hosting validates the body first and
 * logs failures as JSON itself: `process()` would print them to the console.
 */
export class MigrationAdapter extends CloudAdapter {
  handle(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
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
}

/**
 * The Bot Framework adapter. Without a bot identity its authentication lets everything in, as the
 * Emulator expects in development; with one it validates every request's token.
 */
export function createAdapter(options: AdapterOptions): MigrationAdapter {
  const { translators, log } = options;
  const adapter = new MigrationAdapter(options.authentication);
  adapter.use(turnLogging(log));
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
