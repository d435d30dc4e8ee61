import type { WorkGate } from './leaseGate';
import type { OperationName, Telemetry } from './ports/telemetry';

export interface PeriodicLog {
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export interface PeriodicRunOptions {
  /** Named in the log line of a run that failed. */
  readonly name: string;
  readonly intervalMs: number;
  /** A first run at start, rather than one interval after it. */
  readonly atStart?: boolean;
  /** With several instances on one store, only the instance that holds it runs; the others ask again next time. */
  readonly gate?: WorkGate;
  readonly log: PeriodicLog;
  /** Each run an operation of this name, with what it calls (a store, an API) within it. */
  readonly telemetry?: { readonly recorder: Telemetry; readonly operation: OperationName };
}

/**
 * Work done every interval, one run at a time: a tick that comes while a run is under way is
 * skipped, not queued. A run that throws is logged, and the next tick runs again. `stop` aborts the
 * signal the run under way was given (long work ends early on it), waits for it, and lets the gate
 * go, so that another instance takes the work at once.
 */
export class PeriodicRun {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private stopping = new AbortController();

  constructor(
    private readonly work: (signal: AbortSignal) => Promise<unknown>,
    private readonly options: PeriodicRunOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.stopping = new AbortController();
    if (this.options.atStart) void this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  /** A run now, unless one is under way (then that one); resolves when it is over, and never rejects. */
  tick(): Promise<void> {
    if (this.stopped) return this.running ?? Promise.resolve();
    this.running ??= this.gatedRun().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.options.gate?.release();
  }

  private async gatedRun(): Promise<void> {
    try {
      if (this.options.gate && !(await this.options.gate.held())) return;
      const { telemetry } = this.options;
      const signal = this.stopping.signal;
      if (telemetry) await telemetry.recorder.operation(telemetry.operation, {}, () => this.work(signal));
      else await this.work(signal);
    } catch (error: unknown) {
      this.options.log.error({ err: error }, `${this.options.name} failed; it runs again at its next tick`);
    }
  }
}
