import type { Storage } from 'botbuilder';
import type { InventoryStore } from '../domain/ports/inventory';
import type { Leases } from '../domain/ports/leases';
import type { MigrationStore } from '../domain/ports/migration';
import type { ConversationReferenceStore, NotificationStore } from '../domain/ports/notifications';
import type { OutboxQueue, OutboxSignal } from '../domain/ports/outbox';
import type { OfferSyncStore } from '../domain/ports/partnerCenter';
import type { PartnerDataSource } from '../domain/ports/partners';
import type { ConversationPreferences, UserPreferences } from '../domain/ports/users';
import type { RetentionStore } from './retention';

export type StoreKind = 'sqlite' | 'postgres';

/** Where a store says what happens to it outside any call: the bot's logger. */
export interface StoreLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** The stores that queue outbox jobs: each tells the signal after a commit that queued some. */
export interface QueueingStores {
  readonly migrations: MigrationStore;
  readonly notifications: NotificationStore;
}

/**
 * Every port of the bot on one store: the embedded SQLite one, which one process holds, or the
 * shared PostgreSQL one, which any number of instances serve together.
 */
export interface Stores {
  readonly kind: StoreKind;
  readonly outbox: OutboxQueue;
  readonly partners: PartnerDataSource;
  readonly references: ConversationReferenceStore;
  readonly preferences: UserPreferences;
  /** The language a channel or group chat chose for everything posted there. */
  readonly conversationPreferences: ConversationPreferences;
  readonly inventory: InventoryStore;
  readonly offerSync: OfferSyncStore;
  /** botbuilder's state (dialog stacks), with eTags. */
  readonly botStorage: Storage;
  /** Work one instance at a time does: the Partner Center sync, the certification simulator. */
  readonly leases: Leases;
  /** Deletes what is kept no longer: done jobs, old changes, and the audit trail when it is not kept for ever. */
  readonly retention: RetentionStore;
  /** Made once the sender is, since the sender reads `outbox`. */
  queueing(signal: OutboxSignal): QueueingStores;
  /** Loads the demo partner into a store that holds no partner yet; false when it held one. */
  seedDemoData(now: Date): Promise<boolean>;
  /** Whether the store answers now. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
