import type { KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';

/**
 * What Bot Framework's token services publish, on loopback: an OpenID configuration and a key set for
 * channel tokens (keys with `endorsements`: the channels each key may speak for) and one for Emulator
 * tokens (Entra's keys, without endorsements). Tests point the bot's ToBot…OpenIdMetadataUrl settings
 * here and mint tokens with the keys; it counts every fetch, and can be made to fail or to hang.
 */

/** The issuer botbuilder accepts on Emulator tokens (Entra v1, Bot Framework's tenant); built into the SDK. */
export const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';
/** Channel tokens' issuer in these tests: ToBotFromChannelTokenIssuer points here, away from the public cloud's. */
export const CHANNEL_ISSUER = 'https://api.botframework.test';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly endorsements?: readonly string[];
}

export type ProviderMode = 'up' | 'down' | 'hang';

async function signingKey(kid: string, endorsements?: readonly string[]): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair<KeyObject>('RS256', { extractable: true });
  return {
    kid,
    privateKey,
    publicKey,
    ...(endorsements && { endorsements }),
  };
}

export class LocalOpenIdProvider {
  /** Requests by path, however they were answered. */
  readonly fetches = new Map<string, number>();
  mode: ProviderMode = 'up';
  private readonly hanging = new Set<http.ServerResponse>();

  private constructor(
    private readonly server: http.Server,
    /** Endorses every channel the tests use. */
    readonly channelKey: SigningKey,
    /** Endorses Teams only. */
    readonly teamsOnlyKey: SigningKey,
    readonly emulatorKey: SigningKey,
    /** Never published: tokens signed with it name a published kid or an unknown one. */
    readonly strangerKey: SigningKey,
  ) {}

  static async start(mode: ProviderMode = 'up'): Promise<LocalOpenIdProvider> {
    const server = http.createServer();
    const provider = new LocalOpenIdProvider(
      server,
      await signingKey('bf-channels', ['msteams', 'emulator', 'webchat', 'directline']),
      await signingKey('bf-teams-only', ['msteams']),
      await signingKey('entra-emulator'),
      await signingKey('stranger'),
    );
    provider.mode = mode;
    const jwks = {
      channel: { keys: await Promise.all([provider.channelKey, provider.teamsOnlyKey].map(publish)) },
      emulator: { keys: [await publish(provider.emulatorKey)] },
    };
    server.on('request', (req, res) => provider.answer(req, res, jwks));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return provider;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  get channelMetadataUrl(): string {
    return `${this.url}/channel/v1/.well-known/openidconfiguration`;
  }

  get emulatorMetadataUrl(): string {
    return `${this.url}/emulator/v2.0/.well-known/openid-configuration`;
  }

  /** Fetches of one issuer's documents (metadata and keys), or of all. */
  fetchCount(issuer?: 'channel' | 'emulator'): number {
    return [...this.fetches].filter(([path]) => !issuer || path.startsWith(`/${issuer}/`)).reduce((sum, [, n]) => sum + n, 0);
  }

  /** Metadata documents fetched: one per attempt the bot makes to load an issuer's keys. */
  metadataFetches(issuer: 'channel' | 'emulator'): number {
    return [...this.fetches]
      .filter(([path]) => path.startsWith(`/${issuer}/`) && path.includes('.well-known'))
      .reduce((sum, [, n]) => sum + n, 0);
  }

  /** Requests held unanswered in 'hang' mode. */
  get hangingRequests(): number {
    return this.hanging.size;
  }

  /** Up again, with no fetches counted: for tests that share one provider. */
  reset(): void {
    this.mode = 'up';
    this.fetches.clear();
  }

  /** Cuts the requests held in 'hang' mode: their fetches fail. */
  cutHanging(): void {
    for (const response of this.hanging) response.destroy();
  }

  close(): Promise<void> {
    this.cutHanging();
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private answer(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    jwks: Readonly<Record<'channel' | 'emulator', unknown>>,
  ): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    this.fetches.set(path, (this.fetches.get(path) ?? 0) + 1);
    if (this.mode === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (this.mode === 'down') {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"error":"unavailable"}');
      return;
    }
    const documents: Record<string, unknown> = {
      '/channel/v1/.well-known/openidconfiguration': {
        issuer: CHANNEL_ISSUER,
        jwks_uri: `${this.url}/channel/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      },
      '/channel/keys': jwks.channel,
      '/emulator/v2.0/.well-known/openid-configuration': {
        issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
        jwks_uri: `${this.url}/emulator/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
      },
      '/emulator/keys': jwks.emulator,
    };
    const document = documents[path];
    res.writeHead(document ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(document ?? { error: 'not found' }));
  }
}

async function publish(key: SigningKey): Promise<JWK> {
  const jwk = await exportJWK(key.publicKey);
  return { ...jwk, kid: key.kid, use: 'sig', alg: 'RS256', ...(key.endorsements && { endorsements: [...key.endorsements] }) };
}

export interface TokenOptions {
  readonly key: SigningKey;
  /** The kid the header names; the key's own unless a test lies. */
  readonly kid?: string;
  readonly claims: JWTPayload & Record<string, unknown>;
  /** Seconds from now; an hour unless given. */
  readonly expiresIn?: number;
  /** Seconds from now the token becomes valid; now unless given. */
  readonly notBefore?: number;
}

/** An RS256 token as Bot Framework's services sign them. */
export async function signToken(options: TokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(options.claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? options.key.kid })
    .setIssuedAt(now - 60)
    .setNotBefore(now + (options.notBefore ?? -60))
    .setExpirationTime(now + (options.expiresIn ?? 3600))
    .sign(options.key.privateKey);
}

/** What the Bot Connector sends a bot: aud the bot, the issuer configured, and the serviceUrl it posted from. */
export function channelClaims(appId: string, serviceUrl: string): JWTPayload & Record<string, unknown> {
  return { iss: CHANNEL_ISSUER, aud: appId, serviceurl: serviceUrl };
}

/** What the Emulator sends a bot it has the credentials of: a v1 Entra token for the bot's own app. */
export function emulatorClaims(appId: string): JWTPayload & Record<string, unknown> {
  return { iss: EMULATOR_ISSUER, aud: appId, appid: appId, ver: '1.0', tid: 'd6d49420-f39b-4df7-a1dc-d59a935871db' };
}

/** alg none: a token with no signature at all. */
export function unsignedToken(claims: JWTPayload, kid: string): string {
  const token = new UnsecuredJWT(claims).setIssuedAt().setExpirationTime('1h').encode();
  // jose writes {"alg":"none"}; name a published kid as an attacker would.
  const [, payload] = token.split('.');
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid })).toString('base64url');
  return `${header}.${payload}.`;
}

/** HS256 keyed with the published public key's PEM: the old key-confusion attack on RS256 verifiers. */
export async function publicKeyAsSecretToken(key: SigningKey, claims: JWTPayload): Promise<string> {
  const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(pem));
}

/** The same token with one character of its signature changed. */
export function corruptSignature(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  const middle = Math.floor(signature.length / 2);
  const changed = signature[middle] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, middle)}${changed}${signature.slice(middle + 1)}`;
}
