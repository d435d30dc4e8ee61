import type { SendOutcome } from '../domain/ports/outbox';

export type PostFailure = Extract<SendOutcome, { ok: false }>;

export interface PostRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
  /** Who is posted to, for the error text: "connector", "webhook". */
  readonly peer: string;
  /** Retry-After as a date is counted from this. */
  readonly now: () => Date;
}

/**
 * One POST, bounded by a timeout: the answer's body when it is a 2xx, otherwise what the outbox
 * needs to decide about a retry (status and Retry-After), or why nothing came back at all.
 */
export async function post(
  url: string,
  request: PostRequest,
): Promise<{ readonly ok: true; readonly body: string } | PostFailure> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error: unknown) {
    return { ok: false, error: `${request.peer} unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
  const body = await response.text();
  if (response.ok) return { ok: true, body };
  const retryAfterMs = retryAfter(response.headers.get('retry-after'), request.now());
  return {
    ok: false,
    status: response.status,
    error: `${request.peer} answered ${response.status}`,
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
