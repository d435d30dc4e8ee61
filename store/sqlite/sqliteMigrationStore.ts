import {
  CO_SELL_STATUSES,
  MIGRATION_EVENTS,
  MIGRATION_STATUSES,
  OFFER_TYPES,
  SUPPORT_REQUEST_STATES,
  type AuditEntry,
  type MigrationStatus,
  type Solution,
  type SolutionSummary,
  type SupportRequest,
} from '../../domain/model';
import type {
  InfoRequest,
  MergeCompletion,
  MigrationStore,
  NewMergeRequest,
  SolutionSlice,
  StatusChange,
} from '../../domain/ports/migration';
import type { NewOfferWatcher } from '../../domain/ports/notifications';
import type { OutboxJob, OutboxSignal } from '../../domain/ports/outbox';
import { zeroCounts } from '../../domain/status';
import { oneOf } from './columns';
import type { SqliteDatabase } from './database';
import { prepareJobInsert, queueJobs } from './outboxJobs';

interface SummaryRow {
  id: string;
  partner_id: string;
  name: string;
  status: string;
  request_id: string | null;
  request_state: string | null;
  request_due_at: number | null;
}

interface SolutionRow extends SummaryRow {
  partner_account_id: string;
  co_sell_status: string;
  open_referrals: number;
  collateral_documents: number;
  status_changed_at: number;
  version: number;
}

interface AuditRow {
  solution_id: string;
  actor_user_id: string;
  actor_name: string;
  at: number;
  event: string;
  from_status: string;
  to_status: string;
}

interface RequestRow {
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
const SOLUTION_SELECT = `SELECT s.id, s.partner_account_id, s.partner_id, s.name, s.co_sell_status, s.open_referrals,
    s.collateral_documents, s.status, s.status_changed_at, s.version,
    r.id AS request_id, r.state AS request_state, r.due_at AS request_due_at
  FROM solutions s LEFT JOIN support_requests r ON r.solution_id = s.id AND r.state <> 'completed'`;

const REQUEST_COLUMNS = `id, partner_account_id, solution_id, offer_type, offer_name, ocp_solution_id, listing_url, offer_id,
  requested_by_user_id, requested_by_name, requested_at, due_at, state, info_needed, completed_at, requester_address`;

export class SqliteMigrationStore implements MigrationStore {
  private readonly selectSolution;
  private readonly selectPage;
  private readonly selectCounts;
  private readonly updateStatus;
  private readonly insertAudit;
  private readonly selectLatestAudit;
  private readonly insertRequest;
  private readonly selectRequest;
  private readonly selectOpenRequest;
  private readonly completeRequest;
  private readonly recordInfoRequest;
  private readonly insertJob;
  private readonly upsertWatcher;
  private readonly awaitNewOfferTx;
  private readonly listSolutionsTx;
  private readonly applyChangeTx;
  private readonly createMergeRequestTx;
  private readonly completeMergeTx;
  private readonly requestInfoTx;

