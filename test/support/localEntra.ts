import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';

/** A client-credentials token request as the endpoint received it. */
export interface TokenRequest {
  readonly tenant: string;
  readonly clientId: string;
  readonly scope: string;
  readonly grantType: string;
  /** The token it issued, or undefined when it refused the request. */
  readonly issued?: string;
}

/**
 * An Entra-like token endpoint on loopback, over https as MSAL requires: the authority's OpenID
 * configuration and a client-credentials token endpoint for any tenant path. It issues opaque bearer
 * tokens to the one client it knows, and remembers what it was asked. The certificate is self-signed
 * for 127.0.0.1 and written to `caFile`, which the bot process is told to trust through Node's own
 * NODE_EXTRA_CA_CERTS.
 */
export class LocalEntra {
  readonly requests: TokenRequest[] = [];
  private issuedCount = 0;

  private constructor(
    private readonly server: https.Server,
    readonly caFile: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  static async start(clientId: string, clientSecret: string): Promise<LocalEntra> {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'local-entra-')), 'ca.pem');
    fs.writeFileSync(caFile, pems.cert);
    const server = https.createServer({ key: pems.private, cert: pems.cert });
    const entra = new LocalEntra(server, caFile, clientId, clientSecret);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const { status, body } = entra.answer(req.method ?? '', req.url ?? '', Buffer.concat(chunks).toString('utf8'));
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return entra;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `https://127.0.0.1:${port}`;
  }

  /** Every token issued so far, as `Bearer …` headers would carry them. */
  get issued(): string[] {
    return this.requests.flatMap((request) => (request.issued ? [request.issued] : []));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private answer(method: string, url: string, body: string): { status: number; body: unknown } {
    const pathname = new URL(url, this.url).pathname;
    const configuration = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(pathname);
    if (method === 'GET' && configuration) {
      const authority = `${this.url}/${configuration[1]}`;
      return {
        status: 200,
        body: {
          issuer: `${authority}/v2.0`,
          authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
          token_endpoint: `${authority}/oauth2/v2.0/token`,
          end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
          jwks_uri: `${this.url}/${configuration[1]}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'token'],
        },
      };
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(pathname);
    if (method === 'POST' && token) {
      const form = new URLSearchParams(body);
      const request = {
        tenant: token[1] ?? '',
        clientId: form.get('client_id') ?? '',
        scope: form.get('scope') ?? '',
        grantType: form.get('grant_type') ?? '',
      };
      if (request.clientId !== this.clientId || form.get('client_secret') !== this.clientSecret) {
        this.requests.push(request);
        return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret.' } };
      }
      const issued = `local-entra-token-${++this.issuedCount}`;
      this.requests.push({ ...request, issued });
      return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: issued } };
    }
    return { status: 404, body: { error: 'not_found' } };
  }
}
