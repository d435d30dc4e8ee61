import { resourceIdOf, type TokenSource } from './connectorSender';
import { withTimeout, type HttpAnswer, type HttpClient, type PostFailure } from './http';
import { serviceUrlProblem, type ServiceUrlPolicy } from './serviceUrlPolicy';

/** The conversation a reply goes to, as the turn's activity names it. */
export interface ReplyTarget {
  readonly serviceUrl: string;
  readonly conversationId: string;
}

export type ReplyOutcome = { readonly ok: true; readonly id?: string } | PostFailure;

export interface ConnectorRepliesOptions {
  /** None in development mode, where the Emulator and loopback connectors take anonymous requests. */
  readonly tokens?: TokenSource;
  /** A reply, its token and its retries included, gives up after this long. */
  readonly timeoutMs: number;
  readonly serviceUrls: ServiceUrlPolicy;
  readonly http: HttpClient;
  readonly now?: () => Date;
  /** How a wait before a retry is made; tests pass one that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Retries after the first attempt, as the SDK's connector client made them. */
const MAX_RETRIES = 3;
const FIRST_BACKOFF_MS = 250;

/**
 * Answers the connector gives when it did not take the message, so that sending it again cannot
 * post it twice. A 500 may come after the message was posted: it is not retried.
 */
const RETRIED_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * A turn's replies to the Bot Connector REST API: a new message (in reply to the user's, so that
 * Teams keeps it in the channel thread) and a card drawn again. Unlike the outbox, which decides
 * about its own retries, a turn is answered now: a throttled or briefly unavailable connector is
 * asked again, after its Retry-After or a short backoff, as long as the wait ends within the timeout.
 */
export class ConnectorReplies {
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ConnectorRepliesOptions) {
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Posts a message to the conversation; `replyToId` names the message it answers. */
  post(target: ReplyTarget, activity: object, replyToId?: string): Promise<ReplyOutcome> {
    const path = replyToId ? `/${encodeURIComponent(replyToId)}` : '';
    return this.request('POST', target, path, activity);
  }

  /** Replaces the message `activityId` (a card drawn again) with `activity`. */
  update(target: ReplyTarget, activityId: string, activity: object): Promise<ReplyOutcome> {
    return this.request('PUT', target, `/${encodeURIComponent(activityId)}`, activity);
  }

  private async request(method: 'POST' | 'PUT', target: ReplyTarget, path: string, activity: object): Promise<ReplyOutcome> {
    const refusal = serviceUrlProblem(target.serviceUrl, this.options.serviceUrls);
    if (refusal) return { ok: false, status: 400, error: `not sent: serviceUrl ${refusal}` };
    const base = target.serviceUrl.replace(/\/+$/, '');
    const url = `${base}/v3/conversations/${encodeURIComponent(target.conversationId)}/activities${path}`;
    const body = JSON.stringify(activity);
    const deadline = Date.now() + this.options.timeoutMs;
    let refreshed = false;
    let refreshNow = false;
    let retries = 0;
    for (;;) {
      const answer = await this.attempt(method, url, body, deadline, refreshNow);
      refreshNow = false;
      if (answer.ok) {
        const id = resourceIdOf(answer.body);
        return { ok: true, ...(id && { id }) };
      }
      // A token refused: one new token, not counted as a retry.
      if (answer.status === 401 && this.options.tokens && !refreshed) {
        refreshed = refreshNow = true;
        continue;
      }
      if (answer.status === undefined || !RETRIED_STATUSES.has(answer.status) || retries >= MAX_RETRIES) return answer;
      const waitMs = answer.retryAfterMs ?? FIRST_BACKOFF_MS * 2 ** retries;
      // A wait that would end past the timeout is not begun: the turn hears the answer now.
      if (Date.now() + waitMs >= deadline) return answer;
      retries++;
      await this.sleep(waitMs);
    }
  }

  private async attempt(
    method: 'POST' | 'PUT',
    url: string,
    body: string,
    deadline: number,
    refreshToken: boolean,
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    const timeoutMs = Math.max(1, deadline - Date.now());
    if (this.options.tokens) {
      try {
        // The token endpoint can hang as well as the connector: it gets the same bound.
        headers.authorization = `Bearer ${await withTimeout(this.options.tokens.token(refreshToken), timeoutMs, 'token endpoint timed out')}`;
      } catch (error: unknown) {
        return { ok: false, error: `no token for the connector: ${error instanceof Error ? error.message : String(error)}` };
      }
    }
    return this.options.http.send(method, url, {
      headers,
      body,
      timeoutMs: Math.max(1, deadline - Date.now()),
      peer: 'connector',
      now: this.now,
    });
  }
}
