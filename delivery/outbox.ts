import type { OutboxKind, Pacing, SendOutcome } from '../domain/ports';

/** An outbox job as the dispatcher sees it. */
export interface QueuedJob {
  readonly id: number;
  readonly kind: OutboxKind;
  readonly orderingKey: string;
  readonly payload: Readonly<Record<string, string>>;
  /** Attempts made before this one. */
  readonly attempts: number;
  readonly pacing?: Pacing;
  readonly createdAt: Date;
}

export interface AttemptFailure {
  readonly error: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
}

/** The delivery side of the outbox: what is due, and what became of each attempt. */
export interface OutboxQueue {
  /** Pending jobs due by `now`, oldest first, only the first pending job of each ordering key. */
  due(now: Date, limit: number): Promise<readonly QueuedJob[]>;
  /** When the next pending job falls due, if any. */
  nextDueAt(): Promise<Date | undefined>;
  delivered(jobId: number, at: Date): Promise<void>;
  retryAt(jobId: number, at: Date, failure: AttemptFailure): Promise<void>;
  failed(jobId: number, at: Date, failure: AttemptFailure): Promise<void>;
}

/** Sends one job. Throwing counts as a failure to retry. */
export type JobHandler = (job: QueuedJob) => Promise<SendOutcome>;
