import fs from 'node:fs';
import path from 'node:path';
import { LocalIngestion } from '../test/support/localIngestion';
import { quantile, runLoad, type Script } from './load';
import { BotProcess } from './processes';

export interface StartupPlan {
  /** Starts of each bot counted, alternating; one start of each before them is not. */
  readonly rounds: number;
  /** The list turn's latency: one conversation, a turn after another. */
  readonly latencyMs: number;
  /** Its throughput: this many conversations at once. */
  readonly conversations: number;
  readonly loadMs: number;
  readonly warmupMs: number;
}

export const STARTUP_PLAN: StartupPlan = { rounds: 5, latencyMs: 2000, conversations: 16, loadMs: 2000, warmupMs: 1000 };

/** One bot's figures, medians of the rounds. */
export interface StartupRun {
  /** From the spawn to its "bot listening" line, by that line's own time. */
  readonly startMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly rps: number;
}

export interface StartupResult {
  readonly unset: StartupRun;
  readonly set: StartupRun;
  /** What the loopback ingestion took from the bot with telemetry on: it was on, and sending. */
  readonly envelopes: number;
  readonly errors: readonly string[];
}

/**
 * The bot started without APPLICATIONINSIGHTS_CONNECTION_STRING and with one (naming a loopback
 * ingestion endpoint, with nothing else reachable), one after the other in each round, on stores
 * of their own: how long until it listens, then the list turn's latency (one conversation) and
 * throughput (many). Unset, none of the SDK is loaded: that start and that turn are the bot's as
 * they were before telemetry.
 */
export async function startupRound(workDir: string, plan: StartupPlan, list: (prefix: string) => Script): Promise<StartupResult> {
  const ingestion = await LocalIngestion.start();
  const errors: string[] = [];
  const runs: Record<'unset' | 'set', StartupRun[]> = { unset: [], set: [] };
  try {
    const variants = [
      { name: 'unset', settings: {} },
      // The SDK's own export intervals, as in production.
      { name: 'set', settings: ingestion.settings({ quickExports: false }) },
    ] as const;
    for (let round = -1; round < plan.rounds; round++) {
      for (const variant of variants) {
        const run = await measure(path.join(workDir, `startup-${variant.name}`), variant.settings, plan, list, errors);
        if (round >= 0) runs[variant.name].push(run);
      }
    }
    return { unset: medians(runs.unset), set: medians(runs.set), envelopes: ingestion.envelopes.length, errors };
  } finally {
    await ingestion.close();
  }
}

async function measure(
  dataDir: string,
  settings: Readonly<Record<string, string>>,
  plan: StartupPlan,
  list: (prefix: string) => Script,
  errors: string[],
): Promise<StartupRun> {
  const spawnedAt = Date.now();
  const bot = await BotProcess.migrationBot(dataDir, settings);
  try {
    const startMs = listeningAt(bot.logFile) - spawnedAt;
    const prefix = `startup-${path.basename(dataDir)}-${spawnedAt}`;
    const latency = await runLoad({
      botUrl: bot.url,
      conversations: 1,
      script: list(`${prefix}-one`),
      warmupMs: plan.warmupMs,
      measureMs: plan.latencyMs,
    });
    const load = await runLoad({
      botUrl: bot.url,
      conversations: plan.conversations,
      script: list(`${prefix}-many`),
      warmupMs: 0,
      measureMs: plan.loadMs,
    });
    errors.push(...latency.errors, ...load.errors);
    return {
      startMs,
      p50Ms: quantile(latency.latenciesMs, 0.5),
      p99Ms: quantile(latency.latenciesMs, 0.99),
      rps: load.turns / load.seconds,
    };
  } finally {
    await bot.stop();
  }
}

/** The time pino wrote on the bot's "bot listening" line. */
function listeningAt(logFile: string): number {
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"msg":"bot listening"')) continue;
    const entry: unknown = JSON.parse(line);
    const time: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'time') : undefined;
    if (typeof time === 'number') return time;
  }
  throw new Error(`no "bot listening" line in ${logFile}`);
}

function medians(runs: readonly StartupRun[]): StartupRun {
  const median = (values: number[]): number => {
    const sorted = values.sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 0 ? ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2 : (sorted[middle] ?? NaN);
  };
  return {
    startMs: median(runs.map((run) => run.startMs)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    rps: median(runs.map((run) => run.rps)),
  };
}
