import {
  CO_SELL_STATUSES,
  MIGRATION_EVENTS,
  MIGRATION_STATUSES,
  OFFER_TYPES,
  SUPPORT_REQUEST_STATES,
  type AuditEntry,
  type AwaitedOffer,
  type MigrationStatus,
  type Solution,
  type SolutionSummary,
  type SupportRequest,
} from '../../domain/model';
import type { StatusChange } from '../../domain/ports/migration';
import { zeroCounts } from '../../domain/status';
import { oneOf } from './columns';

/** Solutions, their audit trail and support requests as their tables hold them, in either store. */

export interface SummaryRow {
  id: string;
  partner_id: string;
  name: string;
  status: string;
  request_id: string | null;
  request_state: string | null;
  request_due_at: number | null;
}

/** The offer a solution waits for, as solutions and audit entries keep it. */
export interface AwaitedOfferColumns {
  awaited_offer_id: string | null;
  awaited_offer_name: string | null;
}

export interface SolutionRow extends SummaryRow, AwaitedOfferColumns {
  partner_account_id: string;
  co_sell_status: string;
  open_referrals: number;
  collateral_documents: number;
  status_changed_at: number;
  version: number;
}

export interface AuditRow extends AwaitedOfferColumns {
  solution_id: string;
  actor_user_id: string;
  actor_name: string;
  at: number;
  event: string;
  from_status: string;
  to_status: string;
}

export interface RequestRow {
  id: string;
  partner_account_id: string;
  solution_id: string;
  offer_type: string;
  offer_name: string;
  ocp_solution_id: string;
  listing_url: string;
  offer_id: string | null;
  requested_by_user_id: string;
  requested_by_name: string;
  requested_at: number;
  due_at: number;
  state: string;
  info_needed: string | null;
  completed_at: number | null;
  requester_address: string | null;
}

/** A solution with the request still in progress for it, if there is one. */
export const SOLUTION_SELECT = `SELECT s.id, s.partner_account_id, s.partner_id, s.name, s.co_sell_status, s.open_referrals,
    s.collateral_documents, s.status, s.status_changed_at, s.version, s.awaited_offer_id, s.awaited_offer_name,
    r.id AS request_id, r.state AS request_state, r.due_at AS request_due_at
  FROM solutions s LEFT JOIN support_requests r ON r.solution_id = s.id AND r.state <> 'completed'`;

export const AUDIT_COLUMNS =
  'solution_id, actor_user_id, actor_name, at, event, from_status, to_status, awaited_offer_id, awaited_offer_name';

/** The columns an audit entry is added with, in the order `auditValues` gives them. */
export const AUDIT_INSERT_COLUMNS = `partner_account_id, solution_id, actor_user_id, actor_name, at, event, from_status, to_status,
  awaited_offer_id, awaited_offer_name`;

export function auditValues(change: StatusChange): (string | number | null)[] {
  return [
    change.partnerAccountId,
    change.solutionId,
    change.actorUserId,
    change.actorName,
    change.at.getTime(),
    change.event,
    change.from,
    change.to,
    ...awaitedOfferValues(change.awaitedOffer),
  ];
}

/** The awaited offer's id and name, null for none. */
export function awaitedOfferValues(awaited: AwaitedOffer | undefined): [string | null, string | null] {
  return [awaited?.offerId ?? null, awaited?.name ?? null];
}

export function toAwaitedOffer(row: AwaitedOfferColumns): AwaitedOffer | undefined {
  if (row.awaited_offer_name === null) return undefined;
  return { ...(row.awaited_offer_id !== null && { offerId: row.awaited_offer_id }), name: row.awaited_offer_name };
}

export const REQUEST_COLUMNS = `id, partner_account_id, solution_id, offer_type, offer_name, ocp_solution_id, listing_url, offer_id,
  requested_by_user_id, requested_by_name, requested_at, due_at, state, info_needed, completed_at, requester_address`;

/** The columns a support request is added with, in the order `requestValues` gives them. */
export const REQUEST_INSERT_COLUMNS = `id, partner_account_id, solution_id, offer_type, offer_name, ocp_solution_id, listing_url,
  offer_id, requested_by_user_id, requested_by_name, requested_at, due_at, state, requester_address`;

