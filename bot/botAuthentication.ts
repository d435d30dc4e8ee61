import { ConfidentialClientApplication } from '@azure/msal-node';
import {
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  StatusCodes,
  type Activity,
} from 'botbuilder';
import {
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  ConnectorClient,
  ConnectorFactory,
  MsalServiceClientCredentialsFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClientOptions,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { AseChannelValidation } from 'botframework-connector/lib/auth/aseChannelValidation';
import { withTimeout } from '../delivery/http';
import type { ManagedIdentityTokens } from '../delivery/managedIdentity';
import { ConnectorUnreachableError } from '../turn/replies';
import type { AppConfig, BotIdentity } from './config';
import type { Logger } from './logger';
import { ManagedIdentityCredentialsFactory } from './managedIdentityCredentials';
import { installKeySources, SigningKeysUnavailableError } from './openIdKeys';
import { ClientReusingAuthentication } from './reusedClients';

export interface BotAuthentication {
  /** What the CloudAdapter authenticates requests and makes connector clients with. */
  readonly authentication: BotFrameworkAuthentication;
  /** The audience of the channel's turns: the scope of the bot's tokens for the Bot Connector. */
  readonly channelScope: string;
  /** The bot's credentials for the Bot Connector, for sends outside a turn (the outbox). */
  readonly credentials: ServiceClientCredentialsFactory;
  /** Loads the signing keys before the first request; bounded, and harmless when the keys cannot be had. */
  warmUp(): Promise<void>;
}

/**
 * Authentication as botbuilder does it, with the cloud's settings, and three things added: every token
 * that fails verification is an AuthenticationError 401 (jsonwebtoken's own errors, which the SDK
 * passes through, included); signing keys come from key sources with a timeout and a negative cache
 * (bot/openIdKeys.ts), which answer SigningKeysUnavailableError while no keys can be had; and every
 * send to the Bot Connector is bounded by CONNECTOR_TIMEOUT_MS. Connector clients are reused across
 * turns (bot/reusedClients.ts).
 */
export function createBotAuthentication(
  config: AppConfig,
  log: Logger,
  identityTokens?: ManagedIdentityTokens,
): BotAuthentication {
  const bot = config.bot;
  const credentials = credentialsFactory(bot, identityTokens);
  const inner = new ConfigurationBotFrameworkAuthentication(
    bot
      ? {
          MicrosoftAppId: bot.appId,
          MicrosoftAppType: bot.appType,
          ...(bot.tenantId && { MicrosoftAppTenantId: bot.tenantId }),
          ...bot.cloud,
        }
      : {},
    credentials,
  );
  const keySources = bot
    ? installKeySources(
        [
          bot.cloud.ToBotFromChannelOpenIdMetadataUrl,
          bot.cloud.ToBotFromEmulatorOpenIdMetadataUrl,
          // Tokens of the App Service Environment channel are checked against this URL whatever the settings say.
          AseChannelValidation.MetadataUrl,
        ],
        { log },
      )
    : [];
  const clients = new BoundedConnectorClients(credentials, bot, config.connector.timeoutMs);
  const warmed = keySources.filter(
    (source) =>
      source.metadataUrl === bot?.cloud.ToBotFromChannelOpenIdMetadataUrl ||
      source.metadataUrl === bot?.cloud.ToBotFromEmulatorOpenIdMetadataUrl,
  );
  return {
    authentication: new ClientReusingAuthentication(new VerifyingAuthentication(inner, clients)),
    // What ConfigurationBotFrameworkAuthentication gives its turns as their audience; it does not say so itself.
    channelScope: bot?.cloud.ToChannelFromBotOAuthScope ?? AuthenticationConstants.ToChannelFromBotOAuthScope,
    credentials,
    warmUp: async () => {
      for (const source of warmed) await source.warmUp();
    },
  };
}

/**
 * The bot's credentials. A password goes to an MSAL client of our own for the login URL (with the
 * bot's tenant when it has one), so that ToChannelFromBotLoginUrl and ValidateAuthority hold: the
 * SDK's own password factory gives MSAL neither, and MSAL then asks Microsoft's instance discovery
 * about any other authority. A managed identity needs no login URL: its tokens come from the host's
 * identity endpoint (bot/managedIdentityCredentials.ts).
 */
function credentialsFactory(
  bot: BotIdentity | undefined,
  identityTokens: ManagedIdentityTokens | undefined,
): ServiceClientCredentialsFactory {
  if (!bot) return new ConfigurationServiceClientCredentialFactory({});
  if (bot.appType === 'UserAssignedMSI') {
    if (!identityTokens) throw new Error('UserAssignedMSI needs the managed identity endpoint');
    return new ManagedIdentityCredentialsFactory(bot.appId, identityTokens, bot.cloud.ToChannelFromBotOAuthScope);
  }
  if (!bot.password) {
    return new ConfigurationServiceClientCredentialFactory({
      MicrosoftAppId: bot.appId,
      MicrosoftAppType: bot.appType,
      ...(bot.tenantId && { MicrosoftAppTenantId: bot.tenantId }),
    });
  }
  const authority = authorityOf(bot);
  const application = new ConfidentialClientApplication({
    auth: {
      clientId: bot.appId,
      clientSecret: bot.password,
      authority,
      ...(!bot.cloud.ValidateAuthority && { knownAuthorities: [new URL(authority).host] }),
    },
  });
  return new MsalServiceClientCredentialsFactory(bot.appId, application);
}

/** The login URL names the cloud's authority and its default tenant; a bot with a tenant of its own uses that. */
export function authorityOf(bot: BotIdentity): string {
  const url = new URL(bot.cloud.ToChannelFromBotLoginUrl);
  if (bot.tenantId) url.pathname = `/${bot.tenantId}`;
  return url.href.replace(/\/+$/, '');
}

/** Makes the connector clients of turns: the bot's credentials, and a bound on every send. */
class BoundedConnectorClients {
  constructor(
    private readonly credentials: ServiceClientCredentialsFactory,
    private readonly bot: BotIdentity | undefined,
    private readonly timeoutMs: number,
  ) {}

  async create(appId: string, serviceUrl: string, audience: string | undefined): Promise<ConnectorClient> {
    const cloud = this.bot?.cloud;
    const scope = audience ?? cloud?.ToChannelFromBotOAuthScope ?? AuthenticationConstants.ToChannelFromBotOAuthScope;
    const loginUrl = cloud?.ToChannelFromBotLoginUrl ?? AuthenticationConstants.ToChannelFromBotLoginUrl;
    const credentials = await this.credentials.createCredentials(appId, scope, loginUrl, cloud?.ValidateAuthority ?? true);
    return new ConnectorClient(credentials, {
      baseUri: serviceUrl,
      userAgent: 'ocp-gtm-migration-bot',
      requestPolicyFactories: [acceptAnything, boundedBy(this.timeoutMs)],
    });
  }
}

type PolicyFactory = Extract<NonNullable<ConnectorClientOptions['requestPolicyFactories']>, readonly unknown[]>[number];

/** As the SDK's own connector factory does: the connector answers some requests only with an Accept header. */
const acceptAnything: PolicyFactory = {
  create: (next) => ({
    sendRequest: (request) => {
      if (!request.headers.contains('accept')) request.headers.set('accept', '*/*');
      return next.sendRequest(request);
    },
  }),
};

/**
 * Bounds a send, with its token fetch and the pipeline's retries, by one timeout: the request is
 * aborted and the turn goes on. Placed before the retry policy (the SDK's pipeline runs policies
 * without a phase first), so that the bound covers every attempt. A send that got no answer at all
 * becomes ConnectorUnreachableError; answers with a status stay as the SDK reports them.
 */
function boundedBy(timeoutMs: number): PolicyFactory {
  return {
    create: (next) => ({
      sendRequest: async (request) => {
        const controller = new AbortController();
        const given = request.abortSignal;
        if (given) given.addEventListener('abort', () => controller.abort());
        request.abortSignal = controller.signal;
        const message = `the Bot Connector at ${new URL(request.url).origin} did not answer within ${timeoutMs} ms`;
        try {
          return await withTimeout(next.sendRequest(request), timeoutMs, message);
        } catch (error: unknown) {
          controller.abort();
          if (hasStatus(error)) throw error;
          if (error instanceof Error && error.message === message) throw new ConnectorUnreachableError(message);
          throw new ConnectorUnreachableError(`the Bot Connector at ${new URL(request.url).origin} could not be reached`, {
            cause: error,
          });
        }
      },
    }),
  };
}

function hasStatus(error: unknown): boolean {
  return typeof error === 'object' && error !== null && typeof Reflect.get(error, 'statusCode') === 'number';
}

/**
 * botbuilder's authentication with every verification failure made a 401 and the connector clients
 * made bounded. The SDK lets jsonwebtoken's JsonWebTokenError and NotBeforeError (a bad signature,
 * alg none, a token not yet valid) through without a status; hosting would answer those 500.
 */
class VerifyingAuthentication extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly clients: BoundedConnectorClients,
  ) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await verified(this.inner.authenticateRequest(activity, authHeader));
    return { ...result, connectorFactory: this.createConnectorFactory(result.claimsIdentity) };
  }

  override authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return verified(this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return verified(this.inner.authenticateChannelRequest(authHeader));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new BoundedConnectorFactory(this.clients, appIdOf(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }
}

class BoundedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly clients: BoundedConnectorClients,
    private readonly appId: string,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.clients.create(this.appId, serviceUrl, audience);
  }
}

/** The app the SDK makes clients for: the audience claim from a channel, the appid claim from the Emulator. */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return (
    claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

/** The outcome of a verification, with anything but missing keys turned into a 401 naming why, briefly. */
async function verified<T>(verification: Promise<T>): Promise<T> {
  try {
    return await verification;
  } catch (error: unknown) {
    if (error instanceof SigningKeysUnavailableError) throw error;
    if (error instanceof AuthenticationError && Number(error.statusCode) === 401) throw error;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'not a token';
    throw new AuthenticationError(`Unauthorized. ${reason.slice(0, 200)}`, StatusCodes.UNAUTHORIZED);
  }
}
