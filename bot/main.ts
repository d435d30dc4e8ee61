import { ConfigError, loadConfig, type AppConfig } from './config';
import { createLogger, logDestination, routeConsoleTo, type LogContext } from './logger';
import { startTelemetry } from './telemetry';
import { DatabaseUnavailableError, StoreInUseError } from '../store/storeErrors';
import { NotPrivateError } from '../store/privateFiles';

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

  // The log exists before the telemetry, so that what the SDK says on starting is logged too;
  // its lines get their trace ids once the telemetry is there.
  const traceIds: { from?: LogContext } = {};
  const log = createLogger(
    config.logLevel,
    logDestination(config.logFormat, process.stdout),
    config.telemetry && (() => traceIds.from?.() ?? {}),
  );
  routeConsoleTo(log);
  process.on('unhandledRejection', (reason: unknown) => log.error({ err: reason }, 'unhandled promise rejection'));

  // Before the bot itself is loaded: the SDK instruments http and pg as they are loaded after it.
  const telemetry = await startTelemetry(config.telemetry, 'ocp-gtm-migration-bot', log);
  if (telemetry.logContext) traceIds.from = telemetry.logContext;
  const { startApp } = await import('./app');
  const app = await startApp(config, log, { telemetry: telemetry.telemetry });

  // A Ctrl-C under `npm start` arrives twice, from the terminal and forwarded by npm, and a service
  // manager may repeat its signal: only the first stops, and a later one must not cut that stop short.
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // The telemetry last, so that what the stop did is sent too.
    app
      .close()
      .finally(() => telemetry.shutdown())
      .then(
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
  log.info(
    { url: app.url, mode: config.mode, store: app.store, dataDir: config.dataDir, telemetry: config.telemetry !== undefined },
    'bot listening',
  );
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
