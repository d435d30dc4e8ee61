import type { Stores } from '../stores';
import type { PgDatabase } from './database';
import { PgBotStorage } from './pgBotStorage';
import { PgConversationReferences } from './pgConversationReferences';
import { PgInventory } from './pgInventory';
import { PgLeases } from './pgLeases';
import { PgMigrationStore } from './pgMigrationStore';
import { PgNotificationStore } from './pgNotificationStore';
import { PgOfferSync } from './pgOfferSync';
import { PgOutbox } from './pgOutbox';
import { PgPartnerData } from './pgPartnerData';
import { seedDemoData } from './pgSeed';
import { PgConversationPreferences, PgUserPreferences } from './pgUserPreferences';

export interface PgStoresOptions {
  /** This instance, as its outbox claims and leases name it. */
  readonly instanceId: string;
  /** How long an outbox claim or a sending lease lasts unless renewed. */
  readonly leaseMs: number;
  readonly now: () => Date;
}

/** Every port on the shared store; the pool is closed with them. */
export function pgStores(db: PgDatabase, options: PgStoresOptions): Stores {
  return {
    kind: 'postgres',
    outbox: new PgOutbox(db, { holder: options.instanceId, leaseMs: options.leaseMs }),
    partners: new PgPartnerData(db),
    references: new PgConversationReferences(db),
    preferences: new PgUserPreferences(db),
    conversationPreferences: new PgConversationPreferences(db),
    inventory: new PgInventory(db),
    offerSync: new PgOfferSync(db),
    botStorage: new PgBotStorage(db),
    leases: new PgLeases(db, options.now),
    queueing: (signal) => ({
      migrations: new PgMigrationStore(db, signal),
      notifications: new PgNotificationStore(db, signal),
    }),
    seedDemoData: (now) => seedDemoData(db, now),
    ping: () => db.ping(),
    close: () => db.close(),
  };
}
