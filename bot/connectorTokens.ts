import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { TokenSource } from '../delivery/botConnector';
import type { BotIdentity } from './config';

interface TokenCredentials {
  getToken(forceRefresh?: boolean): Promise<string>;
}

/**
 * Tokens for posting to the Bot Connector as the bot, from the credentials the adapter uses (password,
 * single tenant or managed identity), for the cloud's login URL and scope; the credential classes
 * cache and renew them.
 */
export function connectorTokens(bot: BotIdentity, factory: ServiceClientCredentialsFactory): TokenSource {
  let credentials: Promise<TokenCredentials> | undefined;
  return {
    async token(forceRefresh: boolean): Promise<string> {
      const { ToChannelFromBotOAuthScope: scope, ToChannelFromBotLoginUrl: loginUrl, ValidateAuthority } = bot.cloud;
      credentials ??= factory.createCredentials(bot.appId, scope, loginUrl, ValidateAuthority).then((created: unknown) => {
        if (!hasGetToken(created)) throw new Error('These bot credentials cannot issue tokens');
        return created;
      });
      const made = credentials;
      try {
        return await (await made).getToken(forceRefresh);
      } catch (error: unknown) {
        // Credentials that could not be made are made again next time; a token that failed is asked again anyway.
        if (credentials === made) credentials = undefined;
        throw error;
      }
    },
  };
}

function hasGetToken(value: unknown): value is TokenCredentials {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'getToken') === 'function';
}
