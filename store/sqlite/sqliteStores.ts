import { RetentionStore } from '../retention';
import { SoleInstanceLeases } from '../soleInstance';
import type { Stores } from '../stores';
import type { SqliteDatabase } from './database';
import { SqliteBotStorage } from './sqliteBotStorage';
import { SqliteConversationReferences } from './sqliteConversationReferences';
import { SqliteInventory } from './sqliteInventory';
import { SqliteMigrationStore } from './sqliteMigrationStore';
import { SqliteNotificationStore } from './sqliteNotificationStore';
import { SqliteOfferSync } from './sqliteOfferSync';
import { SqliteOutbox } from './sqliteOutbox';
import { SqlitePartnerData } from './sqlitePartnerData';
import { sqliteStatements } from './sqliteStatements';
import { seedDemoData } from './sqliteSeed';
import { SqliteConversationPreferences, SqliteUserPreferences } from './sqliteUserPreferences';

/** Every port on the embedded store; `db` is closed with them. */
export function sqliteStores(db: SqliteDatabase): Stores {
  return {
    kind: 'sqlite',
    outbox: new SqliteOutbox(db),
    partners: new SqlitePartnerData(db),
    references: new SqliteConversationReferences(db),
    preferences: new SqliteUserPreferences(db),
    conversationPreferences: new SqliteConversationPreferences(db),
    inventory: new SqliteInventory(db),
    offerSync: new SqliteOfferSync(db),
    botStorage: new SqliteBotStorage(db),
    leases: new SoleInstanceLeases(),
    retention: new RetentionStore(sqliteStatements(db)),
    queueing: (signal) => ({
      migrations: new SqliteMigrationStore(db, signal),
      notifications: new SqliteNotificationStore(db, signal),
    }),
    seedDemoData: async (now) => seedDemoData(db, now),
    // A file this process holds open: it answers as long as the process does.
    ping: async () => db.open,
    close: async () => {
      db.close();
    },
  };
}
