import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { TokenSource } from '../delivery/connectorSender';
import type { BotIdentity } from './config';

const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';
const LOGIN_ENDPOINT = 'https://login.microsoftonline.com/botframework.com';

interface TokenCredentials {
  getToken(forceRefresh?: boolean): Promise<string>;
}

/**
 * Tokens for posting to the Bot Connector as the bot, from the same credentials the adapter uses
 * (password, single tenant or managed identity); the credential classes cache and renew them.
 */
export function connectorTokens(bot: BotIdentity): TokenSource {
  const factory = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: bot.appId,
    MicrosoftAppType: bot.appType,
    ...(bot.password && { MicrosoftAppPassword: bot.password }),
    ...(bot.tenantId && { MicrosoftAppTenantId: bot.tenantId }),
  });
  let credentials: Promise<TokenCredentials> | undefined;
  return {
    async token(forceRefresh: boolean): Promise<string> {
      credentials ??= factory
        .createCredentials(bot.appId, BOT_FRAMEWORK_AUDIENCE, LOGIN_ENDPOINT, true)
        .then((created: unknown) => {
          if (!hasGetToken(created)) throw new Error('These bot credentials cannot issue tokens');
          return created;
        });
      return (await credentials).getToken(forceRefresh);
    },
  };
}

function hasGetToken(value: unknown): value is TokenCredentials {
  return typeof value === 'object' && value !== null && typeof (value as { getToken?: unknown }).getToken === 'function';
}
