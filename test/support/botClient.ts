import { randomUUID } from 'node:crypto';
import { cardsOf } from './cards';
import type { ConnectorActivity, Delivery, LoopbackConnector } from './loopbackConnector';

export interface PostResult {
  readonly status: number;
  readonly body: string;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<PostResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.text() };
}

export interface ConversationOptions {
  readonly userId?: string;
  readonly userName?: string;
  readonly locale?: string;
  readonly conversationType?: 'personal' | 'channel' | 'groupChat';
  readonly conversationId?: string;
  readonly channelId?: string;
}

/** One user talking to the bot over HTTP, as the Emulator does, with replies landing in a loopback connector. */
export class Conversation {
  readonly id: string;
  readonly userId: string;

  constructor(
    private readonly botUrl: string,
    private readonly connector: LoopbackConnector,
    private readonly options: ConversationOptions = {},
  ) {
    this.id = options.conversationId ?? `conv-${randomUUID()}`;
    this.userId = options.userId ?? 'demo-manager';
  }

  activity(fields: Record<string, unknown>): Record<string, unknown> {
    return {
      id: randomUUID(),
      channelId: this.options.channelId ?? 'emulator',
      serviceUrl: this.connector.url,
      timestamp: new Date().toISOString(),
      locale: this.options.locale ?? 'en-US',
      from: { id: this.userId, name: this.options.userName ?? this.userId },
      recipient: { id: 'migration-bot', name: 'Migration bot' },
      conversation: { id: this.id, conversationType: this.options.conversationType ?? 'personal' },
      ...fields,
    };
  }

  /** Posts one activity and returns what the bot delivered while handling it. */
  async send(fields: Record<string, unknown>): Promise<Delivery[]> {
    const mark = this.connector.deliveries.length;
    const result = await postJson(`${this.botUrl}/api/messages`, this.activity(fields));
    if (result.status >= 300) throw new Error(`bot answered ${result.status}: ${result.body}`);
    return this.connector.since(mark).filter((delivery) => delivery.conversationId === this.id);
  }

  say(text: string): Promise<Delivery[]> {
    return this.send({ type: 'message', text });
  }

  /** Types in a channel or group chat the way Teams delivers it: the bot's @mention first. */
  mention(text: string, channelData: Record<string, unknown> = {}): Promise<Delivery[]> {
    return this.send({
      type: 'message',
      text: `<at>Migration bot</at> ${text}`,
      entities: [{ type: 'mention', text: '<at>Migration bot</at>', mentioned: { id: 'migration-bot', name: 'Migration bot' } }],
      channelData,
    });
  }

  /** Presses a card button: a message carrying the button's data, replying to the card's message. */
  press(data: Record<string, unknown>, cardActivityId?: string): Promise<Delivery[]> {
    return this.send({ type: 'message', value: data, ...(cardActivityId && { replyToId: cardActivityId }) });
  }
}

export function texts(deliveries: readonly Delivery[]): string[] {
  return deliveries.map((delivery) => delivery.activity.text).filter((text): text is string => typeof text === 'string');
}

export function cards(deliveries: readonly Delivery[]): { card: unknown; delivery: Delivery }[] {
  return deliveries.flatMap((delivery) => cardsOf(delivery.activity).map((card) => ({ card, delivery })));
}

export function onlyCard(deliveries: readonly Delivery[]): { card: unknown; delivery: Delivery } {
  const all = cards(deliveries);
  if (all.length !== 1)
    throw new Error(`expected one card, got ${all.length}: ${JSON.stringify(deliveries.map((d) => d.activity.text))}`);
  return all[0]!;
}

export type { ConnectorActivity, Delivery };
