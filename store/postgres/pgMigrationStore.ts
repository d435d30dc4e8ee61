import { z } from 'zod';
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
import { pgText, placeholders, type PgDatabase, type Queryable } from './database';
import { queueJobs } from './pgOutboxJobs';

/** Thrown inside a transaction to roll it back; the caller sees `false`. */
class LostRace extends Error {}

/**
 * Migration state in the shared store. Every write is one transaction with its audit entry and
 * outbox jobs; the solution's version is the optimistic lock, so of two instances applying a change
 * to the same solution at once, the second finds the version moved and writes nothing.
 */
export class PgMigrationStore implements MigrationStore {
  /** `outbox` is told after each commit that queued jobs. */
  constructor(
    private readonly db: PgDatabase,
    private readonly outbox: OutboxSignal,
  ) {}

  async getSolution(partnerAccountId: string, solutionId: string): Promise<Solution | undefined> {
    const { rows } = await this.db.query<SolutionRow>(`${SOLUTION_SELECT} WHERE s.partner_account_id = $1 AND s.id = $2`, [
      partnerAccountId,
      solutionId,
    ]);
    return rows[0] && toSolution(rows[0]);
  }

  async listSolutions(partnerAccountId: string, offset: number, limit: number): Promise<SolutionSlice> {
    // The page and the counts in one statement, so one round trip and one snapshot: the counts ride
    // on every row as an InitPlan evaluated once. A page with no rows carries no counts; then they
    // are read on their own (a partner with no solutions, or a page past the end).
    const { rows } = await this.db.query<SummaryRow & { counts: unknown }>(
      `SELECT s.id, s.partner_id, s.name, s.status, r.id AS request_id, r.state AS request_state, r.due_at AS request_due_at,
         (SELECT json_object_agg(c.status, c.n) FROM solution_status_counts c WHERE c.partner_account_id = $1) AS counts
       FROM solutions s LEFT JOIN support_requests r ON r.solution_id = s.id AND r.state <> 'completed'
       WHERE s.partner_account_id = $1 ORDER BY s.list_rank, s.name COLLATE "C", s.id LIMIT $2 OFFSET $3`,
      [partnerAccountId, limit, offset],
    );
    const first = rows[0];
    return {
      items: rows.map(toSummary),
      counts: first ? countsFrom(first.counts) : await counts(this.db, partnerAccountId),
    };
  }

  async solutionsNamedLike(
    partnerAccountId: string,
    fragments: readonly string[],
    limit: number,
  ): Promise<readonly NamedSolution[]> {
    const used = fragments.slice(0, MAX_NAME_FRAGMENTS);
    if (used.length === 0) return [];
    const { rows } = await this.db.query<{ id: string; name: string }>(pgText(namedLikeSql(used.length)), [
      partnerAccountId,
      ...used.map(likePattern),
      limit,
    ]);
    return rows.map((row) => ({ id: row.id, name: row.name }));
  }

  async countByStatus(partnerAccountId: string): Promise<Readonly<Record<MigrationStatus, number>>> {
    return counts(this.db, partnerAccountId);
  }

  async applyStatusChange(change: StatusChange): Promise<boolean> {
    return this.write([], (client) => applyChange(client, change));
  }