  /** `outbox` is told after each commit that queued jobs. */
  constructor(
    db: SqliteDatabase,
    private readonly outbox: OutboxSignal,
  ) {
    this.selectSolution = db.prepare<[string, string], SolutionRow>(
      `${SOLUTION_SELECT} WHERE s.partner_account_id = ? AND s.id = ?`,
    );
    // Only what a list row shows: reading each column costs, and a list turn reads a page of rows.
    this.selectPage = db.prepare<[string, number, number], SummaryRow>(
      `SELECT s.id, s.partner_id, s.name, s.status, r.id AS request_id, r.state AS request_state, r.due_at AS request_due_at
       FROM solutions s LEFT JOIN support_requests r ON r.solution_id = s.id AND r.state <> 'completed'
       WHERE s.partner_account_id = ? ORDER BY s.list_rank, s.name, s.id LIMIT ? OFFSET ?`,
    );
    this.selectCounts = db.prepare<[string], { status: string; n: number }>(
      'SELECT status, n FROM solution_status_counts WHERE partner_account_id = ?',
    );
    this.updateStatus = db.prepare<[string, number, string, string, number]>(
      `UPDATE solutions SET status = ?, status_changed_at = ?, version = version + 1
       WHERE partner_account_id = ? AND id = ? AND version = ?`,
    );
    this.insertAudit = db.prepare<[string, string, string, string, number, string, string, string]>(
      `INSERT INTO audit_entries (partner_account_id, solution_id, actor_user_id, actor_name, at, event, from_status, to_status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectLatestAudit = db.prepare<[string, string], AuditRow>(
      `SELECT solution_id, actor_user_id, actor_name, at, event, from_status, to_status FROM audit_entries
       WHERE solution_id = ? AND partner_account_id = ? ORDER BY id DESC LIMIT 1`,
    );
    this.insertRequest = db.prepare(
      `INSERT INTO support_requests (id, partner_account_id, solution_id, offer_type, offer_name, ocp_solution_id, listing_url,
         offer_id, requested_by_user_id, requested_by_name, requested_at, due_at, state, requester_address)
       VALUES (@id, @partnerAccountId, @solutionId, @offerType, @offerName, @ocpSolutionId, @listingUrl,
         @offerId, @requestedByUserId, @requestedByName, @requestedAt, @dueAt, @state, @requesterAddress)
       ON CONFLICT DO NOTHING`,
    );
    this.selectRequest = db.prepare<[string], RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM support_requests WHERE id = ?`);
    this.selectOpenRequest = db.prepare<[string, string], RequestRow>(
      `SELECT ${REQUEST_COLUMNS} FROM support_requests WHERE partner_account_id = ? AND solution_id = ? AND state <> 'completed'`,
    );
    this.completeRequest = db.prepare<[number, string, string]>(
      `UPDATE support_requests SET state = 'completed', completed_at = ?, completed_by = ? WHERE id = ? AND state <> 'completed'`,
    );
    this.recordInfoRequest = db.prepare<[string, number, string, string]>(
      `UPDATE support_requests SET state = 'infoRequested', info_needed = ?, info_requested_at = ?, info_requested_by = ?
       WHERE id = ? AND state <> 'completed'`,
    );
    this.insertJob = prepareJobInsert(db);
    this.upsertWatcher = db.prepare<[string, string, string, string, string, string | null, number]>(
      `INSERT INTO new_offer_watchers (solution_id, user_id, address, conversation_key, locale, tenant_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (solution_id) DO UPDATE SET user_id = excluded.user_id, address = excluded.address,
         conversation_key = excluded.conversation_key, locale = excluded.locale, tenant_id = excluded.tenant_id,
         created_at = excluded.created_at`,
    );

    // One snapshot for the page and the counts beside it.
    this.listSolutionsTx = db.transaction((partnerAccountId: string, offset: number, limit: number): SolutionSlice => ({
      items: this.selectPage.all(partnerAccountId, limit, offset).map(toSummary),
      counts: this.counts(partnerAccountId),
    }));
    this.applyChangeTx = db.transaction((change: StatusChange): boolean => this.applyChange(change));
    this.createMergeRequestTx = db.transaction(({ request, change, jobs }: NewMergeRequest): boolean => {
      if (!this.applyChange(change)) return false;
      const inserted = this.insertRequest.run({
        id: request.id,
        partnerAccountId: request.partnerAccountId,
        solutionId: request.solutionId,
        offerType: request.offerType,
        offerName: request.offerName,
        ocpSolutionId: request.ocpSolutionId,
        listingUrl: request.listingUrl,
        offerId: request.offerId ?? null,
        requestedByUserId: request.requestedBy.userId,
        requestedByName: request.requestedBy.name,
        requestedAt: request.requestedAt.getTime(),
        dueAt: request.dueAt.getTime(),
        state: request.state,
        requesterAddress: request.requesterAddress ?? null,
      });
      // Another request is already in progress for the solution: undo the status change with it.
      if (inserted.changes !== 1) throw new OpenRequestExists();
      this.queue(jobs, change.at);
      return true;
    });
    this.completeMergeTx = db.transaction(({ requestId, change, agent, jobs }: MergeCompletion): boolean => {
      if (this.completeRequest.run(change.at.getTime(), agent.userId, requestId).changes !== 1) return false;
      if (!this.applyChange(change)) throw new SolutionMovedOn();
      this.queue(jobs, change.at);
      return true;
    });
    this.awaitNewOfferTx = db.transaction((change: StatusChange, watcher: Omit<NewOfferWatcher, 'solutionIds'>): boolean => {
      if (!this.applyChange(change)) return false;
      this.upsertWatcher.run(
        change.solutionId,
        watcher.userId,
        watcher.address,
        watcher.conversationKey,
        watcher.locale,
        watcher.tenantId ?? null,
        change.at.getTime(),
      );
      return true;
    });
    this.requestInfoTx = db.transaction(({ requestId, infoNeeded, at, agent, jobs }: InfoRequest): boolean => {
      if (this.recordInfoRequest.run(infoNeeded, at.getTime(), agent.userId, requestId).changes !== 1) return false;
      this.queue(jobs, at);
      return true;
    });
  }

