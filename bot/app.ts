import { randomBytes } from 'node:crypto';
import type { Middleware, TurnContext } from 'botbuilder';
import os from 'node:os';
import path from 'node:path';
import type restify from 'restify';
import { certificationCardHandler, offerLiveNoticeHandler } from '../delivery/certificationJobs';
import { addressOf, localeOfAddress } from '../delivery/conversationAddress';
import { BotConnector } from '../delivery/botConnector';
import { ConnectorSender } from '../delivery/connectorSender';
import { HttpClient } from '../delivery/http';
import { ManagedIdentityTokens } from '../delivery/managedIdentity';
import { OutboxDispatcher, type RetryPolicy } from '../delivery/outboxDispatcher';
import { Pacer } from '../delivery/pacer';
import { languageAt } from '../delivery/placeLanguage';
import { requesterNoticeHandler, supportRequestHandler } from '../delivery/supportJobs';
import { TeamsChannelSupportDelivery } from '../delivery/teamsChannelSupportDelivery';
import { WebhookSupportDelivery } from '../delivery/webhookSupportDelivery';
import { LeaseGate } from '../domain/leaseGate';
import { MigrationService } from '../domain/migrationService';
import { NotificationService } from '../domain/notificationService';
import { systemClock, type Clock } from '../domain/ports/clock';
import type { SupportDelivery } from '../domain/ports/migration';
import type { NotificationSender } from '../domain/ports/notifications';
import type { JobHandlers } from '../domain/ports/outbox';
import type { PartnerDataSource } from '../domain/ports/partners';
import { noTelemetry, type Telemetry } from '../domain/ports/telemetry';
import { SolutionRows } from '../cards/solutionRow';
import { CATALOGS, DEFAULT_LOCALE, Translators } from '../locales/i18n';
import { CertificationSimulator } from '../store/demo/certificationSimulator';
import { DemoGuestAccess } from '../store/demo/demoGuestAccess';
import { ConcurrencyCheckedState } from '../store/concurrencyCheckedState';
import { openStores } from '../store/openStores';
import { periodicPruning, PRUNE_INTERVAL_MS } from '../store/retention';
import type { StoreKind } from '../store/stores';
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
import { importEndpoint, startImports } from './importEndpoint';
import { ImportUploads } from './importUploads';
import { createServer, type Health } from './server';

export interface RunningApp {
  /** Base URL the server listens on, e.g. http://127.0.0.1:3978 */
  readonly url: string;
  readonly server: restify.Server;
  readonly store: StoreKind;
  /** Resolves once nothing queued is due to be sent; for tests. */
  outboxIdle(): Promise<void>;
  close(): Promise<void>;
}

/** How often an instance on the shared store looks for jobs other instances queued for it to send. */
const SHARED_OUTBOX_POLL_MS = 1000;
/** What a lease on one-instance work allows beyond two runs: a slow run, a late timer. */
const LEASE_GRACE_MS = 30_000;

export interface AppOptions {
  readonly clock?: Clock;
  readonly retry?: RetryPolicy;
  /** Where requests, operations and metrics are recorded; nothing is without it. */
  readonly telemetry?: Telemetry;
}

