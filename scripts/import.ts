import { ConfigError, invocationDirectory, loadConfig, type AppConfig } from '../bot/config';
import { createLogger, routeConsoleTo } from '../bot/logger';
import { startTelemetry } from '../bot/telemetry';

/** npm run import -- FILE... [--dry-run], with the bot's own settings: see sources/import/command.ts. */
async function main(): Promise<number> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  // stdout carries the report: what the telemetry's SDK has to say goes to stderr, warnings only.
  const log = createLogger('warn', { write: (line: string) => void process.stderr.write(line) });
  if (config.telemetry) routeConsoleTo(log);
  // Before the import code is loaded: the SDK instruments pg as it is loaded after it.
  const telemetry = await startTelemetry(config.telemetry, 'ocp-gtm-migration-bot-import', log);
  try {
    const { runImportCommand } = await import('../sources/import/command');
    return await runImportCommand(process.argv.slice(2), {
      dataDir: config.dataDir,
      ...(config.database && { database: config.database }),
      invocationDirectory: invocationDirectory(),
      telemetry: telemetry.telemetry,
    });
  } finally {
    await telemetry.shutdown();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`The import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
