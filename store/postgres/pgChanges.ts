import type pg from 'pg';
import type { StoreLog } from '../stores';
import { CHANGES_CHANNEL } from './migrations';

/** What the schema's triggers announce (migration 5): a table group whose rows changed. */
export const CHANGE_TOPICS = ['partners', 'user_preferences', 'conversation_preferences'] as const;
export type ChangeTopic = (typeof CHANGE_TOPICS)[number];

/** Told of each announced change, and of whether announcements can be heard at all. */
export interface ChangeListener {
  changed(topic: ChangeTopic): void;
  /** False while the feed is not listening: changes may then go unheard. */
  hearing(listening: boolean): void;
}

export interface PgChangeFeedOptions {
  readonly schema: string;
  /** A new, unconnected client; the feed ends the ones it is done with. */
  readonly client: () => pg.Client;
  readonly log?: StoreLog;
  /** Waits before listening again after the connection was lost, doubling up to the last. */
  readonly retryMs?: { readonly first: number; readonly max: number };
}

/**
 * LISTENs, on a connection of its own, for the schema's announcements of changes (made by any
 * instance, an import, or an operator's SQL), and passes them on. When the connection is lost it says
 * so at once and listens again with backoff; listening again it says so, and the listeners forget
 * what they kept, since changes made meanwhile were not heard.
 */
export class PgChangeFeed {
  private readonly listeners: ChangeListener[] = [];
  private client: pg.Client | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private nextRetryMs: number;
  private closed = false;
  private failed = false;

  constructor(private readonly options: PgChangeFeedOptions) {
    this.nextRetryMs = options.retryMs?.first ?? 1000;
  }

  add(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Listens, or starts trying to; resolves once the first attempt is over, whatever its outcome. */
  async start(): Promise<void> {
    await this.listen();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    for (const listener of this.listeners) listener.hearing(false);
    await client.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = this.options.client();
    client.on('error', (error: Error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    client.on('notification', (message) => this.announced(client, message));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error: unknown) {
      await client.end().catch(() => undefined);
      this.retry(error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.nextRetryMs = this.options.retryMs?.first ?? 1000;
    if (this.failed) this.options.log?.info({}, 'hearing the store’s changes again');
    this.failed = false;
    for (const listener of this.listeners) listener.hearing(true);
  }

  private announced(client: pg.Client, message: pg.Notification): void {
    if (client !== this.client || message.channel !== CHANGES_CHANNEL) return;
    const [schema, topic] = (message.payload ?? '').split(':');
    if (schema !== this.options.schema) return;
    const known = CHANGE_TOPICS.find((candidate) => candidate === topic);
    // A topic this version does not know (a newer instance's schema): forget everything rather than guess.
    for (const listener of this.listeners) {
      if (known) listener.changed(known);
      else for (const each of CHANGE_TOPICS) listener.changed(each);
    }
  }

  private lost(client: pg.Client | undefined, error: Error | undefined): void {
    if (!client || client !== this.client) return;
    this.client = undefined;
    for (const listener of this.listeners) listener.hearing(false);
    void client.end().catch(() => undefined);
    if (!this.closed) this.retry(error);
  }

  private retry(error: unknown): void {
    if (this.closed) return;
    this.failed = true;
    const waitMs = this.nextRetryMs;
    this.nextRetryMs = Math.min(waitMs * 2, this.options.retryMs?.max ?? 30_000);
    this.options.log?.warn(
      { reason: error instanceof Error ? error.message : 'connection ended', retryInMs: waitMs },
      'not hearing the store’s changes; reading members and languages from it every time until listening again',
    );
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.listen(), waitMs);
    this.retryTimer.unref();
  }
}
