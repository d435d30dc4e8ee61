import type { AuditEntry, MigrationStatus, Solution, SupportRequest } from '../../domain/model';
import { MAX_NAME_FRAGMENTS } from '../../domain/ports/migration';
import type {
  InfoRequest,
  MergeCompletion,
  MigrationStore,
  NamedSolution,
  NewMergeRequest,
  SolutionSlice,
  StatusChange,
} from '../../domain/ports/migration';
import type { NewOfferWatcher } from '../../domain/ports/notifications';
import type { OutboxJob, OutboxSignal } from '../../domain/ports/outbox';
import {
  likePattern,
  namedLikeSql,
  AUDIT_COLUMNS,
  AUDIT_INSERT_COLUMNS,
  REQUEST_COLUMNS,
  REQUEST_INSERT_COLUMNS,
  SOLUTION_SELECT,
  auditValues,
  awaitedOfferValues,
  requestValues,
  toAuditEntry,
  toSolution,
  toStatusCounts,
  toSummary,
  toSupportRequest,
  type AuditRow,
  type RequestRow,
  type SolutionRow,
  type SummaryRow,
} from '../rows/migration';
import type { SqliteDatabase } from './database';
import { prepareJobInsert, queueJobs } from './outboxJobs';

export class SqliteMigrationStore implements MigrationStore {
  private readonly selectSolution;
  private readonly selectPage;
  /** By how many fragments: a statement for each count, as MAX_NAME_FRAGMENTS bounds them. */
  private readonly selectNamedLike;
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
    this.selectNamedLike = Array.from({ length: MAX_NAME_FRAGMENTS }, (_, index) =>
      db.prepare<(string | number)[], NamedSolution>(namedLikeSql(index + 1)),
    );
    this.selectCounts = db.prepare<[string], { status: string; n: number }>(
      'SELECT status, n FROM solution_status_counts WHERE partner_account_id = ?',
    );
    this.updateStatus = db.prepare<[string, number, string | null, string | null, string, string, number]>(
      `UPDATE solutions SET status = ?, status_changed_at = ?, awaited_offer_id = ?, awaited_offer_name = ?, version = version + 1
       WHERE partner_account_id = ? AND id = ? AND version = ?`,
    );
    this.insertAudit = db.prepare<(string | number | null)[]>(
      `INSERT INTO audit_entries (${AUDIT_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectLatestAudit = db.prepare<[string, string], AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_entries WHERE solution_id = ? AND partner_account_id = ? ORDER BY id DESC LIMIT 1`,
    );
    this.insertRequest = db.prepare<(string | number | null)[]>(
      `INSERT INTO support_requests (${REQUEST_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
      const inserted = this.insertRequest.run(...requestValues(request));
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
    this.awaitNewOfferTx = db.transaction((change: StatusChange, watcher: Omit<NewOfferWatcher, 'solutions'>): boolean => {
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

  async solutionsNamedLike(
    partnerAccountId: string,
    fragments: readonly string[],
    limit: number,
  ): Promise<readonly NamedSolution[]> {
    const statement = this.selectNamedLike[Math.min(fragments.length, MAX_NAME_FRAGMENTS) - 1];
    if (!statement) return [];
    return statement.all(partnerAccountId, ...fragments.slice(0, MAX_NAME_FRAGMENTS).map(likePattern), limit);
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

  async awaitNewOffer(change: StatusChange, watcher: Omit<NewOfferWatcher, 'solutions'>): Promise<boolean> {
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
    const updated = this.updateStatus.run(
      change.to,
      at,
      ...awaitedOfferValues(change.awaitedOffer),
      change.partnerAccountId,
      change.solutionId,
      change.expectedVersion,
    );
    if (updated.changes !== 1) return false;
    this.insertAudit.run(...auditValues(change));
    return true;
  }

  private queue(jobs: readonly OutboxJob[], at: Date): void {
    queueJobs(this.insertJob, jobs, at);
  }

  private counts(partnerAccountId: string): Record<MigrationStatus, number> {
    return toStatusCounts(this.selectCounts.all(partnerAccountId));
  }
}

/** Thrown inside a transaction to roll it back; the caller sees `false`. */
class OpenRequestExists extends Error {}
class SolutionMovedOn extends Error {}
