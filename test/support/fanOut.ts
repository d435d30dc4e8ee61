import type { Delivery, LoopbackConnector } from './loopbackConnector';

/**
 * Notification fan-out as Teams sees it: channels in several tenants subscribe to the demo partner
 * through the bot, certification changes are posted to the bot, and the cards that reach the
 * connector are checked for loss, duplicates and order per channel. Shared by the tests and the bench.
 */

export interface FanOutChannel {
  readonly id: string;
  readonly tenant: string;
}

export const FAN_OUT_NOTIFY_TOKEN = 'fan-out-notify-token-of-32-characters';

/** The name fan-out offer `index` is listed under; cards show it. */
export const fanOutOfferName = (index: number): string => `Contoso Fan-out Offer ${index}`;
export const fanOutOfferKey = (index: number): string => `contoso.fanout-offer-${index}`;

/** SQL that adds the fan-out offers to the demo partner, on PostgreSQL. */
export function fanOutOfferRows(count: number): { sql: string; params: unknown[] }[] {
  return Array.from({ length: count }, (_, index) => ({
    sql: `INSERT INTO offers (id, partner_account_id, publisher_id, offer_id, type, name, storefront, listing_url, publishing_state)
          VALUES ($1, 'demo-contoso', 'contoso', $2, 'saas', $3, 'appSource', NULL, 'draft')`,
    params: [fanOutOfferKey(index), `fanout-offer-${index}`, fanOutOfferName(index)],
  }));
}

export function fanOutChannels(channels: number, tenants: number): FanOutChannel[] {
  return Array.from({ length: channels }, (_, index) => ({
    id: `19:fan-out-${index}@thread.tacv2`,
    tenant: `fan-out-tenant-${index % tenants}`,
  }));
}

/** A channel message as Teams delivers it: the bot @mentioned, the tenant and team in channelData. */
export function channelMessage(connector: LoopbackConnector, channel: FanOutChannel, text: string): Record<string, unknown> {
  return {
    type: 'message',
    id: `${channel.id}-${text}`,
    channelId: 'msteams',
    serviceUrl: connector.url,
    locale: 'en-US',
    from: { id: 'demo-manager', name: 'Jordan Park' },
    recipient: { id: 'migration-bot', name: 'Migration bot' },
    conversation: { id: channel.id, conversationType: 'channel', isGroup: true, tenantId: channel.tenant },
    channelData: { tenant: { id: channel.tenant }, team: { id: `${channel.id}-team` }, channel: { id: channel.id } },
    text: `<at>Migration bot</at> ${text}`,
    entities: [{ type: 'mention', text: '<at>Migration bot</at>', mentioned: { id: 'migration-bot', name: 'Migration bot' } }],
  };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Subscribes every channel, a few at a time; returns the channels the bot did not confirm. */
export async function subscribeChannels(
  botUrl: string,
  connector: LoopbackConnector,
  channels: readonly FanOutChannel[],
  concurrency = 4,
): Promise<string[]> {
  const failed: string[] = [];
  for (let start = 0; start < channels.length; start += concurrency) {
    const batch = channels.slice(start, start + concurrency);
    const statuses = await Promise.all(
      batch.map((channel) => post(`${botUrl}/api/messages`, channelMessage(connector, channel, 'subscribe'))),
    );
    for (const [index, status] of statuses.entries()) {
      const channel = batch[index];
      if (channel && (status !== 200 || !/now hears about/.test(connector.lastMessage(channel.id)?.text ?? ''))) {
        failed.push(channel.id);
      }
    }
  }
  return failed;
}

/** Posts `count` changes, one per fan-out offer from `first`, in order; returns the HTTP statuses. */
export async function postChanges(botUrl: string, count: number, first = 0): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = first; index < first + count; index++) {
    statuses.push(
      await post(
        `${botUrl}/api/notifications/certification`,
        { offerId: fanOutOfferKey(index), status: 'inCertification' },
        { authorization: `Bearer ${FAN_OUT_NOTIFY_TOKEN}`, 'idempotency-key': `fan-out-${index}` },
      ),
    );
  }
  return statuses;
}

export interface FanOutOutcome {
  /** Distinct (channel, offer) cards that arrived. */
  readonly delivered: number;
  readonly lost: number;
  /** Cards that arrived more than once. */
  readonly duplicates: number;
  /** Channels whose cards, a repeat right after itself set aside, did not arrive in the order posted. */
  readonly outOfOrder: readonly string[];
  /** From the first card to the last, and cards a second over that time. */
  readonly seconds: number;
  readonly rate: number;
}

/** The fan-out offer a delivered card is about, if it is one. */
function offerOf(delivery: Delivery): number | undefined {
  const found = /Contoso Fan-out Offer (\d+)/.exec(JSON.stringify(delivery.activity.attachments ?? []))?.[1];
  return found === undefined ? undefined : Number(found);
}

export function fanOutCards(deliveries: readonly Delivery[]): number {
  return deliveries.filter((delivery) => offerOf(delivery) !== undefined).length;
}

export function fanOutOutcome(
  deliveries: readonly Delivery[],
  channels: readonly FanOutChannel[],
  changes: number,
): FanOutOutcome {
  const byChannel = new Map<string, number[]>(channels.map((channel) => [channel.id, []]));
  const times: number[] = [];
  for (const delivery of deliveries) {
    const offer = offerOf(delivery);
    const arrived = byChannel.get(delivery.conversationId);
    if (offer === undefined || !arrived) continue;
    arrived.push(offer);
    times.push(delivery.at);
  }
  let delivered = 0;
  let duplicates = 0;
  const outOfOrder: string[] = [];
  const expected = Array.from({ length: changes }, (_, index) => index);
  for (const [channel, offers] of byChannel) {
    const distinct = new Set(offers);
    delivered += distinct.size;
    duplicates += offers.length - distinct.size;
    const collapsed = offers.filter((offer, index) => offer !== offers[index - 1]);
    const inOrder = collapsed.every((offer, index) => offer === expected[index]);
    if (!inOrder || collapsed.length !== distinct.size) outOfOrder.push(channel);
  }
  const seconds = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : 0;
  return {
    delivered,
    lost: channels.length * changes - delivered,
    duplicates,
    outOfOrder,
    seconds,
    rate: seconds > 0 ? delivered / seconds : 0,
  };
}
