import type {
  AttemptFailure,
  JobHandler,
  JobHandlers,
  OutboxKind,
  OutboxQueue,
  OutboxSignal,
  QueuedJob,
  QueuedJobOf,
  SendOutcome,
} from '../domain/ports/outbox';
import { noTelemetry, type Telemetry, type TelemetryAttributes } from '../domain/ports/telemetry';
import type { Pacer } from './pacer';

export interface DispatcherLog {
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export interface RetryPolicy {
  /** Attempts before a job is given up as failed. */
  readonly maxAttempts: number;
  /** First retry delay; it doubles with each attempt, with jitter, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 5 * 60 * 1000 };

export interface DispatcherOptions {
  readonly queue: OutboxQueue;
  readonly log: DispatcherLog;
  readonly retry?: RetryPolicy;
  /** Jobs sent at the same time, across ordering keys. */
  readonly concurrency?: number;
  /** Keeps sends to Teams conversations under Teams' rate limits; jobs without pacing are not held. */
  readonly pacer?: Pacer;
  readonly now?: () => Date;
  readonly random?: () => number;
  /**
   * Looks at the queue at least this often while idle: jobs queued by other instances, or left by
   * one that died, reach no signal of this process. None for a store only this process uses.
   */
  readonly idlePollMs?: number;
  /** Each job's attempt is an operation of its own there, its send to the Bot Connector within it. */
  readonly telemetry?: Telemetry;
}

/** After a sweep or a look at the queue failed (the store was unreachable), the next try. */
const AFTER_FAILURE_MS = 5000;

/** Statuses worth another try: throttling, timeouts, and the service being briefly unwell. */
const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);

/**
 * Sends what the outbox holds, after the changes that caused it are committed. Runs at start (so
 * that jobs left by a crash go out), when a store signals a commit, and when a retry falls due.
 * Made before the stores, which signal it, and started with its handlers once the services that
 * those need are made from the stores.
 */