  async latestAuditEntry(partnerAccountId: string, solutionId: string): Promise<AuditEntry | undefined> {
    const { rows } = await this.db.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_entries
       WHERE solution_id = $1 AND partner_account_id = $2 ORDER BY id DESC LIMIT 1`,
      [solutionId, partnerAccountId],
    );
    return rows[0] && toAuditEntry(rows[0]);
  }

  async createMergeRequest({ request, change, jobs }: NewMergeRequest): Promise<boolean> {
    return this.write(jobs, async (client) => {
      if (!(await applyChange(client, change))) return false;
      const values = requestValues(request);
      const inserted = await client.query(
        `INSERT INTO support_requests (${REQUEST_INSERT_COLUMNS}) VALUES (${placeholders(values.length)})
         ON CONFLICT DO NOTHING`,
        values,
      );
      // Another request is already in progress for the solution: undo the status change with it.
      if (inserted.rowCount !== 1) throw new LostRace();
      await queueJobs(client, jobs, change.at);
      return true;
    });
  }

  async getSupportRequest(requestId: string): Promise<SupportRequest | undefined> {
    const { rows } = await this.db.query<RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM support_requests WHERE id = $1`, [
      requestId,
    ]);
    return rows[0] && toSupportRequest(rows[0]);
  }

  async openSupportRequest(partnerAccountId: string, solutionId: string): Promise<SupportRequest | undefined> {
    const { rows } = await this.db.query<RequestRow>(
      `SELECT ${REQUEST_COLUMNS} FROM support_requests
       WHERE partner_account_id = $1 AND solution_id = $2 AND state <> 'completed'`,
      [partnerAccountId, solutionId],
    );
    return rows[0] && toSupportRequest(rows[0]);
  }

  async completeMerge({ requestId, change, agent, jobs }: MergeCompletion): Promise<boolean> {
    return this.write(jobs, async (client) => {
      const completed = await client.query(
        `UPDATE support_requests SET state = 'completed', completed_at = $1, completed_by = $2
         WHERE id = $3 AND state <> 'completed'`,
        [change.at.getTime(), agent.userId, requestId],
      );
      if (completed.rowCount !== 1) return false;
      if (!(await applyChange(client, change))) throw new LostRace();
      await queueJobs(client, jobs, change.at);
      return true;
    });
  }

  async requestInfo({ requestId, infoNeeded, at, agent, jobs }: InfoRequest): Promise<boolean> {
    return this.write(jobs, async (client) => {
      const recorded = await client.query(
        `UPDATE support_requests SET state = 'infoRequested', info_needed = $1, info_requested_at = $2, info_requested_by = $3
         WHERE id = $4 AND state <> 'completed'`,
        [infoNeeded, at.getTime(), agent.userId, requestId],
      );
      if (recorded.rowCount !== 1) return false;
      await queueJobs(client, jobs, at);
      return true;
    });
  }

  async awaitNewOffer(change: StatusChange, watcher: Omit<NewOfferWatcher, 'solutions'>): Promise<boolean> {
    return this.write([], async (client) => {
      if (!(await applyChange(client, change))) return false;
      await client.query(
        `INSERT INTO new_offer_watchers (solution_id, user_id, address, conversation_key, locale, tenant_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (solution_id) DO UPDATE SET user_id = excluded.user_id, address = excluded.address,
           conversation_key = excluded.conversation_key, locale = excluded.locale, tenant_id = excluded.tenant_id,
           created_at = excluded.created_at`,
        [
          change.solutionId,
          watcher.userId,
          watcher.address,
          watcher.conversationKey,
          watcher.locale,
          watcher.tenantId ?? null,
          change.at.getTime(),
        ],
      );
      return true;
    });
  }

  /** Runs a write transaction; a lost race is `false`, and queued jobs wake the sender once committed. */
  private async write(jobs: readonly OutboxJob[], work: (client: Queryable) => Promise<boolean>): Promise<boolean> {
    let written: boolean;
    try {
      written = await this.db.transaction(work);
    } catch (error: unknown) {
      if (error instanceof LostRace) return false;
      throw error;
    }
    if (written && jobs.length > 0) this.outbox.jobsQueued();
    return written;
  }
}

/**
 * Moves the solution on if it is still at the expected version, with its audit entry. A concurrent
 * change to the same row waits for this one to commit, then finds the version moved.
 */
async function applyChange(client: Queryable, change: StatusChange): Promise<boolean> {
  const at = change.at.getTime();
  const updated = await client.query(
    `UPDATE solutions SET status = $1, status_changed_at = $2, awaited_offer_id = $3, awaited_offer_name = $4,
       version = version + 1
     WHERE partner_account_id = $5 AND id = $6 AND version = $7`,
    [
      change.to,
      at,
      ...awaitedOfferValues(change.awaitedOffer),
      change.partnerAccountId,
      change.solutionId,
      change.expectedVersion,
    ],
  );
  if (updated.rowCount !== 1) return false;
  const values = auditValues(change);
  await client.query(`INSERT INTO audit_entries (${AUDIT_INSERT_COLUMNS}) VALUES (${placeholders(values.length)})`, values);
  return true;
}

async function counts(db: Queryable, partnerAccountId: string): Promise<Record<MigrationStatus, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    'SELECT status, n FROM solution_status_counts WHERE partner_account_id = $1',
    [partnerAccountId],
  );
  return toStatusCounts(rows);
}

const COUNTS_JSON = z.record(z.string(), z.number().int().nonnegative());

/** The counts as `json_object_agg(status, n)` gives them; null when the partner has none. */
function countsFrom(value: unknown): Record<MigrationStatus, number> {
  const pairs = value === null ? {} : COUNTS_JSON.parse(value);
  return toStatusCounts(Object.entries(pairs).map(([status, n]) => ({ status, n })));
}
