import type restify from 'restify';
import { MigrationService } from '../domain/migrationService';
import type { Clock } from '../domain/ports';
import { EN_US_CATALOG, Translators } from '../locales/i18n';
import { DemoGuestAccess } from '../store/demo/demoGuestAccess';
import { seedDemoData } from '../store/demo/seedDemoData';
import { openDatabase } from '../store/sqlite/database';
import { SqliteBotStorage } from '../store/sqlite/sqliteBotStorage';
import { SqliteMigrationStore } from '../store/sqlite/sqliteMigrationStore';
import { SqlitePartnerData } from '../store/sqlite/sqlitePartnerData';
import { createAdapter } from './adapter';
import { ConcurrencyCheckedState } from './concurrencyCheckedState';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import { MigrationBot } from './migrationBot';
import { createServer } from './server';

export interface RunningApp {
  /** Base URL the server listens on, e.g. http://127.0.0.1:3978 */
  readonly url: string;
  readonly server: restify.Server;
  close(): Promise<void>;
}

export interface AppOptions {
  readonly clock?: Clock;
}

const systemClock: Clock = { now: () => new Date() };

/** The composition root: opens the store, wires domain, dialogs and hosting, and starts listening. */
export async function startApp(config: AppConfig, log: Logger, options: AppOptions = {}): Promise<RunningApp> {
  const clock = options.clock ?? systemClock;
  const db = openDatabase({ location: config.dataDir });
  try {
    if (config.mode === 'development' && seedDemoData(db, clock.now())) log.info('loaded the demo partner into an empty store');

    const partnerData = new SqlitePartnerData(db);
    const service = new MigrationService({
      store: new SqliteMigrationStore(db),
      partners: config.mode === 'development' ? new DemoGuestAccess(partnerData) : partnerData,
      clock,
    });
    // Korean arrives with its own catalog; until then Korean turns read English.
    const translators = new Translators({ 'en-US': EN_US_CATALOG, 'ko-KR': EN_US_CATALOG }, config.timeZone);
    const bot = new MigrationBot({
      service,
      translators,
      dialogState: new ConcurrencyCheckedState(new SqliteBotStorage(db)),
      log,
    });
    const adapter = createAdapter(config, translators, log);
    const server = createServer({ config, adapter, bot, log });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const address = server.address();
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return {
      url: `http://${host}:${address.port}`,
      server,
      close: async () => {
        // Stop accepting, let requests in flight finish, and drop idle keep-alive connections.
        const closed = new Promise<void>((resolve) => {
          server.close(() => resolve());
        });
        server.server.closeIdleConnections();
        await closed;
        db.close();
      },
    };
  } catch (error: unknown) {
    db.close();
    throw error;
  }
}
