/**
 * The outbox: messages to send once the change that caused them is committed, stored in the same
 * transaction, delivered afterwards, retried until they go out. What each kind of message carries
 * is typed here; how it is stored is the store adapter's business.
 */

/** What each kind of job carries. */
export interface OutboxPayloads {
  /** A merge request, to partner support. */
  readonly supportRequest: { readonly requestId: string };
  /** What partner support did with a request, to the user who made it. */
  readonly requesterNotice: { readonly requestId: string; readonly notice: 'merged' | 'infoRequested' };
  /** A certification change, to one subscribed conversation. */
  readonly certificationCard: { readonly changeId: number; readonly conversationKey: string };
  /** An offer went live, to a user waiting with solutions for a new offer. */
  readonly offerLiveNotice: {
    readonly changeId: number;
    readonly userId: string;
    /** Where to tell them: a conversation address, opaque to the domain. */
    readonly address: string;
    readonly locale: string;
    readonly solutionIds: readonly string[];
  };
}

export type OutboxKind = keyof OutboxPayloads;

/** Teams limits sends per conversation, and per tenant across conversations. */
export interface Pacing {
  readonly conversation: string;
  readonly tenant?: string;
}

interface JobPlacement {
  /** Jobs with the same ordering key go out one at a time, in the order they were stored. */
  readonly orderingKey: string;
  /** For messages to a Teams conversation: what its sends are paced by. */
  readonly pacing?: Pacing;
}

/** A message of one kind: the kind says what its payload is. */
export interface OutboxMessageOf<K extends OutboxKind> {
  readonly kind: K;
  readonly payload: OutboxPayloads[K];
}

export type OutboxMessage = { [K in OutboxKind]: OutboxMessageOf<K> }[OutboxKind];

/** A job of one kind to queue with the change that causes it. */
export interface OutboxJobOf<K extends OutboxKind> extends OutboxMessageOf<K>, JobPlacement {
  /** One job per key: a job whose key is already stored is not added again. */
  readonly dedupeKey: string;
}

/** A job of any kind: the kind says what its payload is. */
export type OutboxJob = { [K in OutboxKind]: OutboxJobOf<K> }[OutboxKind];

/** A stored job of one kind, as the sender sees it. */
export interface QueuedJobOf<K extends OutboxKind> extends OutboxMessageOf<K>, JobPlacement {
  readonly id: number;
  /** Attempts made before this one. */
  readonly attempts: number;
  readonly createdAt: Date;
  /**
   * Where several instances share the outbox: which holding of its pacing key this instance
   * claimed the job under. What a sender counted under that key in another holding is stale,
   * since other instances may have sent there in between.
   */
  readonly pacingTerm?: number;
}

export type QueuedJob = { [K in OutboxKind]: QueuedJobOf<K> }[OutboxKind];

/** What became of one attempt to send: sent, or why not, with what the other side said. */
export type SendOutcome =
  | { readonly ok: true; readonly messageId?: string }
  | { readonly ok: false; readonly error: string; readonly status?: number; readonly retryAfterMs?: number };

export type AttemptFailure = Omit<Extract<SendOutcome, { ok: false }>, 'ok'>;

export interface OutboxBacklog {
  readonly pending: number;
  readonly oldestCreatedAt?: Date;
}

/** The sending side of the outbox: what is due, and what became of each attempt. */
export interface OutboxQueue {
  /** Pending jobs due by `now`, oldest first, only the first pending job of each ordering key. */
  due(now: Date, limit: number): Promise<readonly QueuedJob[]>;
  /** When the next pending job falls due, if any. */
  nextDueAt(): Promise<Date | undefined>;
  /** How many jobs are still to send, and since when the oldest of them waits: what monitoring watches. */
  backlog(): Promise<OutboxBacklog>;
  delivered(jobId: number, at: Date): Promise<void>;
  retryAt(jobId: number, at: Date, failure: AttemptFailure): Promise<void>;
  failed(jobId: number, at: Date, failure: AttemptFailure): Promise<void>;
  /**
   * When the sends paced under a conversation, or a tenant, were answered since `since`: what a
   * sender must count when it starts to send there, after a restart or taking over from another.
   */
  answeredSince(scope: keyof Pacing, key: string, since: Date): Promise<readonly Date[]>;
}

/**
 * Told by a store after a commit that queued jobs, so that the sender goes at once instead of at
 * its next scheduled look. The composition root connects it to the sender.
 */
export interface OutboxSignal {
  jobsQueued(): void;
}

/** Sends one job of a kind. Throwing counts as a failure to retry. */
export type JobHandler<K extends OutboxKind> = (job: QueuedJobOf<K>) => Promise<SendOutcome>;

/** A handler for every kind. */
export type JobHandlers = { readonly [K in OutboxKind]: JobHandler<K> };
