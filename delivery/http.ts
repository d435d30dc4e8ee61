import http from 'node:http';
import https from 'node:https';
import type { SendOutcome } from '../domain/ports/outbox';

export type PostFailure = Extract<SendOutcome, { ok: false }>;

export interface HttpRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
  /** Who is posted to, for the error text: "connector", "webhook". */
  readonly peer: string;
  /** Retry-After as a date is counted from this. */
  readonly now: () => Date;
}

export type HttpMethod = 'POST' | 'PUT';

export type HttpAnswer = { readonly ok: true; readonly body: string } | PostFailure;

/** Connector and webhook answers are a few hundred bytes: anything past this is not read. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** Below the 5 s keep-alive of Node's and most servers, so that an idle socket is closed here first. */
const IDLE_SOCKET_MS = 4_000;

/**
 * Connections open at once to one origin; past this, requests wait for a socket (within their
 * timeout), so that a connector that stalls cannot make the bot open sockets without end.
 */
const MAX_SOCKETS_PER_ORIGIN = 256;

/**
 * Requests to the Bot Connector and the support webhook over kept-alive connections, on Node's own
 * http client. It costs a fraction of what `fetch` does per request here (measured: a turn's reply
 * through fetch took more CPU than the rest of the turn), and a bot sends a request for every reply.
 */
export class HttpClient {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, maxSockets: MAX_SOCKETS_PER_ORIGIN }),
    'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, maxSockets: MAX_SOCKETS_PER_ORIGIN }),
  };

  /**
   * One request, bounded by a timeout: the answer's body when it is a 2xx, otherwise what a caller
   * needs to decide about a retry (status and Retry-After), or why nothing came back at all.
   */
  async send(method: HttpMethod, url: string, request: HttpRequest): Promise<HttpAnswer> {
    const deadline = Date.now() + request.timeoutMs;
    const first = await this.attempt(method, url, request, request.timeoutMs);
    // A kept-alive socket the server closed as it was taken: the server never read the request, so
    // it is sent once more on a new connection (what Node's documentation advises).
    if (first.kind === 'reset on reused socket' && Date.now() < deadline)
      return answerOf(await this.attempt(method, url, request, deadline - Date.now()), request);
    return answerOf(first, request);
  }

  /** Closes idle connections; requests under way finish. */
  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  private attempt(method: HttpMethod, url: string, request: HttpRequest, timeoutMs: number): Promise<Attempt> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.resolve({ kind: 'failed', reason: `not a URL: ${url}` });
    }
    const agent =
      target.protocol === 'https:' ? this.agents['https:'] : target.protocol === 'http:' ? this.agents['http:'] : undefined;
    if (!agent) return Promise.resolve({ kind: 'failed', reason: `not an http(s) URL: ${target.protocol}` });
    const body = Buffer.from(request.body, 'utf8');
    const send = target.protocol === 'https:' ? https.request : http.request;
    return new Promise<Attempt>((resolve) => {
      let settled = false;
      const settle = (attempt: Attempt): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(attempt);
      };
      const outgoing = send(
        target,
        { method, agent, headers: { ...request.headers, 'content-length': String(body.length) } },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) {
              outgoing.destroy();
              settle({ kind: 'failed', reason: `answered more than ${MAX_ANSWER_BYTES} bytes` });
            } else chunks.push(chunk);
          });
          response.on('end', () =>
            settle({
              kind: 'answered',
              status: response.statusCode ?? 0,
              retryAfter: response.headers['retry-after'],
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', (error) => settle({ kind: 'failed', reason: error.message }));
        },
      );
      const timer = setTimeout(() => {
        outgoing.destroy();
        settle({ kind: 'failed', reason: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        const reset = outgoing.reusedSocket && error.code === 'ECONNRESET';
        settle(reset ? { kind: 'reset on reused socket', reason: error.message } : { kind: 'failed', reason: error.message });
      });
      outgoing.end(body);
    });
  }
}

type Attempt =
  | { readonly kind: 'answered'; readonly status: number; readonly retryAfter: string | undefined; readonly body: string }
  | { readonly kind: 'failed' | 'reset on reused socket'; readonly reason: string };

function answerOf(attempt: Attempt, request: HttpRequest): HttpAnswer {
  if (attempt.kind !== 'answered') return { ok: false, error: `${request.peer} unreachable: ${attempt.reason}` };
  if (attempt.status >= 200 && attempt.status < 300) return { ok: true, body: attempt.body };
  const retryAfterMs = retryAfter(attempt.retryAfter, request.now());
  return {
    ok: false,
    status: attempt.status,
    error: `${request.peer} answered ${attempt.status}`,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  };
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfter(header: string | null | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** The promise's outcome, or a rejection with `message` once `ms` have passed; the timer never outlives it. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
