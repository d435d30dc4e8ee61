import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { localeFromTag, type Translators } from '../locales/i18n';
import { StateConflictError } from '../store/concurrencyCheckedState';
import { turnTranslator } from '../turn/scope';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import { ClientReusingAuthentication } from './reusedClients';
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
  return error instanceof Error && (error as { statusCode?: unknown }).statusCode === 401;
}

/**
 * The Bot Framework adapter. Without a bot identity it authenticates nothing, as the Emulator
 * expects in development; with one it validates every request's token.
 */
export function createAdapter(config: AppConfig, translators: Translators, log: Logger): MigrationAdapter {
  const bot = config.bot;
  const auth = new ConfigurationBotFrameworkAuthentication(
    bot
      ? {
          MicrosoftAppId: bot.appId,
          MicrosoftAppType: bot.appType,
          ...(bot.password && { MicrosoftAppPassword: bot.password }),
          ...(bot.tenantId && { MicrosoftAppTenantId: bot.tenantId }),
        }
      : {},
  );
  const adapter = new MigrationAdapter(new ClientReusingAuthentication(auth));
  adapter.use(turnLogging(log));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const { activity } = context;
    const conflict = error instanceof StateConflictError;
    const fields = {
      conversationId: activity.conversation?.id,
      activityId: activity.id,
      activityType: activity.type,
      err: error,
    };
    if (conflict) log.warn(fields, 'turn lost a state race');
    else log.error(fields, 'turn failed');
    if (activity.type !== 'message' && activity.type !== 'invoke') return;
    const t = turnTranslator(context) ?? translators.for(localeFromTag(activity.locale));
    try {
      await context.sendActivity({
        type: 'message',
        text: t.t(conflict ? 'error.stateConflict' : 'error.turn'),
        textFormat: 'plain',
      });
    } catch (sendError: unknown) {
      log.warn({ conversationId: activity.conversation?.id, err: sendError }, 'could not tell the user about a failed turn');
    }
  };
  return adapter;
}
