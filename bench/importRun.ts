import { runImportCommand } from '../sources/import/command';

/**
 * `npm run import` as the bench measures it: the command itself, in a process of its own, which
 * says last how much memory it held at its peak.
 */
async function main(): Promise<void> {
  const [dataDir, ...args] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: importRun DATA_DIR FILE...');
  const code = await runImportCommand(args, { dataDir, invocationDirectory: process.cwd() });
  process.stdout.write(`${JSON.stringify({ code, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
  process.exit(code);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
