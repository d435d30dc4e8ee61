import { matchAwaited } from './awaitedOffer';
import { listingUrlFor } from './listingUrl';
import type {
  Actor,
  CertificationChange,
  CertificationStatus,
  ChangeSource,
  ConversationInfo,
  Offer,
  Subscription,
} from './model';
import type { Clock } from './ports/clock';
import type { ConversationReferenceStore, NewOfferWatcher, NotificationStore } from './ports/notifications';
import type { OutboxJob } from './ports/outbox';
import type { OfferSyncStore, SyncState } from './ports/partnerCenter';
import type { PartnerDataSource } from './ports/partners';
import { ok, refused, type Result } from './result';

export interface ChangeInput {
  readonly offerId: string;
  readonly status: CertificationStatus;
  readonly detail?: string;
  readonly reportUrl?: string;
  readonly source: ChangeSource;
  /**
   * The sender's own id for the change, and a digest of what it sent with it. Keys are scoped by the
   * source, so that each source of changes keeps its own.
   */
  readonly idempotency?: { readonly key: string; readonly digest: string };
}

export interface RecordedChange {
  readonly change: CertificationChange;
  readonly offer: Offer;
  /** Messages queued for it: one per subscribed conversation, and per user waiting for a live offer. */
  readonly deliveries: number;
  /** The same idempotency key was recorded before, for the same change; nothing new was queued. */
  readonly repeated: boolean;
  /** The offer stood where the change says already: nothing was announced. */
  readonly unchanged: boolean;
}

export interface SubscriptionStatus {
  readonly subscription?: Subscription;
  readonly offers: readonly Offer[];
  /** How the partner's offers are kept in step with Partner Center, when they are. */
  readonly sync?: SyncState;
}

export interface NotificationServiceDeps {
  readonly store: NotificationStore;
  readonly references: ConversationReferenceStore;
  readonly partners: PartnerDataSource;
  readonly clock: Clock;
  /** Set when a Partner Center sync runs: `status` says how it stands. */
  readonly syncStates?: Pick<OfferSyncStore, 'syncState'>;
}

/** Which conversations hear about certification, and what each change sends to whom. */
export class NotificationService {
  private readonly store: NotificationStore;
  private readonly references: ConversationReferenceStore;
  private readonly partners: PartnerDataSource;
  private readonly clock: Clock;
  private readonly syncStates: Pick<OfferSyncStore, 'syncState'> | undefined;

  constructor(deps: NotificationServiceDeps) {
    this.store = deps.store;
    this.references = deps.references;
    this.partners = deps.partners;
    this.clock = deps.clock;
    this.syncStates = deps.syncStates;
  }

  /** Registers a channel or group chat for its partner's offers; saying it again changes nothing. */
  async subscribe(
    actor: Actor,
    conversation: ConversationInfo,
  ): Promise<Result<{ subscription: Subscription; created: boolean }>> {
    if (conversation.kind === 'personal') return refused({ code: 'subscriptionNeedsChannel' });
    const existing = await this.store.subscription(conversation.key, actor.account.id);
    if (existing) return ok({ subscription: existing, created: false });
    const subscription: Subscription = {
      conversationKey: conversation.key,
      partnerAccountId: actor.account.id,
      address: conversation.address,
      locale: conversation.locale,
      ...(conversation.tenantId && { tenantId: conversation.tenantId }),
      ...(conversation.teamId && { teamId: conversation.teamId }),
      subscribedBy: { userId: actor.member.userId, name: actor.member.displayName },
      subscribedAt: this.clock.now(),
    };
    const created = await this.store.subscribe(subscription);
    const stored = created ? subscription : await this.store.subscription(conversation.key, actor.account.id);
    return ok({ subscription: stored ?? subscription, created });
  }

  async unsubscribe(actor: Actor, conversation: ConversationInfo): Promise<Result<{ removed: boolean }>> {
    if (conversation.kind === 'personal') return refused({ code: 'subscriptionNeedsChannel' });
    return ok({ removed: await this.store.unsubscribe(conversation.key, actor.account.id) });
  }

  /** What this conversation hears about for the actor's partner, with the offers and where each stands. */
  async status(actor: Actor, conversation: ConversationInfo): Promise<SubscriptionStatus> {
    const subscription = await this.store.subscription(conversation.key, actor.account.id);
    const offers = await this.partners.listOffers(actor.account.id);
    const sync = await this.syncStates?.syncState(actor.account.id);
    return { ...(subscription && { subscription }), offers, ...(sync && { sync }) };
  }

