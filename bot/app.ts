import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type restify from 'restify';
import { certificationCardHandler, offerLiveNoticeHandler } from '../delivery/certificationJobs';
import { addressOf, localeOfAddress } from '../delivery/conversationAddress';
import { ConnectorSender } from '../delivery/connectorSender';
import { OutboxDispatcher, type RetryPolicy } from '../delivery/outboxDispatcher';
import { Pacer } from '../delivery/pacer';
import { requesterNoticeHandler, supportRequestHandler } from '../delivery/supportJobs';
import { TeamsChannelSupportDelivery } from '../delivery/teamsChannelSupportDelivery';
import { WebhookSupportDelivery } from '../delivery/webhookSupportDelivery';
import { MigrationService } from '../domain/migrationService';
import { NotificationService } from '../domain/notificationService';
import { systemClock, type Clock } from '../domain/ports/clock';
import type { SupportDelivery } from '../domain/ports/migration';
import type { NotificationSender } from '../domain/ports/notifications';
import type { JobHandlers } from '../domain/ports/outbox';
import type { PartnerDataSource } from '../domain/ports/partners';
import { SolutionRows } from '../cards/solutionRow';
import { CATALOGS, DEFAULT_LOCALE, Translators } from '../locales/i18n';
import { CertificationSimulator } from '../store/demo/certificationSimulator';
import { DemoGuestAccess } from '../store/demo/demoGuestAccess';
import { seedDemoData } from '../store/sqlite/sqliteSeed';
import { openDatabase } from '../store/sqlite/database';
import { ConcurrencyCheckedState } from '../store/concurrencyCheckedState';
import { SqliteBotStorage } from '../store/sqlite/sqliteBotStorage';
import { SqliteConversationReferences } from '../store/sqlite/sqliteConversationReferences';
import { SqliteMigrationStore } from '../store/sqlite/sqliteMigrationStore';
import { SqliteNotificationStore } from '../store/sqlite/sqliteNotificationStore';
import { SqliteOutbox } from '../store/sqlite/sqliteOutbox';
import { SqliteUserPreferences } from '../store/sqlite/sqliteUserPreferences';
import { SqlitePartnerData } from '../store/sqlite/sqlitePartnerData';
import { SqliteInventory } from '../store/sqlite/sqliteInventory';
import { SqliteOfferSync } from '../store/sqlite/sqliteOfferSync';
import { partnerCenterSync } from '../sources/partnerCenter/sync';
import { removeAdminAccess, writeAdminAccess } from '../sources/import/adminAccess';
import { InventoryImporter } from '../sources/import/importer';
import { createAdapter } from './adapter';
import { createBotAuthentication } from './botAuthentication';
import { logRefused } from './linkGuard';

import type { AppConfig } from './config';
import { connectorTokens } from './connectorTokens';
import type { Logger } from './logger';
import { MigrationBot } from './migrationBot';
import { importEndpoint } from './importEndpoint';
import { createServer } from './server';

export interface RunningApp {
  /** Base URL the server listens on, e.g. http://127.0.0.1:3978 */
  readonly url: string;
  readonly server: restify.Server;
  /** Resolves once nothing queued is due to be sent; for tests. */
  outboxIdle(): Promise<void>;
  close(): Promise<void>;
}

export interface AppOptions {
  readonly clock?: Clock;
  readonly retry?: RetryPolicy;
}

