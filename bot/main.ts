import { startApp } from './app';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { createLogger, logDestination, routeConsoleTo } from './logger';
import { DatabaseUnavailableError } from '../store/postgres/database';
import { NotPrivateError } from '../store/privateFiles';
import { StoreInUseError } from '../store/sqlite/database';

/** Ctrl-C, a service manager's stop, and the terminal closing: each closes the store before the process ends. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }

  const log = createLogger(config.logLevel, logDestination(config.logFormat, process.stdout));
  routeConsoleTo(log);
  process.on('unhandledRejection', (reason: unknown) => log.error({ err: reason }, 'unhandled promise rejection'));

  const app = await startApp(config, log);

  // A Ctrl-C under `npm start` arrives twice, from the terminal and forwarded by npm, and a service
  // manager may repeat its signal: only the first stops, and a later one must not cut that stop short.
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    app.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  // Before it says it listens: a signal sent as soon as it does must find the handlers there.
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  log.info({ url: app.url, mode: config.mode, store: app.store, dataDir: config.dataDir }, 'bot listening');
  if (config.mode === 'development') {
    log.info(`Bot Framework Emulator: open ${app.url}/api/messages with an empty app id and password`);
    log.info(`Microsoft 365 Agents Playground and more: open ${app.url}/ in a browser`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof DatabaseUnavailableError) {
    // Like a bad setting: the database named cannot be used, and starting again will not change that.
    process.stderr.write(`The bot could not start: ${error.message}\n`);
    process.exit(2);
  }
  // A store another bot holds, or a folder of another user's, is a situation, not a bug: say which, without a stack.
  const situation = error instanceof StoreInUseError || error instanceof NotPrivateError;
  const why = situation ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`The bot could not start: ${why}\n`);
  process.exit(1);
});
