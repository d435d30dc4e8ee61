import { CERTIFICATION_STATUSES, CHANGE_SOURCES, type CertificationChange, type Subscription } from '../../domain/model';
import type {
  NewCertificationChange,
  NewOfferWatcher,
  NotificationStore,
  RecordChangeOutcome,
} from '../../domain/ports/notifications';
import type { OutboxJob, OutboxSignal } from '../../domain/ports/outbox';
import { oneOf } from './columns';
import type { SqliteDatabase } from './database';
import { prepareJobInsert, queueJobs } from './outboxJobs';

interface SubscriptionRow {
  conversation_key: string;
  partner_account_id: string;
  address: string;
  locale: string;
  tenant_id: string | null;
  team_id: string | null;
  subscribed_by_user_id: string;
  subscribed_by_name: string;
  subscribed_at: number;
}

interface ChangeRow {
  id: number;
  partner_account_id: string;
  offer_id: string;
  status: string;
  detail: string | null;
  report_url: string | null;
  source: string;
  received_at: number;
}

interface KeyedChangeRow extends ChangeRow {
  idempotency_digest: string | null;
}

interface WatcherRow {
  solution_id: string;
  user_id: string;
  address: string;
  conversation_key: string;
  locale: string;
  tenant_id: string | null;
}

const SUBSCRIPTION_COLUMNS = `conversation_key, partner_account_id, address, locale, tenant_id, team_id,
  subscribed_by_user_id, subscribed_by_name, subscribed_at`;