export class OutboxDispatcher implements OutboxSignal {
  private readonly queue: OutboxQueue;
  private handlers: JobHandlers | undefined;
  private readonly log: DispatcherLog;
  private readonly retry: RetryPolicy;
  private readonly concurrency: number;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly pacer: Pacer | undefined;
  private readonly idlePollMs: number | undefined;
  private readonly telemetry: Telemetry;
  private running: Promise<void> | undefined;
  private pause: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: DispatcherOptions) {
    this.queue = options.queue;
    this.log = options.log;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.concurrency = options.concurrency ?? 4;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.pacer = options.pacer;
    this.idlePollMs = options.idlePollMs;
    this.telemetry = options.telemetry ?? noTelemetry;
  }

  start(handlers: JobHandlers): void {
    this.handlers = handlers;
    this.stopped = false;
    this.wake();
  }

  /** A store committed jobs: send them now. */
  jobsQueued(): void {
    this.wake();
  }

  /**
   * Something was queued or fell due: send it now, or right after the sweep in progress. Apart from
   * the request whose commit woke it: the sends, and the timers of later ones, are none of its own.
   */
  wake(): void {
    this.telemetry.detached(() => this.wakeHere());
  }

  private wakeHere(): void {
    const handlers = this.handlers;
    if (!handlers || this.stopped) return;
    if (this.running) {
      this.again = true;
      // A paced wait is only for the jobs it held; something new may go sooner.
      this.endPause();
      return;
    }
    this.clearTimer();
    this.running = this.sweep(handlers).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      } else {
        void this.scheduleNext();
      }
    });
  }

  /** Resolves once nothing is being sent. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    this.endPause();
    await this.idle();
  }

  private async sweep(handlers: JobHandlers): Promise<void> {
    try {
      for (;;) {
        const due = await this.queue.due(this.now(), this.concurrency * 8);
        if (due.length === 0 || this.stopped) return;
        await this.countSendsElsewhere(due);
        const { ready, waitMs } = this.paced(due);
        if (ready.length > 0) await this.sendAll(ready, handlers);
        else await this.waitFor(waitMs);
        if (this.stopped) return;
      }
    } catch (error: unknown) {
      this.log.error({ err: error }, 'outbox sweep failed');
      this.retryAfterFailure();
    }
  }

  /**
   * Before the first send to a conversation or tenant the pacer has not seen lately, or not in the
   * job's term of the sending lease, it counts the sends answered there within its windows: by the
   * process before a restart, or by another instance that sent there before this one took over.
   */
  private async countSendsElsewhere(due: readonly QueuedJob[]): Promise<void> {
    const pacer = this.pacer;
    if (!pacer) return;
    const since = new Date(this.now().getTime() - pacer.horizonMs);
    for (const { pacing, pacingTerm } of due) {
      if (!pacing) continue;
      const scopes = [
        ['conversation', pacing.conversation] as const,
        ...(pacing.tenant ? [['tenant', pacing.tenant] as const] : []),
      ];
      for (const [scope, key] of scopes) {
        if (!pacer.knows(scope, key, pacingTerm)) {
          pacer.seed(scope, key, await this.queue.answeredSince(scope, key, since), pacingTerm);
        }
      }
    }
  }

  /** The store may be back by then; until it is, nothing else wakes the sender. */
  private retryAfterFailure(): void {
    if (this.stopped) return;
    this.clearTimer();
    this.timer = setTimeout(() => this.wake(), AFTER_FAILURE_MS);
    this.timer.unref();
  }

  /**
   * Up to `concurrency` due jobs that can go now without breaking a rate window, each counted as
   * sent: they all leave at once, so the pacer's clock is the clock they arrive by. The others stay
   * due and are picked up again, at the latest once the shortest wait is over.
   */
  private paced(due: readonly QueuedJob[]): { ready: QueuedJob[]; waitMs: number } {
    if (!this.pacer) return { ready: [...due], waitMs: 0 };
    const now = this.now().getTime();
    const ready: QueuedJob[] = [];
    let waitMs = Number.POSITIVE_INFINITY;
    for (const job of due) {
      if (ready.length >= this.concurrency) break;
      if (!job.pacing) {
        ready.push(job);
        continue;
      }
      const delay = this.pacer.delay(job.pacing, now);
      if (delay > 0) {
        waitMs = Math.min(waitMs, delay);
        continue;
      }
      this.pacer.leaving(job.pacing);
      ready.push(job);
    }
    return { ready, waitMs: Number.isFinite(waitMs) ? waitMs : 0 };
  }

  private waitFor(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.endPause(), ms);
      timer.unref();
      this.pause = { timer, resolve };
    });
  }

  private endPause(): void {
    if (!this.pause) return;
    clearTimeout(this.pause.timer);
    this.pause.resolve();
    this.pause = undefined;
  }

  /** Sends a batch with at most `concurrency` jobs in flight; each job is the head of its own ordering key. */
  private async sendAll(jobs: readonly QueuedJob[], handlers: JobHandlers): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let job = jobs[next++]; job; job = jobs[next++]) await this.send(job, handlers);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, jobs.length) }, worker));
  }

  private send(job: QueuedJob, handlers: JobHandlers): Promise<void> {
    const attributes = { 'bot.outbox_kind': job.kind, 'bot.attempt': job.attempts + 1 };
    return this.telemetry.operation('outbox.send', attributes, () => this.attempt(job, handlers));
  }

  private async attempt(job: QueuedJob, handlers: JobHandlers): Promise<void> {
    let outcome: SendOutcome;
    try {
      outcome = await handle(handlers, job);
    } catch (error: unknown) {
      outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    const at = this.now();
    if (job.pacing) this.pacer?.answered(job.pacing, at.getTime());
    if (outcome.ok) {
      await this.queue.delivered(job.id, at);
      this.recorded(job, 'delivered');
      return;
    }
    const failure: AttemptFailure = {
      error: outcome.error,
      ...(outcome.status !== undefined && { status: outcome.status }),
      ...(outcome.retryAfterMs !== undefined && { retryAfterMs: outcome.retryAfterMs }),
    };
    const fields = {
      jobId: job.id,
      kind: job.kind,
      attempt: job.attempts + 1,
      status: outcome.status,
      retryAfterMs: outcome.retryAfterMs,
      error: outcome.error,
    };
    const retryable = outcome.status === undefined || RETRYABLE.has(outcome.status);
    if (!retryable || job.attempts + 1 >= this.retry.maxAttempts) {
      await this.queue.failed(job.id, at, failure);
      this.recorded(job, 'failed', outcome.status);
      this.log.error(fields, 'outbox job failed for good');
      return;
    }
    const delay = this.delayFor(job.attempts + 1, outcome.retryAfterMs);
    await this.queue.retryAt(job.id, new Date(at.getTime() + delay), failure);
    this.recorded(job, 'retrying', outcome.status);
    this.log.warn({ ...fields, retryInMs: delay }, 'outbox job will be retried');
  }

  /** How the attempt ended, on its operation and in the job counts (which the attempt's number would split). */
  private recorded(job: QueuedJob, outcome: 'delivered' | 'retrying' | 'failed', status?: number): void {
    const counted: TelemetryAttributes = {
      'bot.outbox_kind': job.kind,
      'bot.outcome': outcome,
      ...(status !== undefined && { 'bot.status': status }),
    };
    this.telemetry.describe(counted, { failed: outcome !== 'delivered' });
    this.telemetry.count('bot.outbox.jobs', 1, counted);
  }

  /** Retry-After when the other side gives it; otherwise exponential backoff, jittered over its upper half. */
  delayFor(attempt: number, retryAfterMs?: number): number {
    if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 0), this.retry.maxDelayMs);
    const ceiling = Math.min(this.retry.baseDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    try {
      const next = await this.queue.nextDueAt();
      if (this.stopped || this.running) return;
      const untilDue = next ? Math.max(0, next.getTime() - this.now().getTime()) : undefined;
      const wait = Math.min(untilDue ?? Number.POSITIVE_INFINITY, this.idlePollMs ?? Number.POSITIVE_INFINITY);
      if (!Number.isFinite(wait)) return;
      this.clearTimer();
      this.timer = setTimeout(() => this.wake(), wait);
      this.timer.unref();
    } catch (error: unknown) {
      this.log.error({ err: error }, 'outbox could not schedule its next run');
      this.retryAfterFailure();
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The handler of the job's kind, which takes that kind's payload. */
function handle<K extends OutboxKind>(handlers: JobHandlers, job: QueuedJobOf<K>): Promise<SendOutcome> {
  const handler: JobHandler<K> = handlers[job.kind];
  return handler(job);
}