/** The composition root: opens the store, wires domain, dialogs, delivery and hosting, and starts listening. */
export async function startApp(config: AppConfig, log: Logger, options: AppOptions = {}): Promise<RunningApp> {
  const clock = options.clock ?? systemClock;
  const now = (): Date => clock.now();
  const telemetry = options.telemetry ?? noTelemetry;
  const instanceId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const identity = config.managedIdentity && new ManagedIdentityTokens(config.managedIdentity);
  const entra = config.database?.entra;
  const stores = await openStores({
    dataDir: config.dataDir,
    ...(config.database && {
      database: {
        ...config.database,
        ...(entra && identity && { password: () => identity.token(entra.resource) }),
      },
    }),
    instanceId,
    now,
    log,
  });
  try {
    if (config.demoData && (await stores.seedDemoData(now()))) log.info('loaded the demo partner into an empty store');

    // Made first: the stores signal it after every commit that queues a job.
    const dispatcher = new OutboxDispatcher({
      queue: stores.outbox,
      pacer: new Pacer({ marginMs: config.notifications.pacingMarginMs }),
      concurrency: 8,
      log,
      now,
      // Other instances queue jobs this one may be the sender of: it looks for them now and then.
      ...(stores.kind === 'postgres' && { idlePollMs: SHARED_OUTBOX_POLL_MS }),
      ...(options.retry && { retry: options.retry }),
      telemetry,
    });
    const { migrations: store, notifications: notificationStore } = stores.queueing(dispatcher);
    const partners: PartnerDataSource = config.demoData ? new DemoGuestAccess(stores.partners) : stores.partners;
    const service = new MigrationService({ store, partners, clock, supportChannel: config.support.delivery });
    const { offerSync } = stores;
    const notifications = new NotificationService({
      store: notificationStore,
      references: stores.references,
      partners,
      clock,
      ...(config.partnerCenter && { syncStates: offerSync }),
    });
    const translators = new Translators(CATALOGS, config.timeZone);
    const auth = createBotAuthentication(config, log, identity);
    // One set of kept-alive connections for the turns' replies, the outbox and the support webhook.
    const http = new HttpClient();
    const tokens = config.bot && connectorTokens(config.bot, auth.credentials);
    const adapter = createAdapter({
      authentication: auth.authentication,
      translators,
      extraLinkHosts: config.extraLinkHosts,
      log,
      telemetry,
      replies: {
        connector: new BotConnector({
          ...(tokens && { tokens }),
          timeoutMs: config.connector.timeoutMs,
          serviceUrls: config.connector,
          http,
          now,
          telemetry,
          origin: 'reply',
        }),
        channelScope: auth.channelScope,
      },
    });
    const sender = new ConnectorSender({
      ...(tokens && { tokens }),
      http,
      timeoutMs: config.connector.timeoutMs,
      serviceUrls: config.connector,
      extraLinkHosts: config.extraLinkHosts,
      onRefusedLinks: (refused) => logRefused(log, undefined, refused),
      now,
      telemetry,
    });
    const supportDelivery = createSupportDelivery(config, sender, translators, now, http);
    const conversationLanguages = stores.conversationPreferences;
    const jobDeps = { notifications, migration: service, partners, sender, translators, conversationLanguages, log };

    const handlers: JobHandlers = {
      supportRequest: supportDelivery
        ? supportRequestHandler(service, supportDelivery)
        : async () => ({ ok: false, status: 501, error: 'support delivery is set to stored only' }),
      requesterNotice: requesterNoticeHandler(service, sender, translators, (address) =>
        languageAt(conversationLanguages, address, localeOfAddress(address)),
      ),
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
      dialogState: new ConcurrencyCheckedState(stores.botStorage),
      preferences: stores.preferences,
      conversationPreferences: stores.conversationPreferences,
      allowedTenants: config.allowedTenants,
      clock,
      log,
    });
    const adminToken = config.admin.token ?? randomBytes(32).toString('base64url');
    const uploads = new ImportUploads(path.join(config.dataDir, 'uploads'));
    await startImports(stores.inventory, uploads, now(), log);
    const importFiles = importEndpoint({
      importer: new InventoryImporter(stores.inventory, clock, telemetry),
      token: adminToken,
      remoteAllowed: config.admin.token !== undefined,
      uploads,
      maxBytes: config.admin.maxImportBytes,
      log,
    });
    const syncedAccount = config.partnerCenter?.account;
    const health = async (): Promise<Health> => {
      if (!(await stores.ping())) return { available: false, detail: { store: { kind: stores.kind, available: false } } };
      return {
        available: true,
        detail: {
          store: { kind: stores.kind, available: true },
          outbox: await stores.outbox.backlog(),
          ...(syncedAccount && {
            partnerCenter: (await offerSync.syncState(syncedAccount)) ?? { partnerAccountId: syncedAccount },
          }),
        },
      };
    };
    const server = createServer({ config, adapter, bot, notifications, importFiles, health, log, telemetry });
    // Read when metrics are exported, not per turn: one count over the pending jobs.
    telemetry.observe(async () => {
      const backlog = await stores.outbox.backlog();
      const waitedMs = backlog.oldestCreatedAt ? now().getTime() - backlog.oldestCreatedAt.getTime() : 0;
      return { 'bot.outbox.depth': backlog.pending, 'bot.outbox.oldest_age': Math.max(0, waitedMs) / 1000 };
    });
    // Signing keys before the first request, so that it need not wait for them; bounded when they cannot be had.
    await auth.warmUp();
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    // Jobs left pending by a stop or a crash go out now, without waiting for a turn.
    dispatcher.start(handlers);
    // One instance at a time runs each: the lease outlasts two runs, so the holder keeps it while it lives.
    const gate = (name: string, intervalMs: number): LeaseGate =>
      new LeaseGate(stores.leases, name, instanceId, 2 * intervalMs + LEASE_GRACE_MS);
    const { simulator: simulated } = config.notifications;
    const simulator = simulated
      ? new CertificationSimulator(notifications, partners, log, {
          intervalMs: simulated.intervalMs,
          gate: gate('certification-simulator', simulated.intervalMs),
        })
      : undefined;
    // The showcase begins when someone first talks to the bot, not when it starts: a newcomer who
    // connects minutes later still sees the offers go through certification.
    if (simulator) adapter.use(onFirstTurn(() => simulator.start(), log));
    const sync = config.partnerCenter
      ? partnerCenterSync(config.partnerCenter, {
          store: offerSync,
          notifications,
          partners,
          clock,
          log,
          gate: gate(`partner-center-sync:${config.partnerCenter.account}`, config.partnerCenter.intervalMs),
          telemetry,
        })
      : undefined;
    sync?.start();
    const retention = periodicPruning(stores.retention, config.retention, {
      now,
      log,
      gate: gate('retention', PRUNE_INTERVAL_MS),
      telemetry,
    });
    retention.start();
    if (!config.notifications.token)
      log.info('NOTIFY_TOKEN is not set: POST /api/notifications/certification refuses every change');

    const address = server.address();
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    // `npm run import` on this machine finds the bot, which holds the store, here.
    const loopback = address.family === 'IPv6' ? '[::1]' : '127.0.0.1';
    const adminAccess = { url: `http://${loopback}:${address.port}`, token: adminToken };
    writeAdminAccess(config.dataDir, adminAccess);
    return {
      url: `http://${host}:${address.port}`,
      store: stores.kind,
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
        await retention.stop();
        await dispatcher.stop();
        removeAdminAccess(config.dataDir, adminAccess);
        http.close();
        await stores.close();
      },
    };
  } catch (error: unknown) {
    await stores.close();
    throw error;
  }
}

function createSupportDelivery(
  config: AppConfig,
  sender: NotificationSender,
  translators: Translators,
  now: () => Date,
  http: HttpClient,
): SupportDelivery | undefined {
  const { support } = config;
  if (support.delivery === 'webhook' && support.webhook) return new WebhookSupportDelivery({ ...support.webhook, now, http });
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

/** Runs `begin` once, at the first message or card action a user sends. */
function onFirstTurn(begin: () => void, log: Logger): Middleware {
  let begun = false;
  return {
    onTurn: async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
      const { type } = context.activity;
      if (!begun && (type === 'message' || type === 'invoke')) {
        begun = true;
        log.info({}, 'certification simulator started by the first turn');
        begin();
      }
      await next();
    },
  };
}