const CHANGE_COLUMNS = 'id, partner_account_id, offer_id, status, detail, report_url, source, received_at';

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
  private readonly insertJob;
  private readonly recordChangeTx;
  /** `outbox` is told after each commit that queued jobs. */
  constructor(
    db: SqliteDatabase,
    private readonly outbox: OutboxSignal,
  ) {
    this.insertSubscription = db.prepare(
      `INSERT INTO subscriptions (${SUBSCRIPTION_COLUMNS})
       VALUES (@conversationKey, @partnerAccountId, @address, @locale, @tenantId, @teamId, @userId, @name, @at)
       ON CONFLICT DO NOTHING`,
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
    this.insertChange = db.prepare<
      [string, string, string, string | null, string | null, string, string | null, string | null, number]
    >(
      `INSERT INTO certification_changes
         (partner_account_id, offer_id, status, detail, report_url, source, idempotency_key, idempotency_digest, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectChange = db.prepare<[number], ChangeRow>(`SELECT ${CHANGE_COLUMNS} FROM certification_changes WHERE id = ?`);
    this.selectChangeByKey = db.prepare<[string], KeyedChangeRow>(
      `SELECT ${CHANGE_COLUMNS}, idempotency_digest FROM certification_changes WHERE idempotency_key = ?`,
    );
    this.updateOffer = db.prepare<[string, string | null, string]>(
      'UPDATE offers SET publishing_state = ?, listing_url = coalesce(listing_url, ?) WHERE id = ?',
    );
    this.selectWatchers = db.prepare<[string], WatcherRow>(
      `SELECT w.solution_id, w.user_id, w.address, w.conversation_key, w.locale, w.tenant_id
       FROM new_offer_watchers w JOIN solutions s ON s.id = w.solution_id
       WHERE s.partner_account_id = ? AND s.status = 'awaitingNewOffer'
       ORDER BY w.user_id, w.solution_id`,
    );
    this.insertJob = prepareJobInsert(db);

    this.recordChangeTx = db.transaction((input: NewCertificationChange, jobsFor: JobsFor): RecordChangeOutcome => {
      const earlier = input.idempotencyKey ? this.selectChangeByKey.get(input.idempotencyKey) : undefined;
      if (earlier) {
        return { kind: sameChange(earlier, input) ? 'repeated' : 'conflict', change: toChange(earlier), jobs: 0 };
      }
      const { lastInsertRowid } = this.insertChange.run(
        input.partnerAccountId,
        input.offerId,
        input.status,
        input.detail ?? null,
        input.reportUrl ?? null,
        input.source,
        input.idempotencyKey ?? null,
        input.idempotencyDigest ?? null,
        input.receivedAt.getTime(),
      );
      this.updateOffer.run(input.status, input.listingUrl ?? null, input.offerId);
      const change: CertificationChange = {
        id: Number(lastInsertRowid),
        partnerAccountId: input.partnerAccountId,
        offerId: input.offerId,
        status: input.status,
        ...(input.detail && { detail: input.detail }),
        ...(input.reportUrl && { reportUrl: input.reportUrl }),
        source: input.source,
        receivedAt: input.receivedAt,
      };
      const subscriptions = this.selectPartnerSubscriptions.all(input.partnerAccountId).map(toSubscription);
      const watchers = input.status === 'live' ? groupWatchers(this.selectWatchers.all(input.partnerAccountId)) : [];
      const jobs = queueJobs(this.insertJob, jobsFor(change, subscriptions, watchers), input.receivedAt);
      return { kind: 'recorded', change, jobs };
    });
  }

  async subscribe(subscription: Subscription): Promise<boolean> {
    const { changes } = this.insertSubscription.run({
      conversationKey: subscription.conversationKey,
      partnerAccountId: subscription.partnerAccountId,
      address: subscription.address,
      locale: subscription.locale,
      tenantId: subscription.tenantId ?? null,
      teamId: subscription.teamId ?? null,
      userId: subscription.subscribedBy.userId,
      name: subscription.subscribedBy.name,
      at: subscription.subscribedAt.getTime(),
    });
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

/**
 * Whether a change given again under a stored key is the one stored: by digest, or, for a key stored
 * before digests were kept, by what the change says.
 */
function sameChange(stored: KeyedChangeRow, given: NewCertificationChange): boolean {
  if (stored.idempotency_digest !== null && given.idempotencyDigest !== undefined) {
    return stored.idempotency_digest === given.idempotencyDigest;
  }
  return (
    stored.offer_id === given.offerId &&
    stored.status === given.status &&
    (stored.detail ?? undefined) === (given.detail || undefined) &&
    (stored.report_url ?? undefined) === (given.reportUrl || undefined)
  );
}

/** One watcher per user and place, with every solution they wait with. */
function groupWatchers(rows: readonly WatcherRow[]): NewOfferWatcher[] {
  const byPlace = new Map<string, { watcher: Omit<NewOfferWatcher, 'solutionIds'>; solutionIds: string[] }>();
  for (const row of rows) {
    const key = `${row.user_id}\n${row.conversation_key}`;
    const entry = byPlace.get(key) ?? {
      watcher: {
        userId: row.user_id,
        address: row.address,
        conversationKey: row.conversation_key,
        locale: row.locale,
        ...(row.tenant_id !== null && { tenantId: row.tenant_id }),
      },
      solutionIds: [],
    };
    entry.solutionIds.push(row.solution_id);
    byPlace.set(key, entry);
  }
  return [...byPlace.values()].map(({ watcher, solutionIds }) => ({ ...watcher, solutionIds }));
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    conversationKey: row.conversation_key,
    partnerAccountId: row.partner_account_id,
    address: row.address,
    locale: row.locale,
    ...(row.tenant_id !== null && { tenantId: row.tenant_id }),
    ...(row.team_id !== null && { teamId: row.team_id }),
    subscribedBy: { userId: row.subscribed_by_user_id, name: row.subscribed_by_name },
    subscribedAt: new Date(row.subscribed_at),
  };
}

function toChange(row: ChangeRow): CertificationChange {
  return {
    id: row.id,
    partnerAccountId: row.partner_account_id,
    offerId: row.offer_id,
    status: oneOf(CERTIFICATION_STATUSES, row.status, 'certification_changes.status'),
    ...(row.detail !== null && { detail: row.detail }),
    ...(row.report_url !== null && { reportUrl: row.report_url }),
    source: oneOf(CHANGE_SOURCES, row.source, 'certification_changes.source'),
    receivedAt: new Date(row.received_at),
  };
}
