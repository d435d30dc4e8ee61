import { guardLinks, type RefusedLink } from '../cards/linkGuard';
import type { NotificationSender, OutboundMessage } from '../domain/ports/notifications';
import type { SendOutcome } from '../domain/ports/outbox';
import { readAddress } from './conversationAddress';
import { HttpClient, withTimeout } from './http';
import { serviceUrlProblem, type ServiceUrlPolicy } from './serviceUrlPolicy';

/** A bearer token for the Bot Connector service; refreshed when it asks again after a 401. */
export interface TokenSource {
  token(forceRefresh: boolean): Promise<string>;
}

export interface ConnectorSenderOptions {
  /** None in development mode, where the Emulator and loopback connectors take anonymous posts. */
  readonly tokens?: TokenSource;
  /** A post, token included, gives up after this long. */
  readonly timeoutMs?: number;
  /** Checked for every address, so that one stored before the rule (or by a bad activity) is never posted to. */
  readonly serviceUrls?: ServiceUrlPolicy;
  /** Hosts allowed on card links besides the built-in ones; other links are left off the card. */
  readonly extraLinkHosts?: readonly string[];
  /** Told about every link left off a card. */
  readonly onRefusedLinks?: (refused: readonly RefusedLink[]) => void;
  readonly now?: () => Date;
  /** The bot's kept-alive connections; one of its own when not given. */
  readonly http?: HttpClient;
}

/**
 * Posts messages to conversations through the Bot Connector REST API itself, so that the outbox
 * decides about pacing and retries: every answer comes back as it is, 429 and Retry-After included,
 * with no retries hidden in a client library.
 */
export class ConnectorSender implements NotificationSender {
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly http: HttpClient;

  constructor(private readonly options: ConnectorSenderOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.now = options.now ?? (() => new Date());
    this.http = options.http ?? new HttpClient();
  }

  async send(address: string, message: OutboundMessage): Promise<SendOutcome> {
    const reference = readAddress(address);
    // 400 as the connector would answer a request it cannot take: the outbox does not retry it.
    if (!reference) return { ok: false, status: 400, error: 'not a conversation address' };
    const refusal = serviceUrlProblem(reference.serviceUrl, this.options.serviceUrls ?? { loopbackOnly: false });
    if (refusal) return { ok: false, status: 400, error: `not sent: serviceUrl ${refusal}` };
    const url = `${reference.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(reference.conversation.id)}/activities`;
    const links = guardLinks(message.attachments, this.options.extraLinkHosts ?? []);
    if (links.refused.length > 0) this.options.onRefusedLinks?.(links.refused);
    const body = JSON.stringify({
      type: 'message',
      ...message,
      ...(message.attachments && { attachments: links.value }),
      channelId: reference.channelId,
      serviceUrl: reference.serviceUrl,
      conversation: reference.conversation,
      ...(reference.bot && { from: reference.bot }),
      ...(reference.user && { recipient: reference.user }),
      ...(reference.locale && { locale: reference.locale }),
    });
    let response = await this.post(url, body, false);
    if (response.ok === false && response.status === 401 && this.options.tokens) response = await this.post(url, body, true);
    return response;
  }

  private async post(url: string, body: string, refreshToken: boolean): Promise<SendOutcome> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    try {
      // The token endpoint can hang as well as the connector: it gets the same bound.
      if (this.options.tokens) {
        const token = await withTimeout(this.options.tokens.token(refreshToken), this.timeoutMs, 'token endpoint timed out');
        headers.authorization = `Bearer ${token}`;
      }
    } catch (error: unknown) {
      return { ok: false, error: `no token for the connector: ${error instanceof Error ? error.message : String(error)}` };
    }
    const answer = await this.http.send('POST', url, {
      headers,
      body,
      timeoutMs: this.timeoutMs,
      peer: 'connector',
      now: this.now,
    });
    if (!answer.ok) return answer;
    const id = resourceIdOf(answer.body);
    return { ok: true, ...(id && { messageId: id }) };
  }
}

/** The connector answers a ResourceResponse: the id of the message it posted or replaced. */
export function resourceIdOf(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    const id: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'id') : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
