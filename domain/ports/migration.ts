import type {
  AuditEntry,
  AwaitedOffer,
  MigrationEvent,
  MigrationStatus,
  Solution,
  SolutionSummary,
  SupportAgent,
  SupportCase,
  SupportRequest,
} from '../model';
import type { NewOfferWatcher } from './notifications';
import type { OutboxJob, SendOutcome } from './outbox';

export interface SolutionSlice {
  readonly items: readonly SolutionSummary[];
  readonly counts: Readonly<Record<MigrationStatus, number>>;
}

export interface StatusChange {
  readonly partnerAccountId: string;
  readonly solutionId: string;
  /** The change applies only if the solution is still at this version. */
  readonly expectedVersion: number;
  readonly event: MigrationEvent;
  readonly from: MigrationStatus;
  readonly to: MigrationStatus;
  readonly actorUserId: string;
  readonly actorName: string;
  readonly at: Date;
  /**
   * The offer the solution waits for once the change is made; without one it waits for none in
   * particular, or, after a change that leaves waiting, for nothing.
   */
  readonly awaitedOffer?: AwaitedOffer;
}

export interface NewMergeRequest {
  readonly request: SupportRequest;
  readonly change: StatusChange;
  readonly jobs: readonly OutboxJob[];
}

export interface MergeCompletion {
  readonly requestId: string;
  readonly change: StatusChange;
  readonly agent: SupportAgent;
  readonly jobs: readonly OutboxJob[];
}

export interface InfoRequest {
  readonly requestId: string;
  readonly infoNeeded: string;
  readonly at: Date;
  readonly agent: SupportAgent;
  readonly jobs: readonly OutboxJob[];
}

/** A solution as a typed name is matched against it. */
export interface NamedSolution {
  readonly id: string;
  readonly name: string;
}

/** The most name fragments one lookup compares: each is one LIKE in its statement. */
export const MAX_NAME_FRAGMENTS = 4;

/** Where migration state lives. Every write is atomic together with its audit entry and outbox jobs. */
export interface MigrationStore {
  getSolution(partnerAccountId: string, solutionId: string): Promise<Solution | undefined>;
  /** One page in list order, with the partner's counts per status. */
  listSolutions(partnerAccountId: string, offset: number, limit: number): Promise<SolutionSlice>;
  countByStatus(partnerAccountId: string): Promise<Readonly<Record<MigrationStatus, number>>>;
  /**
   * Up to `limit` of the partner's solutions whose name contains any of `fragments` (at most
   * MAX_NAME_FRAGMENTS, compared in lower case), by name: candidates for a name someone typed.
   */
  solutionsNamedLike(partnerAccountId: string, fragments: readonly string[], limit: number): Promise<readonly NamedSolution[]>;
  /** False when the solution moved on since expectedVersion; nothing is written then. */
  applyStatusChange(change: StatusChange): Promise<boolean>;
  latestAuditEntry(partnerAccountId: string, solutionId: string): Promise<AuditEntry | undefined>;

  /**
   * Stores the request, moves the solution on and queues the jobs, all or nothing. False when the
   * solution moved on since the change's expected version or already has an open request.
   */
  createMergeRequest(input: NewMergeRequest): Promise<boolean>;
  getSupportRequest(requestId: string): Promise<SupportRequest | undefined>;
  /** The request that is not completed yet for a solution, if any. */
  openSupportRequest(partnerAccountId: string, solutionId: string): Promise<SupportRequest | undefined>;
  /** Marks the request completed and applies the solution's change; false if either moved on. */
  completeMerge(input: MergeCompletion): Promise<boolean>;
  /** Records what partner support needs; false if the request is completed. */
  requestInfo(input: InfoRequest): Promise<boolean>;
  /**
   * Applies the change to "awaiting a new offer" and remembers where to tell the user when an offer
   * of their partner goes live, together; false when the solution moved on.
   */
  awaitNewOffer(change: StatusChange, watcher: Omit<NewOfferWatcher, 'solutions'>): Promise<boolean>;
}

/** Hands a merge request to partner support. */
export interface SupportDelivery {
  deliver(supportCase: SupportCase): Promise<SendOutcome>;
}
