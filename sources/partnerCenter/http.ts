import { retryAfter } from '../../delivery/http';

/** Gives bearer tokens for one API; `refresh` drops the one in hand (after a 401). */
export interface TokenProvider {
  token(refresh: boolean): Promise<string>;
}

export interface ApiClientOptions {
  readonly timeoutMs: number;
  /** Attempts for a request that fails in a way worth trying again (429, 503, 5xx, timeouts). */
  readonly attempts?: number;
  /** The first wait after a failure without Retry-After; it doubles each time. */
  readonly backoffMs?: number;
  /** The longest wait a Retry-After may ask for before the request is given up for this sync. */
  readonly maxWaitMs?: number;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The request could not be answered: the status (when there was one) and why, for the sync's log. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Statuses worth another try: throttling, timeouts, and the service being briefly unwell. */
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/**
 * GETs JSON from one of Partner Center's APIs: every request bounded by a timeout, a 401 answered by
 * one retry with a fresh token, 429 and 503 waiting for their Retry-After, other failures backing
 * off; what cannot be had after that is an ApiError. Counts the requests it makes.
 */
export class ApiClient {
  requests = 0;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly maxWaitMs: number;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly tokens: TokenProvider,
    private readonly options: ApiClientOptions,
  ) {
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 1000;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async getJson(url: string): Promise<unknown> {
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url, refreshed);
      if (outcome.ok) return outcome.body;
      if (outcome.status === 401 && !refreshed) {
        // A token that expired early or was revoked: one retry with a new one, not counted as an attempt.
        refreshed = true;
        attempt--;
        continue;
      }
      const retryable = outcome.status === undefined || RETRYABLE.has(outcome.status);
      if (!retryable || attempt >= this.attempts) throw new ApiError(`${describe(url)}: ${outcome.error}`, outcome.status);
      const wait = outcome.retryAfterMs ?? this.backoffMs * 2 ** (attempt - 1);
      if (wait > this.maxWaitMs)
        throw new ApiError(`${describe(url)}: ${outcome.error}, and asked to wait ${Math.ceil(wait / 1000)} s`, outcome.status);
      await this.sleep(wait);
    }
  }

  private async attempt(
    url: string,
    refresh: boolean,
  ): Promise<{ ok: true; body: unknown } | { ok: false; error: string; status?: number; retryAfterMs?: number }> {
    let token: string;
    try {
      token = await this.tokens.token(refresh);
    } catch (error: unknown) {
      // No token, no request: a wrong secret or tenant will not mend itself by retrying.
      throw new ApiError(`no token: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.requests++;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error: unknown) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return {
        ok: false,
        error: timedOut ? `no answer within ${this.options.timeoutMs} ms` : `unreachable (${errorText(error)})`,
      };
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      const wait = retryAfter(response.headers.get('retry-after'), this.now());
      return {
        ok: false,
        status: response.status,
        error: `answered ${response.status}${errorDetail(text)}`,
        ...(wait !== undefined && { retryAfterMs: wait }),
      };
    }
    try {
      return { ok: true, body: JSON.parse(text) };
    } catch {
      // A malformed answer may be a proxy's page or a cut-off body: worth another try.
      return { ok: false, error: 'answered with a body that is not JSON' };
    }
  }
}

/** The path, without a query: tokens and continuation tokens stay out of logs. */
function describe(url: string): string {
  const parsed = new URL(url);
  return `GET ${parsed.origin}${parsed.pathname}`;
}

function errorText(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

/** What the service said, shortly: the Graph envelope's code, or the legacy API's string. */
function errorDetail(text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'string') return `: ${body.slice(0, 200)}`;
    if (typeof body === 'object' && body !== null && 'error' in body) {
      const { error } = body;
      if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
        return `: ${error.code}`;
    }
  } catch {
    // Not JSON: nothing to add.
  }
  return '';
}
