import { createPublicKey } from 'node:crypto';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';
import { OpenIdMetadata, type IOpenIdMetadataKey } from 'botframework-connector/lib/auth/openIdMetadata';
import { z } from 'zod';

/** The bot cannot verify a token because it holds no keys for its issuer and cannot fetch them now. */
export class SigningKeysUnavailableError extends Error {
  constructor(
    readonly metadataUrl: string,
    /** When a retry can expect another fetch, in whole seconds. */
    readonly retryAfterSeconds: number,
  ) {
    super(`signing keys of ${metadataUrl} are not available`);
    this.name = 'SigningKeysUnavailableError';
  }
}

export interface KeySourceLog {
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export interface KeySourceOptions {
  readonly log: KeySourceLog;
  readonly now?: () => number;
  /** One fetch of the metadata document and then of its key set gives up after this long. */
  readonly fetchTimeoutMs?: number;
  /** How long a request waits for a fetch in flight before it is answered without it. */
  readonly waitMs?: number;
  /** Keys are fetched again after this long (the SDK's default is a day); until then they serve. */
  readonly refreshMs?: number;
  /** A token naming a key the set does not hold fetches the set again at most this often. */
  readonly unknownKeyRefreshMs?: number;
  /** After a failed fetch the next waits this long, doubling with each failure up to the maximum. */
  readonly firstBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

const MIN_MODULUS_BITS = 2048;

const metadataSchema = z.looseObject({ jwks_uri: z.url({ protocol: /^https?$/ }) });
const keySetSchema = z.looseObject({ keys: z.array(z.unknown()).max(1000) });
const rsaKeySchema = z.looseObject({
  kid: z.string().min(1),
  kty: z.literal('RSA'),
  n: z.string().regex(/^[\w-]+$/),
  e: z.string().regex(/^[\w-]+$/),
  endorsements: z.array(z.string()).optional(),
});

/**
 * The signing keys of one OpenID metadata URL, for botbuilder's token validation, which keeps one
 * OpenIdMetadata per URL and asks it for each token's key. Unlike the SDK's own, it bounds every fetch
 * by a timeout, makes concurrent requests share one fetch, keeps serving the keys it has while a
 * refresh fails, and remembers a failure: further fetches wait for a backoff that doubles, so that a
 * flood of forged tokens costs one fetch per interval and each is answered at once. Only while it holds
 * no keys at all does a token need it to throw SigningKeysUnavailableError (answered 503).
 */
export class OpenIdKeySource extends OpenIdMetadata {
  private readonly log: KeySourceLog;
  private readonly now: () => number;
  private readonly fetchTimeoutMs: number;
  private readonly waitMs: number;
  private readonly refreshMs: number;
  private readonly unknownKeyRefreshMs: number;
  private readonly firstBackoffMs: number;
  private readonly maxBackoffMs: number;
  private held: ReadonlyMap<string, IOpenIdMetadataKey> | undefined;
  private loadedAt = 0;
  private failures = 0;
  private retryAt = 0;
  private inFlight: Promise<void> | undefined;
  /** Whether a fetch has failed, or outlasted a request's wait for it, since the source was made. */
  private firstFetchOver = false;

  constructor(
    readonly metadataUrl: string,
    options: KeySourceOptions,
  ) {
    super(metadataUrl);
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? 10_000;
    this.waitMs = options.waitMs ?? 1_000;
    this.refreshMs = options.refreshMs ?? 24 * 60 * 60 * 1000;
    this.unknownKeyRefreshMs = options.unknownKeyRefreshMs ?? 5 * 60 * 1000;
    this.firstBackoffMs = options.firstBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
  }

  override async getKey(keyId: string): Promise<IOpenIdMetadataKey | null> {
    const fresh = this.held !== undefined && this.now() - this.loadedAt < this.refreshMs;
    if (fresh) {
      const key = this.held?.get(keyId);
      // A key Microsoft rotated in is published before tokens use it: look again, but not for every forged kid.
      if (key || this.now() - this.loadedAt < this.unknownKeyRefreshMs) return key ?? null;
    }
    // Without keys, only the first fetch is waited for: once one failed or outlasted its wait, a
    // request is answered at once while the next fetch runs behind it, so a flood is never held.
    if (this.held || !this.firstFetchOver) await this.settle();
    // Not waited for, and never rejects: refresh() records its own failure.
    else void this.startFetch();
    if (this.held) return this.held.get(keyId) ?? null;
    throw new SigningKeysUnavailableError(this.metadataUrl, Math.max(1, Math.ceil((this.retryAt - this.now()) / 1000)));
  }

  /** Resolves once no fetch is in flight (one started behind a request answered at once, say). */
  async idle(): Promise<void> {
    await this.inFlight;
  }

  /** Fetches the keys at start, so that the first request finds them; waits no longer than a request would. */
  warmUp(): Promise<void> {
    return this.settle();
  }

  /** Starts a fetch unless one is in flight or a failure's backoff runs; the fetch in flight, if any. */
  private startFetch(): Promise<void> | undefined {
    if (!this.inFlight && this.now() >= this.retryAt) this.inFlight = this.refresh();
    return this.inFlight;
  }

  /** Starts a fetch as startFetch does, and waits a bounded while for the one in flight. */
  private async settle(): Promise<void> {
    const fetching = this.startFetch();
    if (!fetching) return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'waited'>((resolve) => {
      timer = setTimeout(() => resolve('waited'), this.waitMs);
    });
    try {
      if ((await Promise.race([fetching, waited])) === 'waited') this.firstFetchOver = true;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Never rejects: a failure is recorded, with the time the next fetch may start. */
  private async refresh(): Promise<void> {
    try {
      const keys = await this.load();
      this.held = keys;
      this.loadedAt = this.now();
      this.failures = 0;
      this.retryAt = 0;
      this.log.info({ metadataUrl: this.metadataUrl, keys: keys.size }, 'signing keys loaded');
    } catch (error: unknown) {
      this.firstFetchOver = true;
      this.failures++;
      const backoffMs = Math.min(this.maxBackoffMs, this.firstBackoffMs * 2 ** (this.failures - 1));
      this.retryAt = this.now() + backoffMs;
      this.log.warn(
        {
          metadataUrl: this.metadataUrl,
          reason: error instanceof Error ? error.message : String(error),
          failures: this.failures,
          retryInMs: backoffMs,
          keysHeld: this.held?.size ?? 0,
        },
        'signing keys could not be loaded',
      );
    } finally {
      this.inFlight = undefined;
    }
  }

  private async load(): Promise<ReadonlyMap<string, IOpenIdMetadataKey>> {
    const metadata = metadataSchema.safeParse(await this.getJson(this.metadataUrl));
    if (!metadata.success) throw new Error(`${this.metadataUrl} is not an OpenID configuration with a jwks_uri`);
    const keySet = keySetSchema.safeParse(await this.getJson(metadata.data.jwks_uri));
    if (!keySet.success) throw new Error(`${metadata.data.jwks_uri} is not a JSON Web Key Set`);
    const keys = new Map<string, IOpenIdMetadataKey>();
    // As the SDK: RSA keys only; others (and malformed entries) cannot verify a Bot Framework token.
    for (const entry of keySet.data.keys) {
      const jwk = rsaKeySchema.safeParse(entry);
      if (!jwk.success) continue;
      try {
        const publicKey = createPublicKey({ key: { kty: 'RSA', n: jwk.data.n, e: jwk.data.e }, format: 'jwk' });
        // Microsoft signs with 2048-bit keys; anything weaker is not one of theirs.
        if ((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_MODULUS_BITS) continue;
        const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
        keys.set(jwk.data.kid, { key: pem, ...(jwk.data.endorsements && { endorsements: jwk.data.endorsements }) });
      } catch {
        continue;
      }
    }
    if (keys.size === 0) throw new Error(`${metadata.data.jwks_uri} holds no RSA signing keys`);
    return keys;
  }

  private async getJson(url: string): Promise<unknown> {
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.fetchTimeoutMs),
    });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response.json();
  }
}

/**
 * Puts a key source in place of the SDK's OpenIdMetadata for each URL. botbuilder's JwtTokenExtractor
 * keeps one per metadata URL in a static map and takes the one it finds there; it offers no other
 * way to change how keys are fetched. Checked at start, so that an SDK that changed this stops the
 * bot with a message instead of silently fetching without a negative cache.
 */
export function installKeySources(urls: readonly string[], options: KeySourceOptions): OpenIdKeySource[] {
  const cache: unknown = Reflect.get(JwtTokenExtractor, 'openIdMetadataCache');
  if (!(cache instanceof Map)) {
    throw new Error('botframework-connector no longer keeps OpenID metadata in JwtTokenExtractor.openIdMetadataCache');
  }
  return [...new Set(urls)].map((url) => {
    const source = new OpenIdKeySource(url, options);
    cache.set(url, source);
    return source;
  });
}
