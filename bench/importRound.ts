import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IMPORT_ROUNDS, importInventory, importThroughRunningBot, writeInventory } from './partnerData';

/**
 * The bench's import figures alone, for working on imports without the whole bench:
 * `npm run build && node dist/bench/importRound.js`. The same rounds as `npm run bench` runs.
 */
async function main(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-bot-bench-import-'));
  try {
    const inventory = await writeInventory(path.join(workDir, 'inventory'), IMPORT_ROUNDS.commandSolutions);
    const command = await importInventory(path.join(workDir, 'imported'), inventory);
    const live = await importThroughRunningBot(workDir, IMPORT_ROUNDS.liveSolutions);
    process.stdout.write(
      `${JSON.stringify({
        import_100k_s: command.seconds,
        import_peak_rss_mb: command.peakRssMb,
        import_200k_through_bot_s: live.seconds,
        import_200k_max_stall_ms: live.maxStallMs,
        import_200k_peak_rss_mb: live.peakRssMb,
        solutions: [command.solutions, live.solutions],
      })}\n`,
    );
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