export function requestValues(request: SupportRequest): (string | number | null)[] {
  return [
    request.id,
    request.partnerAccountId,
    request.solutionId,
    request.offerType,
    request.offerName,
    request.ocpSolutionId,
    request.listingUrl,
    request.offerId ?? null,
    request.requestedBy.userId,
    request.requestedBy.name,
    request.requestedAt.getTime(),
    request.dueAt.getTime(),
    request.state,
    request.requesterAddress ?? null,
  ];
}

export function toSolution(row: SolutionRow): Solution {
  return {
    ...toSummary(row),
    partnerAccountId: row.partner_account_id,
    coSellStatus: oneOf(CO_SELL_STATUSES, row.co_sell_status, 'solutions.co_sell_status'),
    carriedOver: { openReferrals: row.open_referrals, collateralDocuments: row.collateral_documents },
    statusChangedAt: new Date(row.status_changed_at),
    version: row.version,
    ...awaitedOfferOf(row),
  };
}

function awaitedOfferOf(row: AwaitedOfferColumns): { awaitedOffer?: AwaitedOffer } {
  const awaitedOffer = toAwaitedOffer(row);
  return awaitedOffer ? { awaitedOffer } : {};
}

export function toSummary(row: SummaryRow): SolutionSummary {
  return {
    id: row.id,
    partnerId: row.partner_id,
    name: row.name,
    status: oneOf(MIGRATION_STATUSES, row.status, 'solutions.status'),
    ...(row.request_id !== null &&
      row.request_state !== null &&
      row.request_due_at !== null && {
        mergeRequest: {
          id: row.request_id,
          state: oneOf(SUPPORT_REQUEST_STATES, row.request_state, 'support_requests.state'),
          dueAt: new Date(row.request_due_at),
        },
      }),
  };
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    solutionId: row.solution_id,
    actorUserId: row.actor_user_id,
    actorName: row.actor_name,
    at: new Date(row.at),
    event: oneOf(MIGRATION_EVENTS, row.event, 'audit_entries.event'),
    from: oneOf(MIGRATION_STATUSES, row.from_status, 'audit_entries.from_status'),
    to: oneOf(MIGRATION_STATUSES, row.to_status, 'audit_entries.to_status'),
    ...awaitedOfferOf(row),
  };
}

export function toSupportRequest(row: RequestRow): SupportRequest {
  return {
    id: row.id,
    partnerAccountId: row.partner_account_id,
    solutionId: row.solution_id,
    offerType: oneOf(OFFER_TYPES, row.offer_type, 'support_requests.offer_type'),
    offerName: row.offer_name,
    ocpSolutionId: row.ocp_solution_id,
    listingUrl: row.listing_url,
    ...(row.offer_id !== null && { offerId: row.offer_id }),
    requestedBy: { userId: row.requested_by_user_id, name: row.requested_by_name },
    requestedAt: new Date(row.requested_at),
    dueAt: new Date(row.due_at),
    state: oneOf(SUPPORT_REQUEST_STATES, row.state, 'support_requests.state'),
    ...(row.info_needed !== null && { infoNeeded: row.info_needed }),
    ...(row.completed_at !== null && { completedAt: new Date(row.completed_at) }),
    ...(row.requester_address !== null && { requesterAddress: row.requester_address }),
  };
}

/** A partner's counts by status from `solution_status_counts` rows; statuses without a row count 0. */
export function toStatusCounts(rows: Iterable<{ readonly status: string; readonly n: number }>): Record<MigrationStatus, number> {
  const counts = zeroCounts();
  for (const row of rows) counts[oneOf(MIGRATION_STATUSES, row.status, 'solution_status_counts.status')] = row.n;
  return counts;
}

/**
 * The partner's solutions whose name contains any of `count` fragments, by name, for both stores:
 * one `lower(name) LIKE ?` per fragment, with `likePattern`'s escapes.
 */
export function namedLikeSql(count: number): string {
  const likes = Array.from({ length: count }, () => "lower(name) LIKE ? ESCAPE '\\'").join(' OR ');
  return `SELECT id, name FROM solutions WHERE partner_account_id = ? AND (${likes}) ORDER BY name, id LIMIT ?`;
}

/** `%fragment%`, lower case, with LIKE's own characters taken literally. */
export function likePattern(fragment: string): string {
  return `%${fragment.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
