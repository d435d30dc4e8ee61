import {
  CO_SELL_STATUSES,
  MIGRATION_EVENTS,
  MIGRATION_STATUSES,
  type AuditEntry,
  type MigrationStatus,
  type Solution,
} from '../../domain/model';
import type { MigrationStore, SolutionSlice, StatusChange } from '../../domain/ports';
import { zeroCounts } from '../../domain/status';
import { oneOf } from './columns';
import type { SqliteDatabase } from './database';

interface SolutionRow {
  id: string;
  partner_account_id: string;
  partner_id: string;
  name: string;
  co_sell_status: string;
  open_referrals: number;
  collateral_documents: number;
  status: string;
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

const SOLUTION_COLUMNS = `id, partner_account_id, partner_id, name, co_sell_status, open_referrals,
  collateral_documents, status, status_changed_at, version`;

export class SqliteMigrationStore implements MigrationStore {
  private readonly selectSolution;
  private readonly selectPage;
  private readonly selectCounts;
  private readonly updateStatus;
  private readonly insertAudit;
  private readonly selectLatestAudit;
  private readonly applyChange;

  constructor(private readonly db: SqliteDatabase) {
    this.selectSolution = db.prepare<[string, string], SolutionRow>(
      `SELECT ${SOLUTION_COLUMNS} FROM solutions WHERE partner_account_id = ? AND id = ?`,
    );
    this.selectPage = db.prepare<[string, number, number], SolutionRow>(
      `SELECT ${SOLUTION_COLUMNS} FROM solutions WHERE partner_account_id = ?
       ORDER BY list_rank, name, id LIMIT ? OFFSET ?`,
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
    this.applyChange = db.transaction((change: StatusChange): boolean => {
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
    });
  }

  async getSolution(partnerAccountId: string, solutionId: string): Promise<Solution | undefined> {
    const row = this.selectSolution.get(partnerAccountId, solutionId);
    return row && toSolution(row);
  }

  async listSolutions(partnerAccountId: string, offset: number, limit: number): Promise<SolutionSlice> {
    const read = this.db.transaction(() => ({
      items: this.selectPage.all(partnerAccountId, limit, offset).map(toSolution),
      counts: this.counts(partnerAccountId),
    }));
    return read();
  }

  async countByStatus(partnerAccountId: string): Promise<Readonly<Record<MigrationStatus, number>>> {
    return this.counts(partnerAccountId);
  }

  async applyStatusChange(change: StatusChange): Promise<boolean> {
    return this.applyChange(change);
  }

  async latestAuditEntry(partnerAccountId: string, solutionId: string): Promise<AuditEntry | undefined> {
    const row = this.selectLatestAudit.get(solutionId, partnerAccountId);
    return row && toAuditEntry(row);
  }

  private counts(partnerAccountId: string): Record<MigrationStatus, number> {
    const counts = zeroCounts();
    for (const row of this.selectCounts.all(partnerAccountId)) {
      counts[oneOf(MIGRATION_STATUSES, row.status, 'solution_status_counts.status')] = row.n;
    }
    return counts;
  }
}

function toSolution(row: SolutionRow): Solution {
  return {
    id: row.id,
    partnerAccountId: row.partner_account_id,
    partnerId: row.partner_id,
    name: row.name,
    coSellStatus: oneOf(CO_SELL_STATUSES, row.co_sell_status, 'solutions.co_sell_status'),
    carriedOver: { openReferrals: row.open_referrals, collateralDocuments: row.collateral_documents },
    status: oneOf(MIGRATION_STATUSES, row.status, 'solutions.status'),
    statusChangedAt: new Date(row.status_changed_at),
    version: row.version,
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