/** The composition root: opens the store, wires domain, dialogs, delivery and hosting, and starts listening. */
export async function startApp(config: AppConfig, log: Logger, options: AppOptions = {}): Promise<RunningApp> {
  const clock = options.clock ?? systemClock;
  const now = (): Date => clock.now();
  const db = openDatabase({ location: config.dataDir, exclusive: true });
  try {
    if (config.demoData && seedDemoData(db, now())) log.info('loaded the demo partner into an empty store');

    // Made first: the stores signal it after every commit that queues a job.
    const outbox = new SqliteOutbox(db);
    const dispatcher = new OutboxDispatcher({
      queue: outbox,
      pacer: new Pacer({ marginMs: config.notifications.pacingMarginMs }),
      concurrency: 8,
      log,
      now,
      ...(options.retry && { retry: options.retry }),
    });
    const store = new SqliteMigrationStore(db, dispatcher);
    const notificationStore = new SqliteNotificationStore(db, dispatcher);
    const partnerData = new SqlitePartnerData(db);
    const partners: PartnerDataSource = config.demoData ? new DemoGuestAccess(partnerData) : partnerData;
    const service = new MigrationService({ store, partners, clock, supportChannel: config.support.delivery });
    const offerSync = new SqliteOfferSync(db);
    const notifications = new NotificationService({
      store: notificationStore,
      references: new SqliteConversationReferences(db),
      partners,
      clock,
      ...(config.partnerCenter && { syncStates: offerSync }),
    });
    const translators = new Translators(CATALOGS, config.timeZone);
    const auth = createBotAuthentication(config, log);
    const adapter = createAdapter({
      authentication: auth.authentication,
      translators,
      extraLinkHosts: config.extraLinkHosts,
      log,
    });
    const sender = new ConnectorSender({
      ...(config.bot && { tokens: connectorTokens(config.bot, auth.credentials) }),
      timeoutMs: config.connector.timeoutMs,
      serviceUrls: config.connector,
      extraLinkHosts: config.extraLinkHosts,
      onRefusedLinks: (refused) => logRefused(log, undefined, refused),
      now,
    });
    const supportDelivery = createSupportDelivery(config, sender, translators, now);
    const jobDeps = { notifications, migration: service, partners, sender, translators, log };

    const handlers: JobHandlers = {
      supportRequest: supportDelivery
        ? supportRequestHandler(service, supportDelivery)
        : async () => ({ ok: false, status: 501, error: 'support delivery is set to stored only' }),
      requesterNotice: requesterNoticeHandler(service, sender, translators, localeOfAddress),
      certificationCard: certificationCardHandler(jobDeps),
      offerLiveNotice: offerLiveNoticeHandler(jobDeps),
    };

    const bot = new MigrationBot({
      dialogs: {
        service,
        notifications,
        supportTeam: {
          ...(config.support.teams && { channelId: config.support.teams.channelId }),
          agentIds: config.support.agentIds,
        },
        clock,
        log,
        rows: new SolutionRows(),
      },
      translators,
      dialogState: new ConcurrencyCheckedState(new SqliteBotStorage(db)),
      preferences: new SqliteUserPreferences(db),
      allowedTenants: config.allowedTenants,
      clock,
      log,
    });
    const adminToken = config.admin.token ?? randomBytes(32).toString('base64url');
    const importFiles = importEndpoint({
      importer: new InventoryImporter(new SqliteInventory(db), clock),
      token: adminToken,
      remoteAllowed: config.admin.token !== undefined,
      uploadDir: path.join(config.dataDir, 'uploads'),
      log,
    });
    const syncedAccount = config.partnerCenter?.account;
    const health = async (): Promise<Record<string, unknown>> => ({
      outbox: await outbox.backlog(),
      ...(syncedAccount && { partnerCenter: (await offerSync.syncState(syncedAccount)) ?? { partnerAccountId: syncedAccount } }),
    });
    const server = createServer({ config, adapter, bot, notifications, importFiles, health, log });
    // Signing keys before the first request, so that it need not wait for them; bounded when they cannot be had.
    await auth.warmUp();
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    // Jobs left pending by a stop or a crash go out now, without waiting for a turn.
    dispatcher.start(handlers);
    const simulator = config.notifications.simulator
      ? new CertificationSimulator(notifications, partners, log, { intervalMs: config.notifications.simulator.intervalMs })
      : undefined;
    simulator?.start();
    const sync = config.partnerCenter
      ? partnerCenterSync(config.partnerCenter, { store: offerSync, notifications, partners, clock, log })
      : undefined;
    sync?.start();
    if (!config.notifications.token)
      log.info('NOTIFY_TOKEN is not set: POST /api/notifications/certification refuses every change');

    const address = server.address();
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    // `npm run import` on this machine finds the bot, which holds the store, here.
    const loopback = address.family === 'IPv6' ? '[::1]' : '127.0.0.1';
    writeAdminAccess(config.dataDir, { url: `http://${loopback}:${address.port}`, token: adminToken });
    return {
      url: `http://${host}:${address.port}`,
      server,
      outboxIdle: () => dispatcher.idle(),
      close: async () => {
        // Stop accepting, let requests in flight finish, and drop idle keep-alive connections.
        const closed = new Promise<void>((resolve) => {
          server.close(() => resolve());
        });
        server.server.closeIdleConnections();
        await closed;
        await simulator?.stop();
        await sync?.stop();
        await dispatcher.stop();
        removeAdminAccess(config.dataDir);
        db.close();
      },
    };
  } catch (error: unknown) {
    db.close();
    throw error;
  }
}

function createSupportDelivery(
  config: AppConfig,
  sender: NotificationSender,
  translators: Translators,
  now: () => Date,
): SupportDelivery | undefined {
  const { support } = config;
  if (support.delivery === 'webhook' && support.webhook) return new WebhookSupportDelivery({ ...support.webhook, now });
  if (support.delivery === 'teams' && support.teams) {
    const channel = addressOf({
      serviceUrl: support.teams.serviceUrl,
      channelId: 'msteams',
      conversation: {
        id: support.teams.channelId,
        isGroup: true,
        conversationType: 'channel',
        ...(support.teams.tenantId && { tenantId: support.teams.tenantId }),
      },
      ...(config.bot && { bot: { id: config.bot.appId } }),
    });
    return new TeamsChannelSupportDelivery(sender, channel, translators.for(DEFAULT_LOCALE), now);
  }
  return undefined;
}
