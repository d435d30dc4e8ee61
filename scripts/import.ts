import { ConfigError, invocationDirectory, loadConfig } from '../bot/config';
import { runImportCommand } from '../sources/import/command';

/** npm run import -- FILE... [--dry-run], with the bot's own settings: see sources/import/command.ts. */
async function main(): Promise<number> {
  let dataDir: string;
  try {
    dataDir = loadConfig().dataDir;
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  return runImportCommand(process.argv.slice(2), { dataDir, invocationDirectory: invocationDirectory() });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`The import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
