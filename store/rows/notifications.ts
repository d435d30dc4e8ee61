import { CERTIFICATION_STATUSES, CHANGE_SOURCES, type CertificationChange, type Subscription } from '../../domain/model';
import type { NewCertificationChange, NewOfferWatcher, WaitingSolution } from '../../domain/ports/notifications';
import { oneOf } from './columns';
import { toAwaitedOffer, type AwaitedOfferColumns } from './migration';

/** Subscriptions, certification changes and new-offer watchers as their tables hold them, in either store. */

export interface SubscriptionRow {
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

export interface ChangeRow {
  id: number;
  partner_account_id: string;
  offer_id: string;
  status: string;
  detail: string | null;
  report_url: string | null;
  source: string;
  received_at: number;
}

export interface KeyedChangeRow extends ChangeRow {
  idempotency_digest: string | null;
}

export interface WatcherRow extends AwaitedOfferColumns {
  solution_id: string;
  user_id: string;
  address: string;
  conversation_key: string;
  locale: string;
  tenant_id: string | null;
}

/** Who waits for a new offer for which solution, with the offer each solution waits for. */
export const WATCHER_SELECT = `SELECT w.solution_id, w.user_id, w.address, w.conversation_key, w.locale, w.tenant_id,
    s.awaited_offer_id, s.awaited_offer_name
  FROM new_offer_watchers w JOIN solutions s ON s.id = w.solution_id`;

export const SUBSCRIPTION_COLUMNS = `conversation_key, partner_account_id, address, locale, tenant_id, team_id,
  subscribed_by_user_id, subscribed_by_name, subscribed_at`;
export const CHANGE_COLUMNS = 'id, partner_account_id, offer_id, status, detail, report_url, source, received_at';

/** The offer's newest change and its publishing state: what a new change is compared with. */
export const LATEST_CHANGE_OF_OFFER = `SELECT ${CHANGE_COLUMNS} FROM certification_changes WHERE offer_id = ? ORDER BY id DESC LIMIT 1`;
export const OFFER_STATE = 'SELECT publishing_state FROM offers WHERE id = ?';

/**
 * What a change is beside where the offer stands: `new` is announced; `restates` says what the
 * newest change says, and is not recorded; `quiet` is the first change of an offer whose imported
 * state it repeats, recorded so that a repeat of it restates it, and not announced.
 */
export function standingOf(
  latest: ChangeRow | undefined,
  publishingState: string | undefined,
  given: NewCertificationChange,
): 'new' | 'restates' | 'quiet' {
  const sameReport = (detail: string | null, reportUrl: string | null): boolean =>
    (detail ?? undefined) === (given.detail || undefined) && (reportUrl ?? undefined) === (given.reportUrl || undefined);
  if (latest) return latest.status === given.status && sameReport(latest.detail, latest.report_url) ? 'restates' : 'new';
  return publishingState === given.status && sameReport(null, null) ? 'quiet' : 'new';
}

/** The columns of a subscription, in the order `subscriptionValues` gives them. */
export function subscriptionValues(subscription: Subscription): (string | number | null)[] {
  return [
    subscription.conversationKey,
    subscription.partnerAccountId,
    subscription.address,
    subscription.locale,
    subscription.tenantId ?? null,
    subscription.teamId ?? null,
    subscription.subscribedBy.userId,
    subscription.subscribedBy.name,
    subscription.subscribedAt.getTime(),
  ];
}

/** The columns a change is added with, in the order `changeValues` gives them. */
export const CHANGE_INSERT_COLUMNS =
  'partner_account_id, offer_id, status, detail, report_url, source, idempotency_key, idempotency_digest, received_at';

export function changeValues(input: NewCertificationChange): (string | number | null)[] {
  return [
    input.partnerAccountId,
    input.offerId,
    input.status,
    input.detail ?? null,
    input.reportUrl ?? null,
    input.source,
    input.idempotencyKey ?? null,
    input.idempotencyDigest ?? null,
    input.receivedAt.getTime(),
  ];
}

/** The change as stored under `id`. */
export function storedChange(id: number, input: NewCertificationChange): CertificationChange {
  return {
    id,
    partnerAccountId: input.partnerAccountId,
    offerId: input.offerId,
    status: input.status,
    ...(input.detail && { detail: input.detail }),
    ...(input.reportUrl && { reportUrl: input.reportUrl }),
    source: input.source,
    receivedAt: input.receivedAt,
  };
}

/**
 * Whether a change given again under a stored key is the one stored: by digest, or, for a key stored
 * before digests were kept, by what the change says.
 */
export function sameChange(stored: KeyedChangeRow, given: NewCertificationChange): boolean {
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
export function groupWatchers(rows: readonly WatcherRow[]): NewOfferWatcher[] {
  const byPlace = new Map<string, { watcher: Omit<NewOfferWatcher, 'solutions'>; solutions: WaitingSolution[] }>();
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
      solutions: [],
    };
    const awaitedOffer = toAwaitedOffer(row);
    entry.solutions.push({ id: row.solution_id, ...(awaitedOffer && { awaitedOffer }) });
    byPlace.set(key, entry);
  }
  return [...byPlace.values()].map(({ watcher, solutions }) => ({ ...watcher, solutions }));
}

export function toSubscription(row: SubscriptionRow): Subscription {
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

export function toChange(row: ChangeRow): CertificationChange {
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