  /** The bot was added to a conversation; true the first time, when it greets. */
  installed(conversation: ConversationInfo): Promise<boolean> {
    return this.references.add(conversation, this.clock.now());
  }

  /** The bot left the conversation, or Teams says it is gone: nothing more goes there. */
  async forgetConversation(conversationKey: string): Promise<number> {
    await this.references.remove(conversationKey);
    return this.store.forgetConversation(conversationKey);
  }

  async forgetTeam(teamId: string): Promise<number> {
    await this.references.removeTeam(teamId);
    return this.store.forgetTeam(teamId);
  }

  subscriptionsOf(conversationKey: string): Promise<readonly Subscription[]> {
    return this.store.subscriptionsOf(conversationKey);
  }

  /**
   * Records a certification status change of an offer and queues, in the same transaction, a card
   * for each subscribed conversation of its partner and, when the offer went live, a message to each
   * user with a solution that waits for this offer, or for no offer in particular.
   */
  async recordChange(input: ChangeInput): Promise<Result<RecordedChange>> {
    const offer = await this.partners.findOffer(input.offerId);
    if (!offer) return refused({ code: 'offerNotFound', offerId: input.offerId });
    const goesLiveUnlisted = input.status === 'live' && !offer.listingUrl;
    const recorded = await this.store.recordChange(
      {
        partnerAccountId: offer.partnerAccountId,
        offerId: offer.id,
        status: input.status,
        ...(input.detail && { detail: input.detail }),
        ...(input.reportUrl && { reportUrl: input.reportUrl }),
        ...(goesLiveUnlisted && { listingUrl: listingUrlFor(offer) }),
        source: input.source,
        receivedAt: this.clock.now(),
        ...(input.idempotency && {
          idempotencyKey: `${input.source}:${input.idempotency.key}`,
          idempotencyDigest: input.idempotency.digest,
        }),
      },
      (stored, subscriptions, watchers) => jobsFor(offer, stored, subscriptions, watchers),
    );
    if (recorded.kind === 'conflict') {
      return refused({ code: 'idempotencyKeyReused', key: input.idempotency?.key ?? '', change: recorded.change });
    }
    return ok({
      change: recorded.change,
      offer,
      deliveries: recorded.jobs,
      repeated: recorded.kind === 'repeated',
      unchanged: recorded.kind === 'unchanged',
    });
  }

  getChange(changeId: number): Promise<CertificationChange | undefined> {
    return this.store.getChange(changeId);
  }
}

/**
 * One card per subscribed conversation, in order per conversation; when the offer is live, one
 * message per user waiting with solutions for it or for no offer named. A solution waiting for
 * another offer is not told about this one.
 */
function jobsFor(
  offer: Offer,
  change: CertificationChange,
  subscriptions: readonly Subscription[],
  watchers: readonly NewOfferWatcher[],
): OutboxJob[] {
  const cards = subscriptions.map((subscription): OutboxJob => ({
    kind: 'certificationCard',
    dedupeKey: `certification:${change.id}:${subscription.conversationKey}`,
    orderingKey: `conversation:${subscription.conversationKey}`,
    payload: { changeId: change.id, conversationKey: subscription.conversationKey },
    pacing: { conversation: subscription.conversationKey, ...(subscription.tenantId && { tenant: subscription.tenantId }) },
  }));
  if (change.status !== 'live') return cards;
  const notices = watchers.flatMap((watcher): OutboxJob[] => {
    const solutionIds = watcher.solutions
      .filter((solution) => matchAwaited(offer, solution.awaitedOffer) !== 'other')
      .map((solution) => solution.id);
    if (solutionIds.length === 0) return [];
    return [
      {
        kind: 'offerLiveNotice',
        // One per user and conversation: a user may wait with solutions in several.
        dedupeKey: `offerLive:${change.id}:${watcher.userId}:${watcher.conversationKey}`,
        orderingKey: `conversation:${watcher.conversationKey}`,
        payload: { changeId: change.id, userId: watcher.userId, address: watcher.address, locale: watcher.locale, solutionIds },
        pacing: { conversation: watcher.conversationKey, ...(watcher.tenantId && { tenant: watcher.tenantId }) },
      },
    ];
  });
  return [...cards, ...notices];
}
