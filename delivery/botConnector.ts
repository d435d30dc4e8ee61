import { noTelemetry, type Telemetry } from '../domain/ports/telemetry';
import { withTimeout, type HttpAnswer, type HttpClient, type PostFailure } from './http';
import { serviceUrlProblem, type ServiceUrlPolicy } from './serviceUrlPolicy';

/** A bearer token for the Bot Connector service; refreshed when it asks again after a 401. */
export interface TokenSource {
  token(forceRefresh: boolean): Promise<string>;
}

/** The conversation a message goes to: a turn's activity or a stored address names it. */
export interface ConversationTarget {
  readonly serviceUrl: string;
  readonly conversationId: string;
}

export type ConnectorOutcome = { readonly ok: true; readonly id?: string } | PostFailure;

export interface BotConnectorOptions {
  /** None in development mode, where the Emulator and loopback connectors take anonymous requests. */
  readonly tokens?: TokenSource;
  /** A request, its token and its retries included, gives up after this long. */
  readonly timeoutMs: number;
  /**
   * How often a throttled or briefly unavailable connector is asked again (three, as the SDK's
   * client did, when not given); 0 for a caller that decides about retries itself.
   */
  readonly retries?: number;
  readonly serviceUrls: ServiceUrlPolicy;
  readonly http: HttpClient;
  readonly now?: () => Date;
  /** How a wait before a retry is made; tests pass one that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Counts every request, and the 429s among them, as sent for `origin`. */
  readonly telemetry?: Telemetry;
  readonly origin?: 'reply' | 'outbox';
}

const DEFAULT_RETRIES = 3;
const FIRST_BACKOFF_MS = 250;

/**
 * Answers the connector gives when it did not take the message, so that sending it again cannot
 * post it twice. A 500 may come after the message was posted: it is not retried.
 */
const RETRIED_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Posts and replaces messages through the Bot Connector REST API, on the bot's kept-alive
 * connections: a turn's replies (a new message in reply to the user's, so that Teams keeps it in the
 * channel thread, and a card drawn again) and the outbox's sends. A throttled or briefly
 * unavailable connector is asked again, after its Retry-After or a short backoff, as long as the
 * wait ends within the timeout; the outbox asks for no retries, as it decides about its own.
 */
export class BotConnector {
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly retries: number;
  private readonly telemetry: Telemetry;

  constructor(private readonly options: BotConnectorOptions) {
    this.telemetry = options.telemetry ?? noTelemetry;
    this.now = options.now ?? (() => new Date());
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Posts a message to the conversation; `replyToId` names the message it answers. */
  post(target: ConversationTarget, activity: object, replyToId?: string): Promise<ConnectorOutcome> {
    const path = replyToId ? `/${encodeURIComponent(replyToId)}` : '';
    return this.request('POST', target, path, activity);
  }

  /** Replaces the message `activityId` (a card drawn again) with `activity`. */
  update(target: ConversationTarget, activityId: string, activity: object): Promise<ConnectorOutcome> {
    return this.request('PUT', target, `/${encodeURIComponent(activityId)}`, activity);
  }

  private async request(
    method: 'POST' | 'PUT',
    target: ConversationTarget,
    path: string,
    activity: object,
  ): Promise<ConnectorOutcome> {
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
      if (answer.status === undefined || !RETRIED_STATUSES.has(answer.status) || retries >= this.retries) return answer;
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
        this.count('noToken');
        return { ok: false, error: `no token for the connector: ${error instanceof Error ? error.message : String(error)}` };
      }
    }
    const answer = await this.options.http.send(method, url, {
      headers,
      body,
      timeoutMs: Math.max(1, deadline - Date.now()),
      peer: 'connector',
      now: this.now,
    });
    if (answer.ok) this.count('sent');
    else if (answer.status === undefined) this.count('unreachable');
    else this.count(answer.status === 429 ? 'throttled' : 'refused', answer.status);
    return answer;
  }

  private count(outcome: 'sent' | 'throttled' | 'refused' | 'unreachable' | 'noToken', status?: number): void {
    const origin = this.options.origin ?? 'reply';
    this.telemetry.count('bot.sends', 1, {
      'bot.origin': origin,
      'bot.outcome': outcome,
      ...(status !== undefined && { 'bot.status': status }),
    });
    if (outcome === 'throttled') this.telemetry.count('bot.throttled', 1, { 'bot.origin': origin });
  }
}

/** The connector answers a ResourceResponse: the id of the message it posted or replaced. */
function resourceIdOf(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    const id: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'id') : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
