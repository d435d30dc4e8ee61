import type {
  AuditEntry,
  CertificationChange,
  CertificationStatus,
  ChangeSource,
  ConversationInfo,
  Subscription,
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
  SolutionSummary,
  UserIdentity,
} from './model';

export interface Clock {
  now(): Date;
}

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
}

export const OUTBOX_KINDS = ['supportRequest', 'requesterNotice', 'certificationCard', 'offerLiveNotice'] as const;
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
  /** For messages to a Teams conversation: what its sends are paced by. */
  readonly pacing?: Pacing;
}

/** Teams limits sends per conversation, and per tenant across conversations. */
export interface Pacing {
  readonly conversation: string;
  readonly tenant?: string;
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
  /**
   * Applies the change to "awaiting a new offer" and remembers where to tell the user when an offer
   * of their partner goes live, together; false when the solution moved on.
   */
  awaitNewOffer(change: StatusChange, watcher: Omit<NewOfferWatcher, 'solutionIds'>): Promise<boolean>;
}

export interface NewCertificationChange {
  readonly partnerAccountId: string;
  readonly offerId: string;
  readonly status: CertificationStatus;
  readonly detail?: string;
  readonly reportUrl?: string;
  /** The listing, once the offer is live, when it was not known before. */
  readonly listingUrl?: string;
  readonly source: ChangeSource;
  readonly receivedAt: Date;
  /** The sender's own id for the change: the same key again is the same change. */
  readonly idempotencyKey?: string;
}

/** Someone to tell when an offer of their partner goes live, and the solutions they wait with. */
export interface NewOfferWatcher {
  readonly userId: string;
  readonly address: string;
  readonly conversationKey: string;
  readonly locale: string;
  readonly tenantId?: string;
  readonly solutionIds: readonly string[];
}

/** Subscriptions and the certification changes they hear about. */
export interface NotificationStore {
  subscribe(subscription: Subscription): Promise<boolean>;
  unsubscribe(conversationKey: string, partnerAccountId: string): Promise<boolean>;
  subscription(conversationKey: string, partnerAccountId: string): Promise<Subscription | undefined>;
  subscriptionsOf(conversationKey: string): Promise<readonly Subscription[]>;
  /** Removes every subscription of a conversation, or of all a team's channels; returns how many. */
  forgetConversation(conversationKey: string): Promise<number>;
  forgetTeam(teamId: string): Promise<number>;
  /**
   * Stores the change, updates the offer, and queues the jobs that `jobsFor` makes from the
   * subscriptions and watchers as they are at that moment, all in one transaction. With an
   * idempotency key already stored, returns that change and queues nothing.
   */
  recordChange(
    change: NewCertificationChange,
    jobsFor: (
      stored: CertificationChange,
      subscriptions: readonly Subscription[],
      watchers: readonly NewOfferWatcher[],
    ) => readonly OutboxJob[],
  ): Promise<{ readonly change: CertificationChange; readonly jobs: number; readonly repeated: boolean }>;
  getChange(changeId: number): Promise<CertificationChange | undefined>;
}

/** Who the partners are and what they publish: the demo data today, the Partner Center APIs next. */
export interface PartnerDataSource {
  getAccount(partnerAccountId: string): Promise<PartnerAccount | undefined>;
  findMember(identity: UserIdentity): Promise<Member | undefined>;
  listOffers(partnerAccountId: string, publishingState?: PublishingState): Promise<readonly Offer[]>;
  getOffer(partnerAccountId: string, offerId: string): Promise<Offer | undefined>;
  /** An offer by its id alone, whichever partner publishes it: what release pipelines post about. */
  findOffer(offerId: string): Promise<Offer | undefined>;
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

/**
 * The conversations the bot is installed in, from install until uninstall, deletion, or Teams
 * answering 403/404 for them.
 */
export interface ConversationReferenceStore {
  /** True when the conversation was not known: a new installation. */
  add(conversation: ConversationInfo, at: Date): Promise<boolean>;
  remove(conversationKey: string): Promise<boolean>;
  removeTeam(teamId: string): Promise<number>;
  get(conversationKey: string): Promise<ConversationInfo | undefined>;
}

/** What a user chose for themselves; the language the bot answers them in. */
export interface UserPreferences {
  language(userKey: string): Promise<string | undefined>;
  setLanguage(userKey: string, locale: string, at: Date): Promise<void>;
}
