import { guardLinks, type RefusedLink } from '../cards/linkGuard';
import type { NotificationSender, OutboundMessage } from '../domain/ports/notifications';
import type { SendOutcome } from '../domain/ports/outbox';
import type { Telemetry } from '../domain/ports/telemetry';
import { readAddress } from './conversationAddress';
import { BotConnector, type TokenSource } from './botConnector';
import { HttpClient } from './http';
import type { ServiceUrlPolicy } from './serviceUrlPolicy';

export interface ConnectorSenderOptions {
  /** None in development mode, where the Emulator and loopback connectors take anonymous posts. */
  readonly tokens?: TokenSource;
  /** A post, its token and a refresh after a 401 included, gives up after this long. */
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
  /** Counts the sends, as the outbox's. */
  readonly telemetry?: Telemetry;
}

/**
 * Posts messages to conversations through the Bot Connector REST API itself, so that the outbox
 * decides about pacing and retries: every answer comes back as it is, 429 and Retry-After included,
 * with no retries hidden in a client library.
 */
export class ConnectorSender implements NotificationSender {
  private readonly connector: BotConnector;

  constructor(private readonly options: ConnectorSenderOptions = {}) {
    this.connector = new BotConnector({
      ...(options.tokens && { tokens: options.tokens }),
      timeoutMs: options.timeoutMs ?? 5_000,
      serviceUrls: options.serviceUrls ?? { loopbackOnly: false },
      http: options.http ?? new HttpClient(),
      retries: 0,
      ...(options.now && { now: options.now }),
      ...(options.telemetry && { telemetry: options.telemetry }),
      origin: 'outbox',
    });
  }

  async send(address: string, message: OutboundMessage): Promise<SendOutcome> {
    const reference = readAddress(address);
    // 400 as the connector would answer a request it cannot take: the outbox does not retry it.
    if (!reference) return { ok: false, status: 400, error: 'not a conversation address' };
    const links = guardLinks(message.attachments, this.options.extraLinkHosts ?? []);
    if (links.refused.length > 0) this.options.onRefusedLinks?.(links.refused);
    const activity = {
      type: 'message',
      ...message,
      ...(message.attachments && { attachments: links.value }),
      channelId: reference.channelId,
      serviceUrl: reference.serviceUrl,
      conversation: reference.conversation,
      ...(reference.bot && { from: reference.bot }),
      ...(reference.user && { recipient: reference.user }),
      ...(reference.locale && { locale: reference.locale }),
    };
    const outcome = await this.connector.post(
      { serviceUrl: reference.serviceUrl, conversationId: reference.conversation.id },
      activity,
    );
    return outcome.ok ? { ok: true, ...(outcome.id && { messageId: outcome.id }) } : outcome;
  }
}
