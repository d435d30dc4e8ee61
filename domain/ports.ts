import type {
  AuditEntry,
  SupportAgent,
  SupportCase,
  SupportRequest,
  Member,
  MigrationEvent,
  MigrationStatus,
  Offer,
  PartnerAccount,
  PublishingState,
  Solution,
  UserIdentity,
} from './model';

export interface Clock {
  now(): Date;
}

export interface SolutionSlice {
  readonly items: readonly Solution[];
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
}

export const OUTBOX_KINDS = ['supportRequest', 'requesterNotice'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/**
 * A message to send once the change that caused it is committed: stored in the same transaction,
 * delivered afterwards, retried until it goes out.
 */
export interface OutboxJob {
  readonly kind: OutboxKind;
  /** One job per key: a job whose key is already stored is not added again. */
  readonly dedupeKey: string;
  /** Jobs with the same ordering key go out one at a time, in the order they were stored. */
  readonly orderingKey: string;
  readonly payload: Readonly<Record<string, string>>;
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

/** Where migration state lives. Every write is atomic together with its audit entry and outbox jobs. */
export interface MigrationStore {
  getSolution(partnerAccountId: string, solutionId: string): Promise<Solution | undefined>;
  /** One page in list order, with the partner's counts per status. */
  listSolutions(partnerAccountId: string, offset: number, limit: number): Promise<SolutionSlice>;
  countByStatus(partnerAccountId: string): Promise<Readonly<Record<MigrationStatus, number>>>;
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
}

/** Who the partners are and what they publish: the demo data today, the Partner Center APIs next. */
export interface PartnerDataSource {
  getAccount(partnerAccountId: string): Promise<PartnerAccount | undefined>;
  findMember(identity: UserIdentity): Promise<Member | undefined>;
  listOffers(partnerAccountId: string, publishingState?: PublishingState): Promise<readonly Offer[]>;
  getOffer(partnerAccountId: string, offerId: string): Promise<Offer | undefined>;
}

/** A message for a conversation, sent outside of any turn. */
export interface OutboundMessage {
  readonly text?: string;
  /** Shown in notification feeds where the card itself is not. */
  readonly summary?: string;
  readonly attachments?: readonly { readonly contentType: string; readonly content: unknown }[];
}

/** What became of one attempt to send: sent, or why not, with what the other side said. */
export type SendOutcome =
  | { readonly ok: true; readonly messageId?: string }
  | { readonly ok: false; readonly error: string; readonly status?: number; readonly retryAfterMs?: number };

/** Posts to a conversation the bot is part of, given the address it was reached at (proactive messaging). */
export interface NotificationSender {
  send(address: string, message: OutboundMessage): Promise<SendOutcome>;
}

/** Hands a merge request to partner support. */
export interface SupportDelivery {
  deliver(supportCase: SupportCase): Promise<SendOutcome>;
}
