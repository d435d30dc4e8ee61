import type {
  AwaitedOffer,
  CertificationChange,
  CertificationStatus,
  ChangeSource,
  ConversationInfo,
  Subscription,
} from '../model';
import type { OutboxJob, SendOutcome } from './outbox';

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
  /** The sender's own id for the change, scoped by its source: the same key again is the same change. */
  readonly idempotencyKey?: string;
  /** A digest of what the sender sent with the key, so that the key cannot stand for two different changes. */
  readonly idempotencyDigest?: string;
}

/** What became of a change given to the store: recorded, the same as one recorded under its key, or not the same. */
export type RecordChangeOutcome =
  /**
   * `unchanged`: the offer stands where the change says already, and nothing is queued; `change` is
   * the newest one that says so, or this one, recorded, when the offer had none (its state came
   * from an import).
   */
  | { readonly kind: 'recorded' | 'repeated' | 'unchanged'; readonly change: CertificationChange; readonly jobs: number }
  /** The key was used for another change, `change`; nothing was stored. */
  | { readonly kind: 'conflict'; readonly change: CertificationChange };

/** Someone to tell when an offer of their partner goes live, and the solutions they wait with. */
export interface NewOfferWatcher {
  readonly userId: string;
  readonly address: string;
  readonly conversationKey: string;
  readonly locale: string;
  readonly tenantId?: string;
  readonly solutions: readonly WaitingSolution[];
}

/** A solution awaiting a new offer, and the offer it waits for when one was named. */
export interface WaitingSolution {
  readonly id: string;
  readonly awaitedOffer?: AwaitedOffer;
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
   * subscriptions and watchers as they are at that moment, all in one transaction. A change that
   * says what the offer's newest one says (status, detail and report) is `unchanged`. With an
   * idempotency key already stored, stores and queues nothing: `repeated` with that change when it was
   * given with the same digest, `conflict` when it was given for something else.
   */
  recordChange(
    change: NewCertificationChange,
    jobsFor: (
      stored: CertificationChange,
      subscriptions: readonly Subscription[],
      watchers: readonly NewOfferWatcher[],
    ) => readonly OutboxJob[],
  ): Promise<RecordChangeOutcome>;
  getChange(changeId: number): Promise<CertificationChange | undefined>;
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

/** A message for a conversation, sent outside of any turn. */
export interface OutboundMessage {
  readonly text?: string;
  /** Shown in notification feeds where the card itself is not. */
  readonly summary?: string;
  readonly attachments?: readonly { readonly contentType: string; readonly content: unknown }[];
}

/** Posts to a conversation the bot is part of, given the address it was reached at (proactive messaging). */
export interface NotificationSender {
  send(address: string, message: OutboundMessage): Promise<SendOutcome>;
}
