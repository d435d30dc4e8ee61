import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A token request as the endpoint received it. */
export interface IdentityRequest {
  readonly kind: 'appService' | 'instanceMetadata';
  readonly apiVersion: string;
  readonly resource: string;
  readonly clientId: string;
  /** X-IDENTITY-HEADER (App Service) or Metadata (instance metadata), as sent. */
  readonly header: string;
  /** The token it issued, or undefined when it refused the request. */
  readonly issued?: string;
}

export type IdentityMode = 'up' | 'down' | 'hang';

export interface LocalManagedIdentityOptions {
  /** The user-assigned identity's client id: the only one it issues tokens for. */
  readonly clientId: string;
  /** Lifetime of the tokens it issues, in seconds; an hour unless given. */
  readonly lifetimeSeconds?: number;
}

/**
 * What a host's identity endpoint answers, on loopback: App Service's (GET /msi/token, api-version
 * 2019-08-01, the X-IDENTITY-HEADER it set for the app) and the instance metadata service's (GET
 * /metadata/identity/oauth2/token, api-version 2018-02-01, `Metadata: true`), with the bodies each
 * documents. Tokens are opaque strings of an Entra token's length, new each time unless a test made
 * one current for a resource (`roll`); it remembers what it was asked, and can be made to fail or to hang.
 */
export class LocalManagedIdentity {
  readonly requests: IdentityRequest[] = [];
  /** The value App Service puts in IDENTITY_HEADER. */
  readonly secret = randomBytes(16).toString('hex');
  mode: IdentityMode = 'up';
  lifetimeSeconds: number;
  private issuedCount = 0;
  private readonly current = new Map<string, string>();
  private readonly hanging = new Set<http.ServerResponse>();

  private constructor(
    private readonly server: http.Server,
    private readonly options: LocalManagedIdentityOptions,
  ) {
    this.lifetimeSeconds = options.lifetimeSeconds ?? 3600;
  }

  static async start(options: LocalManagedIdentityOptions): Promise<LocalManagedIdentity> {
    const server = http.createServer();
    const identity = new LocalManagedIdentity(server, options);
    server.on('request', (req, res) => identity.answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return identity;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** IDENTITY_ENDPOINT, as App Service sets it. */
  get appServiceEndpoint(): string {
    return `${this.url}/msi/token`;
  }

  /** The instance metadata service's token URL, moved to this port. */
  get instanceMetadataEndpoint(): string {
    return `${this.url}/metadata/identity/oauth2/token`;
  }

  /**
   * A new token for `resource`, handed out from now on to every request for it: what a test makes
   * the database accept before the bot may ask for it, as Entra's current tokens are.
   */
  roll(resource: string): string {
    const token = newToken(++this.issuedCount);
    this.current.set(resource, token);
    return token;
  }

  /** Every token issued so far, optionally for one resource only. */
  issued(resource?: string): string[] {
    return this.requests.flatMap((request) =>
      request.issued && (resource === undefined || request.resource === resource) ? [request.issued] : [],
    );
  }

  close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const kind =
      url.pathname === '/msi/token'
        ? 'appService'
        : url.pathname === '/metadata/identity/oauth2/token'
          ? 'instanceMetadata'
          : undefined;
    const respond = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || !kind) return respond(404, { error: 'not_found' });
    const header = String((kind === 'appService' ? req.headers['x-identity-header'] : req.headers.metadata) ?? '');
    const request = {
      kind,
      apiVersion: url.searchParams.get('api-version') ?? '',
      resource: url.searchParams.get('resource') ?? '',
      clientId: url.searchParams.get('client_id') ?? '',
      header,
    } as const;
    if (this.mode === 'hang') {
      this.requests.push(request);
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    const refusal = this.refusal(request);
    if (refusal) {
      this.requests.push(request);
      return respond(refusal.status, refusal.body);
    }
    const token = this.current.get(request.resource) ?? newToken(++this.issuedCount);
    this.requests.push({ ...request, issued: token });
    const expiresOn = Math.floor(Date.now() / 1000) + this.lifetimeSeconds;
    if (kind === 'appService') {
      return respond(200, {
        access_token: token,
        expires_on: String(expiresOn),
        resource: request.resource,
        token_type: 'Bearer',
        client_id: request.clientId,
      });
    }
    return respond(200, {
      access_token: token,
      client_id: request.clientId,
      expires_in: String(this.lifetimeSeconds),
      expires_on: String(expiresOn),
      ext_expires_in: String(this.lifetimeSeconds),
      not_before: String(expiresOn - this.lifetimeSeconds),
      resource: request.resource,
      token_type: 'Bearer',
    });
  }

  private refusal(request: Omit<IdentityRequest, 'issued'>): { status: number; body: unknown } | undefined {
    if (this.mode === 'down') return { status: 503, body: { error: 'service_unavailable' } };
    const appService = request.kind === 'appService';
    if (appService ? request.header !== this.secret : request.header !== 'true') {
      return appService
        ? { status: 401, body: { statusCode: 401, message: 'Unauthorized' } }
        : { status: 400, body: { error: 'invalid_request', error_description: 'Required metadata header not specified' } };
    }
    if (request.apiVersion !== (appService ? '2019-08-01' : '2018-02-01') || request.resource === '') {
      return { status: 400, body: { error: 'invalid_request', error_description: 'api-version or resource missing' } };
    }
    if (request.clientId !== this.options.clientId) {
      return appService
        ? {
            status: 400,
            body: {
              statusCode: 400,
              message: 'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.',
            },
          }
        : { status: 400, body: { error: 'invalid_request', error_description: 'Identity not found' } };
    }
    return undefined;
  }
}

/** As long as an Entra access token, and as opaque to the bot. */
function newToken(serial: number): string {
  return `${randomBytes(1100).toString('base64url')}.mi${serial}`;
}
