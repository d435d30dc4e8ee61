import type { WorkGate } from '../../domain/leaseGate';
import type { OfferSync, SyncOutcome } from '../../domain/offerSync';

export interface SyncLog {
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
}

/**
 * Runs the sync at start and then every interval; a run never overlaps the one before it. With a
 * gate, only the instance that holds it runs the sync; the others ask again at their next tick.
 */
export class PeriodicSync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SyncOutcome> | undefined;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly sync: OfferSync,
    private readonly intervalMs: number,
    private readonly log: SyncLog,
    private readonly gate?: WorkGate,
  ) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** A run now, or the one under way. */
  runOnce(): Promise<SyncOutcome> {
    this.running ??= this.sync
      .run()
      .then((outcome) => {
        this.report(outcome);
        return outcome;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await this.running;
    await this.gate?.release();
  }

  private tick(): void {
    this.ticking ??= (async () => {
      if (this.gate && !(await this.gate.held())) return;
      await this.runOnce();
    })().finally(() => (this.ticking = undefined));
  }

  private report(outcome: SyncOutcome): void {
    if (!outcome.ok) {
      this.log.warn({ error: outcome.error }, 'Partner Center sync failed; nothing was changed');
      return;
    }
    const { failures, ...counts } = outcome;
    if (failures.length > 0)
      this.log.warn({ ...counts, failures }, 'Partner Center sync read part of the catalog; the rest is left as it was');
    else this.log.info(counts, 'Partner Center sync');
  }
}
