import { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { ManagedIdentityTokens } from '../delivery/managedIdentity';

type ServiceClientCredentials = Awaited<ReturnType<ServiceClientCredentialsFactory['createCredentials']>>;
type WebResource = Parameters<ServiceClientCredentials['signRequest']>[0];

/**
 * The bot's credentials as a user-assigned managed identity, with tokens from the host's identity
 * endpoint (delivery/managedIdentity.ts). botbuilder's own factory for UserAssignedMSI asks
 * @azure/identity's DefaultAzureCredential, which tries the environment, workload identity and the
 * developer's Azure CLI before the managed identity, and reads its endpoints from the environment
 * itself; this one takes the endpoint the configuration chose, and nothing else.
 */
export class ManagedIdentityCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(
    private readonly clientId: string,
    private readonly tokens: ManagedIdentityTokens,
    /** The audience when the SDK names none: the cloud's ToChannelFromBotOAuthScope. */
    private readonly defaultAudience: string,
  ) {
    super();
  }

  override async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.clientId;
  }

  override async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  override async createCredentials(appId: string, audience: string | undefined): Promise<ServiceClientCredentials> {
    if (appId !== this.clientId) throw new Error(`The managed identity ${this.clientId} cannot act for app ${appId}`);
    return new ManagedIdentityCredentials(this.tokens, resourceOf(audience ?? this.defaultAudience));
  }
}

/** Credentials for one audience; getToken is what connectorTokens and the SDK's clients ask. */
class ManagedIdentityCredentials implements ServiceClientCredentials {
  constructor(
    private readonly tokens: ManagedIdentityTokens,
    private readonly resource: string,
  ) {}

  getToken(forceRefresh = false): Promise<string> {
    return this.tokens.token(this.resource, forceRefresh);
  }

  async signRequest(webResource: WebResource): Promise<WebResource> {
    webResource.headers.set('authorization', `Bearer ${await this.getToken()}`);
    return webResource;
  }
}

/** Identity endpoints take a resource, not a scope: https://api.botframework.com/.default asks for https://api.botframework.com. */
function resourceOf(audience: string): string {
  return audience.replace(/\/\.default$/, '');
}
