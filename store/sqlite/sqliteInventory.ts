import { randomUUID } from 'node:crypto';
import {
  INVENTORY_KINDS,
  MISSING_LISTED,
  offerKey,
  recordKey,
  zeroImportCounts,
  type ImportCounts,
  type ImportSummary,
  type InventoryKind,
  type InventoryRecord,
  type MemberRecord,
  type OfferRecord,
  type PartnerRecord,
  type SolutionRecord,
} from '../../domain/inventory';
import type { ImportRun, InventoryImport, InventoryStore, StagedRecord } from '../../domain/ports/inventory';
import { decodeRecord, encodeRecord } from '../inventoryRecords';
import { stringArray } from '../rows/columns';
import {
  IMPORTED_OFFER_COLUMNS,
  IMPORTED_PARTNER_COLUMNS,
  IMPORTED_SOLUTION_COLUMNS,
  memberChange,
  memberObjectId,
  offerChange,
  partnerChange,
  solutionChange,
  type Change,
  type ImportedOfferRow,
  type ImportedPartnerRow,
  type ImportedSolutionRow,
} from '../rows/inventory';
import { MEMBER_COLUMNS, type MemberRow } from '../rows/partners';
import type { SqliteDatabase } from './database';

/** Staged rows are read back this many at a time while an import is applied. */
const BATCH = 1000;

/**
 * Rows of an import in progress, checked but not applied, in a temporary table of the import's own:
 * private to the connection, gone with it, dropped at once when the import is done, and written
 * without the syncs to disk that the store's own tables pay for, which these rows do not need.
 */
function stagingTable(name: string): string {
  return `CREATE TEMP TABLE ${name} (
      seq INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      key TEXT NOT NULL,
      account TEXT NOT NULL,
      file TEXT NOT NULL,
      line INTEGER NOT NULL,
      record TEXT NOT NULL
    );
    CREATE INDEX temp.${name}_by_key ON ${name}(kind, key);`;
}

interface StagedRow {
  seq: number;
  key: string;
  file: string;
  line: number;
  record: string;
}

/** Thrown inside a dry run's transaction to roll it back once its summary is known. */
class DryRunRollback extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

/** Inventory imports into the embedded store: staged in a table of their own, applied in one transaction. */
export class SqliteInventory implements InventoryStore {
  constructor(private readonly db: SqliteDatabase) {}

  async storedPartners(ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    const select = this.db.prepare<[string], { partner_ids: string }>('SELECT partner_ids FROM partner_accounts WHERE id = ?');
    const found = new Map<string, readonly string[]>();
    for (const id of ids) {
      const row = select.get(id);
      if (row) found.set(id, stringArray(row.partner_ids, 'partner_accounts.partner_ids'));
    }
    return found;
  }

  async partnerIdOwners(partnerIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const owners = new Map<string, string>();
    if (partnerIds.length === 0) return owners;
    const wanted = new Set(partnerIds);
    const rows = this.db.prepare<[], { id: string; partner_ids: string }>('SELECT id, partner_ids FROM partner_accounts').all();
    for (const row of rows) {
      for (const partnerId of stringArray(row.partner_ids, 'partner_accounts.partner_ids')) {
        if (wanted.has(partnerId)) owners.set(partnerId, row.id);
      }
    }
    return owners;
  }

