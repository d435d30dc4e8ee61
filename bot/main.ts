import { startApp } from './app';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { createLogger, routeConsoleTo } from './logger';
import { DatabaseUnavailableError } from '../store/postgres/database';
import { StoreInUseError } from '../store/sqlite/database';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }

  const log = createLogger(config.logLevel);
  routeConsoleTo(log);
  process.on('unhandledRejection', (reason: unknown) => log.error({ err: reason }, 'unhandled promise rejection'));

  const app = await startApp(config, log);
  log.info({ url: app.url, mode: config.mode, store: app.store, dataDir: config.dataDir }, 'bot listening');
  if (config.mode === 'development') {
    log.info(`Bot Framework Emulator: open ${app.url}/api/messages with an empty app id and password`);
  }

  const stop = (signal: string): void => {
    log.info({ signal }, 'stopping');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof DatabaseUnavailableError) {
    // Like a bad setting: the database named cannot be used, and starting again will not change that.
    process.stderr.write(`The bot could not start: ${error.message}\n`);
    process.exit(2);
  }
  // A store another bot holds is a situation, not a bug: say which, without a stack.
  const why =
    error instanceof StoreInUseError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`The bot could not start: ${why}\n`);
  process.exit(1);
});
