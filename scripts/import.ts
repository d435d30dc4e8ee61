import { ConfigError, invocationDirectory, loadConfig, type AppConfig } from '../bot/config';
import { runImportCommand } from '../sources/import/command';

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
  return runImportCommand(process.argv.slice(2), {
    dataDir: config.dataDir,
    ...(config.database && { database: config.database }),
    invocationDirectory: invocationDirectory(),
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`The import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
