import type restify from 'restify';
import { supportRequestHandler, requesterNoticeHandler } from '../delivery/supportJobs';
import { OutboxDispatcher, type RetryPolicy } from '../delivery/outboxDispatcher';
import { TeamsChannelSupportDelivery } from '../delivery/teamsChannelSupportDelivery';
import { WebhookSupportDelivery } from '../delivery/webhookSupportDelivery';
import { MigrationService } from '../domain/migrationService';
import type { Clock, NotificationSender, SupportDelivery } from '../domain/ports';
import { DEFAULT_LOCALE, EN_US_CATALOG, Translators } from '../locales/i18n';
import { DemoGuestAccess } from '../store/demo/demoGuestAccess';
import { seedDemoData } from '../store/demo/seedDemoData';
import { openDatabase } from '../store/sqlite/database';
import { SqliteBotStorage } from '../store/sqlite/sqliteBotStorage';
import { SqliteMigrationStore } from '../store/sqlite/sqliteMigrationStore';
import { SqliteOutbox } from '../store/sqlite/sqliteOutbox';
import { SqlitePartnerData } from '../store/sqlite/sqlitePartnerData';
import { createAdapter } from './adapter';
import { addressOf, BotNotificationSender, localeOfAddress } from './botNotificationSender';
import { ConcurrencyCheckedState } from './concurrencyCheckedState';
import type { AppConfig, SupportSettings } from './config';
import type { Logger } from './logger';
import { MigrationBot } from './migrationBot';
import { createServer } from './server';
import { SupportDesk } from './supportDesk';

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

const systemClock: Clock = { now: () => new Date() };

/** The composition root: opens the store, wires domain, dialogs, delivery and hosting, and starts listening. */
export async function startApp(config: AppConfig, log: Logger, options: AppOptions = {}): Promise<RunningApp> {
  const clock = options.clock ?? systemClock;
  const db = openDatabase({ location: config.dataDir });
  try {
    if (config.mode === 'development' && seedDemoData(db, clock.now())) log.info('loaded the demo partner into an empty store');

    const store = new SqliteMigrationStore(db);
    const partnerData = new SqlitePartnerData(db);
    const service = new MigrationService({
      store,
      partners: config.mode === 'development' ? new DemoGuestAccess(partnerData) : partnerData,
      clock,
      supportChannel: config.support.delivery,
    });
    // Korean arrives with its own catalog; until then Korean turns read English.
    const translators = new Translators({ 'en-US': EN_US_CATALOG, 'ko-KR': EN_US_CATALOG }, config.timeZone);
    const adapter = createAdapter(config, translators, log);
    const sender = new BotNotificationSender(adapter, config.bot?.appId ?? '');
    const supportDelivery = createSupportDelivery(config, sender, translators, clock);

    const dispatcher = new OutboxDispatcher({
      queue: new SqliteOutbox(db),
      handlers: {
        supportRequest: supportDelivery
          ? supportRequestHandler(service, supportDelivery)
          : async () => ({ ok: false, status: 501, error: 'support delivery is set to stored only' }),
        requesterNotice: requesterNoticeHandler(service, sender, translators, localeOfAddress),
      },
      log,
      now: () => clock.now(),
      ...(options.retry && { retry: options.retry }),
    });
    store.onJobsQueued(() => dispatcher.wake());

    const bot = new MigrationBot({
      service,
      translators,
      dialogState: new ConcurrencyCheckedState(new SqliteBotStorage(db)),
      supportDesk: new SupportDesk(service, config.support, log, () => clock.now()),
      log,
    });
    const server = createServer({ config, adapter, bot, log });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    dispatcher.start();
    const address = server.address();
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
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
        await dispatcher.stop();
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
  clock: Clock,
): SupportDelivery | undefined {
  const support: SupportSettings = config.support;
  if (support.delivery === 'webhook' && support.webhook)
    return new WebhookSupportDelivery({ ...support.webhook, now: () => clock.now() });
  if (support.delivery === 'teams' && support.teams) {
    const channel = addressOf({
      serviceUrl: support.teams.serviceUrl,
      channelId: 'msteams',
      conversation: {
        id: support.teams.channelId,
        isGroup: true,
        conversationType: 'channel',
        name: 'partner support',
        ...(support.teams.tenantId && { tenantId: support.teams.tenantId }),
      },
      ...(config.bot && { bot: { id: config.bot.appId, name: 'OCP GTM migration' } }),
    });
    return new TeamsChannelSupportDelivery(sender, channel, translators.for(DEFAULT_LOCALE), () => clock.now());
  }
  return undefined;
}