  async getSolution(partnerAccountId: string, solutionId: string): Promise<Solution | undefined> {
    const row = this.selectSolution.get(partnerAccountId, solutionId);
    return row && toSolution(row);
  }

  async listSolutions(partnerAccountId: string, offset: number, limit: number): Promise<SolutionSlice> {
    return this.listSolutionsTx(partnerAccountId, offset, limit);
  }

  async countByStatus(partnerAccountId: string): Promise<Readonly<Record<MigrationStatus, number>>> {
    return this.counts(partnerAccountId);
  }

  async applyStatusChange(change: StatusChange): Promise<boolean> {
    return this.applyChangeTx(change);
  }

  async latestAuditEntry(partnerAccountId: string, solutionId: string): Promise<AuditEntry | undefined> {
    const row = this.selectLatestAudit.get(solutionId, partnerAccountId);
    return row && toAuditEntry(row);
  }

  async createMergeRequest(input: NewMergeRequest): Promise<boolean> {
    return this.committed(input.jobs, () => this.createMergeRequestTx(input));
  }

  async getSupportRequest(requestId: string): Promise<SupportRequest | undefined> {
    const row = this.selectRequest.get(requestId);
    return row && toSupportRequest(row);
  }

  async openSupportRequest(partnerAccountId: string, solutionId: string): Promise<SupportRequest | undefined> {
    const row = this.selectOpenRequest.get(partnerAccountId, solutionId);
    return row && toSupportRequest(row);
  }

  async completeMerge(input: MergeCompletion): Promise<boolean> {
    return this.committed(input.jobs, () => this.completeMergeTx(input));
  }

  async awaitNewOffer(change: StatusChange, watcher: Omit<NewOfferWatcher, 'solutionIds'>): Promise<boolean> {
    return this.awaitNewOfferTx(change, watcher);
  }

  async requestInfo(input: InfoRequest): Promise<boolean> {
    return this.committed(input.jobs, () => this.requestInfoTx(input));
  }

  /** Runs a write transaction; a lost race is `false`, and queued jobs wake the sender once committed. */
  private committed(jobs: readonly OutboxJob[], write: () => boolean): boolean {
    let written: boolean;
    try {
      written = write();
    } catch (error: unknown) {
      if (error instanceof OpenRequestExists || error instanceof SolutionMovedOn) return false;
      throw error;
    }
    if (written && jobs.length > 0) this.outbox.jobsQueued();
    return written;
  }

  private applyChange(change: StatusChange): boolean {
    const at = change.at.getTime();
    const updated = this.updateStatus.run(change.to, at, change.partnerAccountId, change.solutionId, change.expectedVersion);
    if (updated.changes !== 1) return false;
    this.insertAudit.run(
      change.partnerAccountId,
      change.solutionId,
      change.actorUserId,
      change.actorName,
      at,
      change.event,
      change.from,
      change.to,
    );
    return true;
  }

  private queue(jobs: readonly OutboxJob[], at: Date): void {
    queueJobs(this.insertJob, jobs, at);
  }

  private counts(partnerAccountId: string): Record<MigrationStatus, number> {
    const counts = zeroCounts();
    for (const row of this.selectCounts.all(partnerAccountId)) {
      counts[oneOf(MIGRATION_STATUSES, row.status, 'solution_status_counts.status')] = row.n;
    }
    return counts;
  }
}

/** Thrown inside a transaction to roll it back; the caller sees `false`. */
class OpenRequestExists extends Error {}
class SolutionMovedOn extends Error {}

function toSolution(row: SolutionRow): Solution {
  return {
    ...toSummary(row),
    partnerAccountId: row.partner_account_id,
    coSellStatus: oneOf(CO_SELL_STATUSES, row.co_sell_status, 'solutions.co_sell_status'),
    carriedOver: { openReferrals: row.open_referrals, collateralDocuments: row.collateral_documents },
    statusChangedAt: new Date(row.status_changed_at),
    version: row.version,
  };
}

function toSummary(row: SummaryRow): SolutionSummary {
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

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    solutionId: row.solution_id,
    actorUserId: row.actor_user_id,
    actorName: row.actor_name,
    at: new Date(row.at),
    event: oneOf(MIGRATION_EVENTS, row.event, 'audit_entries.event'),
    from: oneOf(MIGRATION_STATUSES, row.from_status, 'audit_entries.from_status'),
    to: oneOf(MIGRATION_STATUSES, row.to_status, 'audit_entries.to_status'),
  };
}

function toSupportRequest(row: RequestRow): SupportRequest {
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
