import type { WorkGate } from '../domain/leaseGate';
import { PeriodicRun } from '../domain/periodicRun';
import type { Telemetry } from '../domain/ports/telemetry';
import { IMPORT_RUNS, WINDOWED, type WindowedTarget } from './rows/retention';

/** How long the store keeps what is done with, in milliseconds. */
export interface RetentionPolicy {
  /** Delivered and given-up outbox jobs, from when they finished. */
  readonly outboxMs: number;
  /** Certification changes and the idempotency keys they came with, from when they were received. */
  readonly changesMs: number;
  /** The audit trail (decisions' entries, import runs and their changes); kept for ever without one. */
  readonly auditMs?: number;
}

/** Hourly: a store holds at most an hour's more than its retention, and a run has little to do. */
export const PRUNE_INTERVAL_MS = 60 * 60_000;

export type PruneTarget = WindowedTarget | 'importRuns';

/** Rows deleted by a run, by what they were. */
export type Pruned = Readonly<Record<PruneTarget, number>>;

/** Runs on one store a statement written for both (store/rows): SQLite's text, which PostgreSQL rewrites. */
export interface SharedStatements {
  /** The first row of a query, if any. */
  get(sql: string, values: readonly number[]): Promise<Readonly<Record<string, unknown>> | undefined>;
  /** How many rows a write changed. */
  run(sql: string, values: readonly number[]): Promise<number>;
}

/** What one batch did, and where the next one starts. */
export interface PruneBatch {
  readonly deleted: number;
  readonly cursor: number;
  /** Nothing older than the cutoff lies beyond the cursor. */
  readonly done: boolean;
}

/** Deletes what retention no longer keeps, one bounded batch at a time, on either store. */
export class RetentionStore {
  constructor(private readonly statements: SharedStatements) {}

  /** At most `limit` rows of `target` older than `before`, from `cursor` (0 at first) on. */
  pruneBatch(target: PruneTarget, before: Date, cursor: number, limit: number): Promise<PruneBatch> {
    return target === 'importRuns'
      ? this.importRunsBatch(before.getTime(), cursor, limit)
      : this.windowBatch(target, before.getTime(), cursor, limit);
  }

  private async windowBatch(target: WindowedTarget, before: number, after: number, limit: number): Promise<PruneBatch> {
    const { window, delete: deletion } = WINDOWED[target];
    const found = await this.statements.get(window, [after, limit]);
    const upto = numberIn(found, 'upto');
    const oldest = numberIn(found, 'oldest');
    if (upto === undefined || oldest === undefined) return { deleted: 0, cursor: after, done: true };
    const deleted = await this.statements.run(deletion, [after, upto, before]);
    return { deleted, cursor: upto, done: oldest >= before };
  }

  private async importRunsBatch(before: number, after: number, limit: number): Promise<PruneBatch> {
    const run = numberIn(await this.statements.get(IMPORT_RUNS.next, [after, before]), 'run');
    if (run === undefined) return { deleted: 0, cursor: after, done: true };
    const changes = await this.statements.run(IMPORT_RUNS.changes, [run, limit]);
    // A full window may have left some: the same run again next time.
    if (changes === limit) return { deleted: changes, cursor: run - 1, done: false };
    const runs = await this.statements.run(IMPORT_RUNS.run, [run]);
    return { deleted: changes + runs, cursor: run, done: false };
  }
}

function numberIn(row: Readonly<Record<string, unknown>> | undefined, column: string): number | undefined {
  const value = row?.[column];
  return typeof value === 'number' ? value : undefined;
}

export interface PrunerOptions {
  readonly now: () => Date;
  /**
   * Rows a statement deletes at most: what holds the SQLite bot's one thread, between two turns, and
   * a PostgreSQL statement's locks. Measured in the bench (a batch's longest time).
   */
  readonly batchRows?: number;
  /** Batches of one target a run takes at most; what is left waits for the next run. */
  readonly maxBatches?: number;
  /** Between two batches, so that turns and sends go on. */
  readonly pause?: () => Promise<void>;
}

export const DEFAULT_BATCH_ROWS = 250;
const DEFAULT_MAX_BATCHES = 4000;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One run of retention over the store: every target, oldest rows first, in small batches. */
export class Pruner {
  private readonly batchRows: number;
  private readonly maxBatches: number;
  private readonly pause: () => Promise<void>;

  constructor(
    private readonly store: Pick<RetentionStore, 'pruneBatch'>,
    private readonly policy: RetentionPolicy,
    private readonly options: PrunerOptions,
  ) {
    this.batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
    this.maxBatches = options.maxBatches ?? DEFAULT_MAX_BATCHES;
    this.pause = options.pause ?? nextTurn;
  }

  /** Ends early, between two batches, once `signal` is aborted: the bot is stopping. */
  async run(signal?: AbortSignal): Promise<Pruned> {
    const now = this.options.now().getTime();
    const { auditMs } = this.policy;
    const cutoffs: [PruneTarget, number | undefined][] = [
      ['outbox', this.policy.outboxMs],
      ['certificationChanges', this.policy.changesMs],
      ['auditEntries', auditMs],
      ['importRuns', auditMs],
    ];
    const pruned: Record<PruneTarget, number> = { outbox: 0, certificationChanges: 0, auditEntries: 0, importRuns: 0 };
    for (const [target, keptMs] of cutoffs) {
      if (keptMs === undefined) continue;
      const before = new Date(now - keptMs);
      let cursor = 0;
      for (let batch = 0; batch < this.maxBatches && !signal?.aborted; batch++) {
        const outcome = await this.store.pruneBatch(target, before, cursor, this.batchRows);
        pruned[target] += outcome.deleted;
        cursor = outcome.cursor;
        if (outcome.done) break;
        await this.pause();
      }
    }
    return pruned;
  }
}

export interface PruningLog {
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
}

/** Retention as the bot runs it: at start and then hourly, on the one instance that holds `gate`. */
export function periodicPruning(
  store: RetentionStore,
  policy: RetentionPolicy,
  deps: { readonly now: () => Date; readonly log: PruningLog; readonly gate?: WorkGate; readonly telemetry?: Telemetry },
): PeriodicRun {
  const pruner = new Pruner(store, policy, { now: deps.now });
  return new PeriodicRun(
    async (signal) => {
      const pruned = await pruner.run(signal);
      if (Object.values(pruned).some((rows) => rows > 0)) deps.log.info({ pruned }, 'deleted what retention keeps no longer');
    },
    {
      name: 'retention',
      intervalMs: PRUNE_INTERVAL_MS,
      atStart: true,
      log: deps.log,
      ...(deps.gate && { gate: deps.gate }),
      ...(deps.telemetry && { telemetry: { recorder: deps.telemetry, operation: 'retention.prune' } }),
    },
  );
}
