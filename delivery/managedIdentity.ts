import { z } from 'zod';

/**
 * Where the host hands out its managed identity's tokens. App Service (and Functions, Container Apps)
 * sets IDENTITY_ENDPOINT and IDENTITY_HEADER for a local endpoint of its own; virtual machines, scale
 * sets and AKS nodes answer on the instance metadata service. Both documented on Microsoft Learn:
 * "How to use managed identities for App Service" (REST protocol, api-version 2019-08-01) and "How
 * to use managed identities for Azure resources on an Azure VM to acquire an access token".
 */
export type ManagedIdentityEndpoint =
  | { readonly kind: 'appService'; readonly url: string; readonly secret: string }
  | { readonly kind: 'instanceMetadata'; readonly url: string };

export interface ManagedIdentitySettings {
  /** The user-assigned identity's client id; without one the host's system-assigned identity answers. */
  readonly clientId?: string;
  readonly endpoint: ManagedIdentityEndpoint;
  /** One token request gives up after this long: the metadata address hangs where nothing answers it. */
  readonly timeoutMs: number;
}

const API_VERSIONS: Readonly<Record<ManagedIdentityEndpoint['kind'], string>> = {
  appService: '2019-08-01',
  instanceMetadata: '2018-02-01',
};

/** Both endpoints answer with seconds as strings; App Service's expires_on is seconds since the epoch too. */
const seconds = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(Number);
const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_on: seconds.optional(),
  expires_in: seconds.optional(),
});

/** Renewed this long before a token expires, or halfway through a shorter life, as EntraTokens does. */
const EARLY_MS = 5 * 60 * 1000;
/** After a failed renewal, the token still held serves this long before the endpoint is asked again. */
const RETRY_MS = 10_000;
/** The bot asks for a few resources only (the Bot Connector, the database); more are not kept. */
const MAX_RESOURCES = 16;

/** The identity endpoint refused, failed or did not answer; the message names which, never a token or the header. */
export class ManagedIdentityError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ManagedIdentityError';
  }
}

interface Held {
  readonly token: string;
  readonly expiresAt: number;
  renewAt: number;
}

/**
 * The host's managed identity's tokens, one per resource, each kept until shortly before it expires.
 * Concurrent requests for a resource share one fetch. A renewal that fails while the token held is
 * still valid serves that token (a brief outage of the endpoint costs nothing), and is tried again
 * after a few seconds; a forced refresh (the token was refused) never falls back.
 */
export class ManagedIdentityTokens {
  private readonly held = new Map<string, Held>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly settings: ManagedIdentitySettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token for `resource` (an App ID URI such as https://api.botframework.com, without /.default). */
  token(resource: string, forceRefresh = false): Promise<string> {
    const held = this.held.get(resource);
    const now = this.now();
    if (held && !forceRefresh && now < held.renewAt) return Promise.resolve(held.token);
    const fallback = held && !forceRefresh && now < held.expiresAt ? held : undefined;
    let pending = this.pending.get(resource);
    if (!pending) {
      pending = this.renew(resource, fallback).finally(() => this.pending.delete(resource));
      this.pending.set(resource, pending);
    }
    return pending;
  }

  private async renew(resource: string, fallback: Held | undefined): Promise<string> {
    try {
      const issued = await this.fetchToken(resource);
      if (!this.held.has(resource) && this.held.size >= MAX_RESOURCES) {
        const oldest = this.held.keys().next().value;
        if (oldest !== undefined) this.held.delete(oldest);
      }
      this.held.set(resource, issued);
      return issued.token;
    } catch (error: unknown) {
      if (!fallback) throw error;
      fallback.renewAt = Math.min(fallback.expiresAt, this.now() + RETRY_MS);
      return fallback.token;
    }
  }

  private async fetchToken(resource: string): Promise<Held> {
    const { endpoint, clientId, timeoutMs } = this.settings;
    const url = new URL(endpoint.url);
    url.searchParams.set('api-version', API_VERSIONS[endpoint.kind]);
    url.searchParams.set('resource', resource);
    if (clientId) url.searchParams.set('client_id', clientId);
    const headers: Record<string, string> =
      endpoint.kind === 'appService' ? { 'x-identity-header': endpoint.secret } : { metadata: 'true' };
    const where = `the managed identity endpoint (${endpoint.kind === 'appService' ? 'IDENTITY_ENDPOINT' : url.origin})`;
    const asked = this.now();
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let body: unknown;
    try {
      response = await fetch(url, { headers, redirect: 'error', signal });
      body = await response.json().catch(() => undefined);
    } catch (error: unknown) {
      throw new ManagedIdentityError(
        signal.aborted ? `${where} did not answer within ${timeoutMs} ms` : `${where} could not be reached`,
        { cause: error },
      );
    }
    const parsed = tokenResponse.safeParse(body);
    if (!response.ok || !parsed.success) {
      const which = clientId ? ` with client id ${clientId}` : ' (system-assigned)';
      throw new ManagedIdentityError(
        response.ok
          ? `${where} answered without a token for ${resource}`
          : `${where} answered ${response.status} for ${resource}: is the identity${which} assigned to this host, and the resource right?`,
      );
    }
    const { access_token: token, expires_on: expiresOn, expires_in: expiresIn } = parsed.data;
    const expiresAt = expiresOn !== undefined ? expiresOn * 1000 : expiresIn !== undefined ? asked + expiresIn * 1000 : NaN;
    const life = expiresAt - this.now();
    if (!(life > 0)) throw new ManagedIdentityError(`${where} answered a token for ${resource} that has no time left`);
    return { token, expiresAt, renewAt: this.now() + Math.max(life - EARLY_MS, life / 2) };
  }
}
