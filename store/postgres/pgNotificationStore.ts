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
import { isUniqueViolation, pgText, placeholders, type PgDatabase, type Queryable } from './database';
import { queueJobs } from './pgOutboxJobs';

type JobsFor = (
  stored: CertificationChange,
  subscriptions: readonly Subscription[],
  watchers: readonly NewOfferWatcher[],
) => readonly OutboxJob[];

/** Subscriptions and certification changes in the shared store. */
export class PgNotificationStore implements NotificationStore {
  /** `outbox` is told after each commit that queued jobs. */
  constructor(
    private readonly db: PgDatabase,
    private readonly outbox: OutboxSignal,
  ) {}

  async subscribe(subscription: Subscription): Promise<boolean> {
    const values = subscriptionValues(subscription);
    const { rowCount } = await this.db.query(
      `INSERT INTO subscriptions (${SUBSCRIPTION_COLUMNS}) VALUES (${placeholders(values.length)}) ON CONFLICT DO NOTHING`,
      values,
    );
    return rowCount === 1;
  }

  async unsubscribe(conversationKey: string, partnerAccountId: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'DELETE FROM subscriptions WHERE conversation_key = $1 AND partner_account_id = $2',
      [conversationKey, partnerAccountId],
    );
    return rowCount === 1;
  }

  async subscription(conversationKey: string, partnerAccountId: string): Promise<Subscription | undefined> {
    const { rows } = await this.db.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE conversation_key = $1 AND partner_account_id = $2`,
      [conversationKey, partnerAccountId],
    );
    return rows[0] && toSubscription(rows[0]);
  }

  async subscriptionsOf(conversationKey: string): Promise<readonly Subscription[]> {
    const { rows } = await this.db.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE conversation_key = $1 ORDER BY subscribed_at`,
      [conversationKey],
    );
    return rows.map(toSubscription);
  }

  async forgetConversation(conversationKey: string): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM subscriptions WHERE conversation_key = $1', [conversationKey]);
    return rowCount ?? 0;
  }

  async forgetTeam(teamId: string): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM subscriptions WHERE team_id = $1', [teamId]);
    return rowCount ?? 0;
  }

  async recordChange(input: NewCertificationChange, jobsFor: JobsFor): Promise<RecordChangeOutcome> {
    let recorded: RecordChangeOutcome;
    try {
      recorded = await this.db.transaction((client) => this.record(client, input, jobsFor));
    } catch (error: unknown) {
      // Two instances took the same key at once and the other committed first: it is that change now.
      if (!input.idempotencyKey || !isUniqueViolation(error)) throw error;
      recorded = await this.db.transaction((client) => this.record(client, input, jobsFor));
    }
    if (recorded.kind === 'recorded' && recorded.jobs > 0) this.outbox.jobsQueued();
    return recorded;
  }

  async getChange(changeId: number): Promise<CertificationChange | undefined> {
    const { rows } = await this.db.query<ChangeRow>(`SELECT ${CHANGE_COLUMNS} FROM certification_changes WHERE id = $1`, [
      changeId,
    ]);
    return rows[0] && toChange(rows[0]);
  }

  private async record(client: Queryable, input: NewCertificationChange, jobsFor: JobsFor): Promise<RecordChangeOutcome> {
    if (input.idempotencyKey) {
      const { rows } = await client.query<KeyedChangeRow>(
        `SELECT ${CHANGE_COLUMNS}, idempotency_digest FROM certification_changes WHERE idempotency_key = $1`,
        [input.idempotencyKey],
      );
      const earlier = rows[0];
      if (earlier) return { kind: sameChange(earlier, input) ? 'repeated' : 'conflict', change: toChange(earlier), jobs: 0 };
    }
    const latest = (await client.query<ChangeRow>(pgText(LATEST_CHANGE_OF_OFFER), [input.offerId])).rows[0];
    const state = await client.query<{ publishing_state: string }>(pgText(OFFER_STATE), [input.offerId]);
    const standing = standingOf(latest, state.rows[0]?.publishing_state, input);
    if (standing === 'restates' && latest) return { kind: 'unchanged', change: toChange(latest), jobs: 0 };
    const values = changeValues(input);
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO certification_changes (${CHANGE_INSERT_COLUMNS}) VALUES (${placeholders(values.length)}) RETURNING id`,
      values,
    );
    const id = inserted.rows[0]?.id;
    if (id === undefined) throw new Error('INSERT INTO certification_changes returned no id');
    await client.query('UPDATE offers SET publishing_state = $1, listing_url = coalesce(listing_url, $2) WHERE id = $3', [
      input.status,
      input.listingUrl ?? null,
      input.offerId,
    ]);
    const change = storedChange(id, input);
    if (standing === 'quiet') return { kind: 'unchanged', change, jobs: 0 };
    const subscriptions = await client.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE partner_account_id = $1 ORDER BY subscribed_at, conversation_key COLLATE "C"`,
      [input.partnerAccountId],
    );
    const watchers =
      input.status === 'live'
        ? await client.query<WatcherRow>(
            `${WATCHER_SELECT}
             WHERE s.partner_account_id = $1 AND s.status = 'awaitingNewOffer'
             ORDER BY w.user_id COLLATE "C", w.solution_id COLLATE "C"`,
            [input.partnerAccountId],
          )
        : undefined;
    const jobs = await queueJobs(
      client,
      jobsFor(change, subscriptions.rows.map(toSubscription), groupWatchers(watchers?.rows ?? [])),
      input.receivedAt,
    );
    return { kind: 'recorded', change, jobs };
  }
}
