import { z } from 'zod';
import type { TokenProvider } from './http';

export interface ClientCredentials {
  /** https://login.microsoftonline.com, or a sovereign cloud's, or a test's. */
  readonly authorityUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * The v2.0 token endpoint's answer; `expires_in` is a number there (the v1 endpoint sends a string).
 * From "Microsoft identity platform and the OAuth 2.0 client credentials flow" on Microsoft Learn.
 */
const tokenResponse = z.object({
  token_type: z.string(),
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
});
const errorResponse = z.object({ error: z.string(), error_description: z.string().optional() });

/** Renewed this long before a token expires, so that no request leaves with one about to lapse. */
const EARLY_MS = 5 * 60 * 1000;

/**
 * Tokens for one API (`scope` is its `/.default`) by the client-credentials grant, kept until
 * shortly before they expire. Concurrent requests for a token share one fetch.
 */
export class EntraTokens implements TokenProvider {
  private held: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly credentials: ClientCredentials,
    private readonly scope: string,
    private readonly timeoutMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  token(refresh: boolean): Promise<string> {
    if (refresh) this.held = undefined;
    if (this.held && this.now().getTime() < this.held.renewAt) return Promise.resolve(this.held.token);
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const { authorityUrl, tenantId, clientId, clientSecret } = this.credentials;
    const url = `${authorityUrl.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: clientId,
        client_secret: clientSecret,
        scope: this.scope,
        grant_type: 'client_credentials',
      }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body: unknown = await response.json().catch(() => undefined);
    const token = tokenResponse.safeParse(body);
    if (response.ok && token.success) {
      const issuedAt = this.now().getTime();
      const lifetime = token.data.expires_in * 1000;
      this.held = { token: token.data.access_token, renewAt: issuedAt + Math.max(lifetime - EARLY_MS, lifetime / 2) };
      return token.data.access_token;
    }
    const refused = errorResponse.safeParse(body);
    // The error code only: Entra's descriptions can quote what was sent.
    throw new Error(`Entra answered ${response.status}${refused.success ? ` ${refused.data.error}` : ''} for ${this.scope}`);
  }
}
