import type { NotificationSender, OutboundMessage } from '../domain/ports/notifications';
import type { SendOutcome } from '../domain/ports/outbox';
import { readAddress } from './conversationAddress';
import { post } from './http';

/** A bearer token for the Bot Connector service; refreshed when it asks again after a 401. */
export interface TokenSource {
  token(forceRefresh: boolean): Promise<string>;
}

export interface ConnectorSenderOptions {
  /** None in development mode, where the Emulator and loopback connectors take anonymous posts. */
  readonly tokens?: TokenSource;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/**
 * Posts messages to conversations through the Bot Connector REST API itself, so that the outbox
 * decides about pacing and retries: every answer comes back as it is, 429 and Retry-After included,
 * with no retries hidden in a client library.
 */
export class ConnectorSender implements NotificationSender {
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: ConnectorSenderOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.now = options.now ?? (() => new Date());
  }

  async send(address: string, message: OutboundMessage): Promise<SendOutcome> {
    const reference = readAddress(address);
    if (!reference) return { ok: false, status: 400, error: 'not a conversation address' };
    const url = `${reference.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(reference.conversation.id)}/activities`;
    const body = JSON.stringify({
      type: 'message',
      ...message,
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
      if (this.options.tokens) headers.authorization = `Bearer ${await this.options.tokens.token(refreshToken)}`;
    } catch (error: unknown) {
      return { ok: false, error: `no token for the connector: ${error instanceof Error ? error.message : String(error)}` };
    }
    const answer = await post(url, { headers, body, timeoutMs: this.timeoutMs, peer: 'connector', now: this.now });
    if (!answer.ok) return answer;
    const id = messageIdOf(answer.body);
    return { ok: true, ...(id && { messageId: id }) };
  }
}

function messageIdOf(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    const id = typeof parsed === 'object' && parsed !== null ? (parsed as { id?: unknown }).id : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