  async owners(kind: 'solutions' | 'offers', keys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    // One statement for the batch, the keys as a JSON array; `kind` is one of two table names.
    const rows = this.db
      .prepare<[string], { key: string; owner: string }>(
        `SELECT id AS key, partner_account_id AS owner FROM ${kind} WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(keys));
    return new Map(rows.map((row) => [row.key, row.owner]));
  }

  async beginImport(): Promise<InventoryImport> {
    const table = `import_staging_${randomUUID().replaceAll('-', '')}`;
    this.db.exec(stagingTable(table));
    return new SqliteImport(this.db, table);
  }
}

class SqliteImport implements InventoryImport {
  private seq = 0;
  private readonly insertStaged;
  private readonly stageBatch;
  private readonly writer: ImportWriter;

  private dropped = false;

  constructor(
    private readonly db: SqliteDatabase,
    /** The import's own staging table. */
    private readonly table: string,
  ) {
    this.insertStaged = db.prepare<[number, string, string, string, string, number, string]>(
      `INSERT INTO ${table} (seq, kind, key, account, file, line, record) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.stageBatch = db.transaction((records: readonly StagedRecord[]) => {
      for (const staged of records) {
        const { kind, record, file, line } = staged;
        this.insertStaged.run(++this.seq, kind, recordKey(staged), record.partnerAccountId, file, line, encodeRecord(staged));
      }
    });
    this.writer = new ImportWriter(db);
  }

  async stage(records: readonly StagedRecord[]): Promise<void> {
    this.stageBatch(records);
  }

  async apply(run: ImportRun, options: { readonly dryRun: boolean }): Promise<ImportSummary> {
    const applyAll = this.db.transaction((): ImportSummary => {
      const runId = options.dryRun ? 0 : this.writer.startRun(run);
      const counts = zeroImportCounts();
      for (const kind of INVENTORY_KINDS) this.applyKind(kind, runId, run.at, counts);
      const summary: ImportSummary = { counts, missingSolutions: this.missingSolutions() };
      if (options.dryRun) throw new DryRunRollback(summary);
      this.writer.finishRun(runId, summary);
      return summary;
    });
    try {
      return applyAll();
    } catch (error: unknown) {
      if (error instanceof DryRunRollback) return error.summary;
      throw error;
    } finally {
      await this.abandon();
    }
  }

  async abandon(): Promise<void> {
    if (this.dropped) return;
    this.dropped = true;
    this.db.exec(`DROP TABLE temp.${this.table}`);
  }

  private applyKind(kind: InventoryKind, runId: number, at: Date, counts: ImportCounts): void {
    const select = this.db.prepare<[string, number, number], StagedRow>(
      `SELECT seq, key, file, line, record FROM ${this.table} WHERE kind = ? AND seq > ? ORDER BY seq LIMIT ?`,
    );
    // In batches: better-sqlite3 cannot write while a statement is still being iterated.
    for (let after = 0; ;) {
      const rows = select.all(kind, after, BATCH);
      if (rows.length === 0) return;
      for (const row of rows) {
        const change = this.writer.write(decodeRecord(kind, row.record), at);
        counts[kind][change.outcome]++;
        if (runId > 0 && (change.outcome === 'added' || change.outcome === 'updated')) {
          this.writer.audit(runId, kind, row, change);
        }
      }
      after = rows[rows.length - 1]?.seq ?? after;
    }
  }

  /** Solutions of the accounts this import lists solutions for, that it does not name. */
  private missingSolutions(): ImportSummary['missingSolutions'] {
    const missing = `FROM solutions s
      WHERE s.partner_account_id IN (SELECT DISTINCT account FROM ${this.table} WHERE kind = 'solutions')
      AND NOT EXISTS (SELECT 1 FROM ${this.table} st WHERE st.kind = 'solutions' AND st.key = s.id)`;
    const total = this.db.prepare<[], { n: number }>(`SELECT count(*) AS n ${missing}`).get()?.n ?? 0;
    const ids = this.db
      .prepare<[number], { id: string }>(`SELECT s.id ${missing} ORDER BY s.id LIMIT ?`)
      .all(MISSING_LISTED)
      .map((row) => row.id);
    return { total, ids };
  }
}

/** The statements an import writes with, one method per kind. */
class ImportWriter {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    this.statements = {
      partner: db.prepare<[string], ImportedPartnerRow>(`SELECT ${IMPORTED_PARTNER_COLUMNS} FROM partner_accounts WHERE id = ?`),
      tenants: db.prepare<[string], { tenant_id: string }>(
        'SELECT tenant_id FROM partner_tenants WHERE partner_account_id = ? ORDER BY tenant_id',
      ),
      upsertPartner: db.prepare<[string, string, string, number, number]>(
        `INSERT INTO partner_accounts (id, name, partner_ids, cloud_partner_program_active, marketplace_enrolled)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, partner_ids = excluded.partner_ids,
           cloud_partner_program_active = excluded.cloud_partner_program_active,
           marketplace_enrolled = excluded.marketplace_enrolled`,
      ),
      clearTenants: db.prepare<[string]>('DELETE FROM partner_tenants WHERE partner_account_id = ?'),
      addTenant: db.prepare<[string, string]>('INSERT INTO partner_tenants (partner_account_id, tenant_id) VALUES (?, ?)'),
      memberById: db.prepare<[string], MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.user_id = ?`),
      memberByAadObject: db.prepare<[string | null, string], MemberRow>(
        `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.tenant_id IS ? AND m.aad_object_id = ?`,
      ),
      upsertMember: db.prepare<[string, string, string, string, string | null, string | null, string | null]>(
        `INSERT INTO members (user_id, partner_account_id, display_name, role, tenant_id, aad_object_id, user_principal_name)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET partner_account_id = excluded.partner_account_id,
           display_name = excluded.display_name, role = excluded.role, tenant_id = excluded.tenant_id,
           aad_object_id = excluded.aad_object_id, user_principal_name = excluded.user_principal_name`,
      ),
      offer: db.prepare<[string], ImportedOfferRow>(`SELECT ${IMPORTED_OFFER_COLUMNS} FROM offers WHERE id = ?`),
      upsertOffer: db.prepare<[string, string, string, string, string, string, string, string | null, string]>(
        `INSERT INTO offers (id, partner_account_id, publisher_id, offer_id, type, name, storefront, listing_url, publishing_state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET partner_account_id = excluded.partner_account_id, type = excluded.type,
           name = excluded.name, storefront = excluded.storefront, listing_url = excluded.listing_url,
           publishing_state = excluded.publishing_state`,
      ),
      solution: db.prepare<[string], ImportedSolutionRow>(`SELECT ${IMPORTED_SOLUTION_COLUMNS} FROM solutions WHERE id = ?`),
      insertSolution: db.prepare<[string, string, string, string, string, number, number, string, number]>(
        `INSERT INTO solutions (id, partner_account_id, partner_id, name, co_sell_status, open_referrals,
           collateral_documents, status, status_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateSolution: db.prepare<[SolutionUpdate]>(
        `UPDATE solutions SET partner_id = @partnerId, name = @name, co_sell_status = @coSellStatus,
           open_referrals = @openReferrals, collateral_documents = @collateralDocuments, status = @status,
           status_changed_at = CASE WHEN status = @status THEN status_changed_at ELSE @at END,
           version = CASE WHEN status = @status THEN version ELSE version + 1 END
         WHERE id = @id`,
      ),
      insertRun: db.prepare<[number, string, string]>(
        `INSERT INTO import_runs (at, actor, files, summary) VALUES (?, ?, ?, '{}')`,
      ),
      finishRun: db.prepare<[string, number]>('UPDATE import_runs SET summary = ? WHERE id = ?'),
      insertChange: db.prepare<[number, string, string, string, string, string, number]>(
        `INSERT INTO import_changes (run_id, kind, key, outcome, fields, file, line) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  startRun(run: ImportRun): number {
    return Number(this.statements.insertRun.run(run.at.getTime(), run.actor, JSON.stringify(run.files)).lastInsertRowid);
  }

  finishRun(runId: number, summary: ImportSummary): void {
    this.statements.finishRun.run(JSON.stringify(summary), runId);
  }

  audit(runId: number, kind: InventoryKind, row: StagedRow, change: Change): void {
    this.statements.insertChange.run(runId, kind, row.key, change.outcome, JSON.stringify(change.changed), row.file, row.line);
  }

  write(item: InventoryRecord, at: Date): Change {
    switch (item.kind) {
      case 'partners':
        return this.partner(item.record);
      case 'members':
        return this.member(item.record);
      case 'offers':
        return this.offer(item.record);
      case 'solutions':
        return this.solution(item.record, at);
    }
  }

  private partner(record: PartnerRecord): Change {
    const { statements } = this;
    const row = statements.partner.get(record.partnerAccountId);
    const tenantIds = row ? statements.tenants.all(record.partnerAccountId).map((tenant) => tenant.tenant_id) : [];
    const change = partnerChange(row && { row, tenantIds }, record);
    if (change.outcome === 'unchanged') return change;
    statements.upsertPartner.run(
      record.partnerAccountId,
      record.name,
      JSON.stringify(record.partnerIds),
      record.cloudPartnerProgramActive ? 1 : 0,
      record.marketplaceEnrolled ? 1 : 0,
    );
    statements.clearTenants.run(record.partnerAccountId);
    for (const tenantId of change.tenantIds) statements.addTenant.run(record.partnerAccountId, tenantId);
    return change;
  }

  private member(record: MemberRecord): Change {
    const { statements } = this;
    const objectId = memberObjectId(record);
    // The member may be stored already under their channel id, found then by their Entra object id.
    const row =
      statements.memberById.get(record.userId) ??
      (objectId ? statements.memberByAadObject.get(record.tenantId ?? null, objectId) : undefined);
    const change = memberChange(row, record);
    if (change.outcome === 'unchanged') return change;
    const { member } = change;
    statements.upsertMember.run(
      change.userId,
      member.partnerAccountId,
      member.displayName,
      member.role,
      member.tenantId ?? null,
      member.aadObjectId ?? null,
      member.userPrincipalName ?? null,
    );
    return change;
  }

  private offer(record: OfferRecord): Change {
    const change = offerChange(this.statements.offer.get(offerKey(record)), record);
    if (change.outcome === 'unchanged') return change;
    const { write } = change;
    this.statements.upsertOffer.run(
      write.id,
      write.partnerAccountId,
      write.publisherId,
      write.offerId,
      write.type,
      write.name,
      write.storefront,
      write.listingUrl,
      write.publishingState,
    );
    return change;
  }

  private solution(record: SolutionRecord, at: Date): Change {
    const { statements } = this;
    const change = solutionChange(statements.solution.get(record.ocpSolutionId), record);
    const { status } = change;
    if (change.outcome === 'added') {
      statements.insertSolution.run(
        record.ocpSolutionId,
        record.partnerAccountId,
        record.partnerId,
        record.name,
        record.coSellStatus,
        record.openReferrals,
        record.collateralDocuments,
        status,
        at.getTime(),
      );
    } else if (change.outcome === 'updated') {
      // A status that changes moves the solution's version on, as a decision would.
      statements.updateSolution.run({
        id: record.ocpSolutionId,
        partnerId: record.partnerId,
        name: record.name,
        coSellStatus: record.coSellStatus,
        openReferrals: record.openReferrals,
        collateralDocuments: record.collateralDocuments,
        status,
        at: at.getTime(),
      });
    }
    return change;
  }
}

interface SolutionUpdate {
  id: string;
  partnerId: string;
  name: string;
  coSellStatus: string;
  openReferrals: number;
  collateralDocuments: number;
  status: string;
  at: number;
}
