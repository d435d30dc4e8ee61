import type { CertificationChange, Subscription } from '../../domain/model';
import type {
  NewCertificationChange,
  NewOfferWatcher,
  NotificationStore,
  RecordChangeOutcome,
} from '../../domain/ports/notifications';
import type { OutboxJob, OutboxSignal } from '../../domain/ports/outbox';
import {
  CHANGE_COLUMNS,
  CHANGE_INSERT_COLUMNS,
  LATEST_CHANGE_OF_OFFER,
  OFFER_STATE,
  SUBSCRIPTION_COLUMNS,
  WATCHER_SELECT,
  changeValues,
  groupWatchers,
  sameChange,
  standingOf,
  storedChange,
  subscriptionValues,
  toChange,
  toSubscription,
  type ChangeRow,
  type KeyedChangeRow,
  type SubscriptionRow,
  type WatcherRow,
} from '../rows/notifications';
import type { SqliteDatabase } from './database';
import { prepareJobInsert, queueJobs } from './outboxJobs';

type JobsFor = (
  stored: CertificationChange,
  subscriptions: readonly Subscription[],
  watchers: readonly NewOfferWatcher[],
) => readonly OutboxJob[];

export class SqliteNotificationStore implements NotificationStore {
  private readonly insertSubscription;
  private readonly deleteSubscription;
  private readonly selectSubscription;
  private readonly selectConversationSubscriptions;
  private readonly selectPartnerSubscriptions;
  private readonly deleteConversation;
  private readonly deleteTeam;
  private readonly insertChange;
  private readonly selectChange;
  private readonly selectChangeByKey;
  private readonly updateOffer;
  private readonly selectWatchers;
  private readonly selectLatestChange;
  private readonly selectOfferState;
  private readonly insertJob;
  private readonly recordChangeTx;
  /** `outbox` is told after each commit that queued jobs. */
  constructor(
    db: SqliteDatabase,
    private readonly outbox: OutboxSignal,
  ) {
    this.insertSubscription = db.prepare<(string | number | null)[]>(
      `INSERT INTO subscriptions (${SUBSCRIPTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.deleteSubscription = db.prepare<[string, string]>(
      'DELETE FROM subscriptions WHERE conversation_key = ? AND partner_account_id = ?',
    );
    this.selectSubscription = db.prepare<[string, string], SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE conversation_key = ? AND partner_account_id = ?`,
    );
    this.selectConversationSubscriptions = db.prepare<[string], SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE conversation_key = ? ORDER BY subscribed_at`,
    );
    this.selectPartnerSubscriptions = db.prepare<[string], SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE partner_account_id = ? ORDER BY subscribed_at, conversation_key`,
    );
    this.deleteConversation = db.prepare<[string]>('DELETE FROM subscriptions WHERE conversation_key = ?');
    this.deleteTeam = db.prepare<[string]>('DELETE FROM subscriptions WHERE team_id = ?');
    this.insertChange = db.prepare<(string | number | null)[]>(
      `INSERT INTO certification_changes (${CHANGE_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectChange = db.prepare<[number], ChangeRow>(`SELECT ${CHANGE_COLUMNS} FROM certification_changes WHERE id = ?`);
    this.selectChangeByKey = db.prepare<[string], KeyedChangeRow>(
      `SELECT ${CHANGE_COLUMNS}, idempotency_digest FROM certification_changes WHERE idempotency_key = ?`,
    );
    this.updateOffer = db.prepare<[string, string | null, string]>(
      'UPDATE offers SET publishing_state = ?, listing_url = coalesce(listing_url, ?) WHERE id = ?',
    );
    this.selectLatestChange = db.prepare<[string], ChangeRow>(LATEST_CHANGE_OF_OFFER);
    this.selectOfferState = db.prepare<[string], string>(OFFER_STATE).pluck();
    this.selectWatchers = db.prepare<[string], WatcherRow>(
      `${WATCHER_SELECT}
       WHERE s.partner_account_id = ? AND s.status = 'awaitingNewOffer'
       ORDER BY w.user_id, w.solution_id`,
    );
    this.insertJob = prepareJobInsert(db);

    this.recordChangeTx = db.transaction((input: NewCertificationChange, jobsFor: JobsFor): RecordChangeOutcome => {
      const earlier = input.idempotencyKey ? this.selectChangeByKey.get(input.idempotencyKey) : undefined;
      if (earlier) {
        return { kind: sameChange(earlier, input) ? 'repeated' : 'conflict', change: toChange(earlier), jobs: 0 };
      }
      const latest = this.selectLatestChange.get(input.offerId);
      const standing = standingOf(latest, this.selectOfferState.get(input.offerId), input);
      if (standing === 'restates' && latest) return { kind: 'unchanged', change: toChange(latest), jobs: 0 };
      const { lastInsertRowid } = this.insertChange.run(...changeValues(input));
      this.updateOffer.run(input.status, input.listingUrl ?? null, input.offerId);
      const change = storedChange(Number(lastInsertRowid), input);
      if (standing === 'quiet') return { kind: 'unchanged', change, jobs: 0 };
      const subscriptions = this.selectPartnerSubscriptions.all(input.partnerAccountId).map(toSubscription);
      const watchers = input.status === 'live' ? groupWatchers(this.selectWatchers.all(input.partnerAccountId)) : [];
      const jobs = queueJobs(this.insertJob, jobsFor(change, subscriptions, watchers), input.receivedAt);
      return { kind: 'recorded', change, jobs };
    });
  }

  async subscribe(subscription: Subscription): Promise<boolean> {
    const { changes } = this.insertSubscription.run(...subscriptionValues(subscription));
    return changes === 1;
  }

  async unsubscribe(conversationKey: string, partnerAccountId: string): Promise<boolean> {
    return this.deleteSubscription.run(conversationKey, partnerAccountId).changes === 1;
  }

  async subscription(conversationKey: string, partnerAccountId: string): Promise<Subscription | undefined> {
    const row = this.selectSubscription.get(conversationKey, partnerAccountId);
    return row && toSubscription(row);
  }

  async subscriptionsOf(conversationKey: string): Promise<readonly Subscription[]> {
    return this.selectConversationSubscriptions.all(conversationKey).map(toSubscription);
  }

  async forgetConversation(conversationKey: string): Promise<number> {
    return this.deleteConversation.run(conversationKey).changes;
  }

  async forgetTeam(teamId: string): Promise<number> {
    return this.deleteTeam.run(teamId).changes;
  }

  async recordChange(input: NewCertificationChange, jobsFor: JobsFor): Promise<RecordChangeOutcome> {
    const recorded = this.recordChangeTx(input, jobsFor);
    if (recorded.kind === 'recorded' && recorded.jobs > 0) this.outbox.jobsQueued();
    return recorded;
  }

  async getChange(changeId: number): Promise<CertificationChange | undefined> {
    const row = this.selectChange.get(changeId);
    return row && toChange(row);
  }
}
