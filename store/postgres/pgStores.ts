import type { Member, PartnerAccount } from '../../domain/model';
import { CachedLanguages, CachedPartnerData } from '../cachedReads';
import { ReadCache } from '../readCache';
import { RetentionStore } from '../retention';
import type { StoreLog, Stores } from '../stores';
import type { PgDatabase } from './database';
import { PgChangeFeed, type ChangeTopic } from './pgChanges';
import { PgBotStorage } from './pgBotStorage';
import { PgConversationReferences } from './pgConversationReferences';
import { PgInventory } from './pgInventory';
import { PgLeases } from './pgLeases';
import { PgMigrationStore } from './pgMigrationStore';
import { PgNotificationStore } from './pgNotificationStore';
import { PgOfferSync } from './pgOfferSync';
import { PgOutbox } from './pgOutbox';
import { PgPartnerData } from './pgPartnerData';
import { pgStatements } from './pgStatements';
import { seedDemoData } from './pgSeed';
import { PgConversationPreferences, PgUserPreferences } from './pgUserPreferences';

export interface PgStoresOptions {
  /** This instance, as its outbox claims and leases name it. */
  readonly instanceId: string;
  /** How long an outbox claim or a sending lease lasts unless renewed. */
  readonly leaseMs: number;
  /** How long a pacing key whose lease lapsed stays untaken (pgOutbox.ts): the connector timeout. */
  readonly takeoverGraceMs?: number;
  readonly now: () => Date;
  readonly log?: StoreLog;
  /** How soon the change feed listens again after losing its connection, doubling up to `max`. */
  readonly listenRetryMs?: { readonly first: number; readonly max: number };
}

/** The shared store, and a way to forget what this instance keeps of it (a change made around the bot). */
export interface PgStores extends Stores {
  readonly kind: 'postgres';
  forgetKept(): void;
}

/**
 * What every turn reads to know who is asking and in which language is kept in memory, as long as
 * the store's announcements of changes to it are heard (pgChanges.ts). Sized for the people one bot
 * talks to in a few minutes, with room to spare; the TTL only bounds a notification somehow missed.
 */
const KEPT = { maxEntries: 10_000, ttlMs: 5 * 60_000 } as const;

/** Every port on the shared store; the pool is closed with them. Resolves once it listens for changes, or tried to. */
export async function pgStores(db: PgDatabase, options: PgStoresOptions): Promise<PgStores> {
  const kept = { ...KEPT, now: () => options.now().getTime() };
  const members = new ReadCache<Member | undefined>(kept);
  const accounts = new ReadCache<PartnerAccount | undefined>(kept);
  const userLanguages = new ReadCache<string | undefined>(kept);
  const conversationLanguages = new ReadCache<string | undefined>(kept);
  const byTopic: Readonly<Record<ChangeTopic, readonly ReadCache<unknown>[]>> = {
    partners: [members, accounts],
    user_preferences: [userLanguages],
    conversation_preferences: [conversationLanguages],
  };
  const all = Object.values(byTopic).flat();
  const forgetPartners = (): void => byTopic.partners.forEach((cache) => cache.invalidate());

  const feed = new PgChangeFeed({
    schema: db.schema,
    // Named for the instance, so that pg_stat_activity tells whose listener it is.
    client: () => db.standaloneClient(`ocp-gtm-migration-bot changes ${options.instanceId}`),
    ...(options.log && { log: options.log }),
    ...(options.listenRetryMs && { retryMs: options.listenRetryMs }),
  });
  feed.add({
    changed: (topic) => byTopic[topic].forEach((cache) => cache.invalidate()),
    hearing: (listening) => all.forEach((cache) => cache.setOpen(listening)),
  });
  await feed.start();

  return {
    kind: 'postgres',
    outbox: new PgOutbox(db, {
      holder: options.instanceId,
      leaseMs: options.leaseMs,
      ...(options.takeoverGraceMs !== undefined && { takeoverGraceMs: options.takeoverGraceMs }),
    }),
    partners: new CachedPartnerData(new PgPartnerData(db), members, accounts),
    references: new PgConversationReferences(db),
    preferences: new CachedLanguages(new PgUserPreferences(db), userLanguages),
    conversationPreferences: new CachedLanguages(new PgConversationPreferences(db), conversationLanguages),
    inventory: new PgInventory(db, forgetPartners),
    offerSync: new PgOfferSync(db),
    botStorage: new PgBotStorage(db),
    leases: new PgLeases(db, options.now),
    retention: new RetentionStore(pgStatements(db)),
    queueing: (signal) => ({
      migrations: new PgMigrationStore(db, signal),
      notifications: new PgNotificationStore(db, signal),
    }),
    seedDemoData: async (now) => {
      const seeded = await seedDemoData(db, now);
      if (seeded) forgetPartners();
      return seeded;
    },
    forgetKept: () => all.forEach((cache) => cache.invalidate()),
    ping: () => db.ping(),
    close: async () => {
      await feed.close();
      await db.close();
    },
  };
}
