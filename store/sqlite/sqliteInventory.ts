import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  IMPORT_OUTCOMES,
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
import type {
  Claim,
  ClaimSpace,
  ImportRun,
  InterruptedRun,
  InventoryImport,
  InventoryStore,
  StagedRecord,
} from '../../domain/ports/inventory';
import { decodeRecord, encodeRecord } from '../inventoryRecords';
import { oneOf, stringArray } from '../rows/columns';
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

/** Staged rows are applied this many at a time, each batch one transaction and one turn of the event loop. */
const APPLY_BATCH = 250;
/** Stored solutions are looked through this many rowids at a time for the ones an import does not name. */
const MISSING_WINDOW = 5000;

/**
 * Tables of an import in progress, private to the connection and gone with it, dropped at once when
 * the import is done: the rows checked but not applied, what the check claimed, and the accounts
 * the import lists solutions of. TEMP tables live in a file of their own that SQLite deletes on
 * close (this build's SQLITE_TEMP_STORE=1, temp_store left at its default), held in memory only up
 * to the page cache: staging a large import does not grow the process. They are written without the
 * syncs to disk that the store's own tables pay for, which these rows do not need.
 */
function stagingTables(name: string): string {
  return `CREATE TEMP TABLE ${name} (
      seq INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      key TEXT NOT NULL,
      account TEXT NOT NULL,
      file TEXT NOT NULL,
      line INTEGER NOT NULL,
      record TEXT NOT NULL
    );
    CREATE INDEX temp.${name}_by_key ON ${name}(kind, key);
    CREATE TEMP TABLE ${name}_claims (
      space TEXT NOT NULL,
      key TEXT NOT NULL,
      account TEXT NOT NULL,
      file TEXT NOT NULL,
      line INTEGER NOT NULL,
      ordinal INTEGER NOT NULL,
      PRIMARY KEY (space, key)
    ) WITHOUT ROWID;
    CREATE TEMP TABLE ${name}_accounts (account TEXT PRIMARY KEY) WITHOUT ROWID;`;
}

interface StagedRow {
  seq: number;
  kind: string;
  key: string;
  file: string;
  line: number;
  record: string;
}

interface ClaimRow {
  key: string;
  account: string;
  file: string;
  line: number;
  ordinal: number;
}

interface RunRow {
  id: number;
  at: number;
  actor: string;
  files: string;
}

/** Thrown inside a dry run's transaction to roll it back. */
class DryRunRollback extends Error {
  constructor() {
    super('dry run');
  }
}

/**
 * Inventory imports into the embedded store: checked and staged in tables of their own, applied in
 * batches of APPLY_BATCH rows, each its own transaction, with a turn of the event loop between
 * them. The store is one connection, which the bot's turns write through too: a transaction held
 * open across turns would take their writes into it, and one transaction over every row would hold
 * the event loop for seconds.
 */
export class SqliteInventory implements InventoryStore {
  private readonly lookups: MemberLookups;

  constructor(private readonly db: SqliteDatabase) {
    this.lookups = memberLookups(db);
  }

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
    if (partnerIds.length === 0) return new Map();
    const rows = this.db
      .prepare<[string], { partner_id: string; id: string }>(
        `SELECT p.value AS partner_id, a.id FROM partner_accounts a, json_each(a.partner_ids) p
         WHERE p.value IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(partnerIds));
    return new Map(rows.map((row) => [row.partner_id, row.id]));
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

  async storedMemberIds(records: readonly MemberRecord[]): Promise<ReadonlyMap<string, string>> {
    const found = new Map<string, string>();
    for (const record of records) {
      const row = this.lookups.find(record);
      if (row) found.set(record.userId, row.user_id);
    }
    return found;
  }

  async beginImport(): Promise<InventoryImport> {
    const table = `import_staging_${randomUUID().replaceAll('-', '')}`;
    this.db.exec(stagingTables(table));
    return new SqliteImport(this.db, table, this.lookups);
  }

  async markInterruptedRuns(): Promise<readonly InterruptedRun[]> {
    return this.db
      .prepare<[], RunRow>("UPDATE import_runs SET state = 'interrupted' WHERE state = 'applying' RETURNING id, at, actor, files")
      .all()
      .map(interruptedRun);
  }
}

class SqliteImport implements InventoryImport {
  private seq = 0;
  private readonly statements;
  private readonly stageBatch;
  private readonly claimBatch;
  private readonly writer: ImportWriter;
  private dropped = false;

  constructor(
    private readonly db: SqliteDatabase,
    /** The import's own staging table; its claims and accounts are in tables named after it. */
    private readonly table: string,
    lookups: MemberLookups,
  ) {
    this.statements = {
      insertStaged: db.prepare<[number, string, string, string, string, number, string]>(
        `INSERT INTO ${table} (seq, kind, key, account, file, line, record) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertAccount: db.prepare<[string]>(`INSERT OR IGNORE INTO ${table}_accounts (account) VALUES (?)`),
      insertClaim: db.prepare<[string, string, string, string, number, number]>(
        `INSERT OR IGNORE INTO ${table}_claims (space, key, account, file, line, ordinal) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      holders: db.prepare<[string, string], ClaimRow>(
        `SELECT key, account, file, line, ordinal FROM ${table}_claims WHERE space = ? AND key IN (SELECT value FROM json_each(?))`,
      ),
      staged: db.prepare<[string, string], StagedRow>(
        `SELECT seq, kind, key, file, line, record FROM ${table} WHERE kind = ? AND key IN (SELECT value FROM json_each(?))`,
      ),
      nextBatch: db.prepare<[number, number], StagedRow>(
        `SELECT seq, kind, key, file, line, record FROM ${table} WHERE seq > ? ORDER BY seq LIMIT ?`,
      ),
    };
    this.stageBatch = db.transaction((records: readonly StagedRecord[]) => {
      for (const staged of records) {
        const { kind, record, file, line } = staged;
        const key = recordKey(staged);
        this.statements.insertStaged.run(++this.seq, kind, key, record.partnerAccountId, file, line, encodeRecord(staged));
        if (kind === 'solutions') this.statements.insertAccount.run(record.partnerAccountId);
      }
    });
    this.claimBatch = db.transaction((space: ClaimSpace, claims: readonly Claim[]) => {
      for (const claim of claims) {
        const { key, account, file, line, ordinal } = claim;
        this.statements.insertClaim.run(space, key, account, file, line, ordinal);
      }
    });
    this.writer = new ImportWriter(db, lookups);
  }

  async staged(kind: InventoryKind, keys: readonly string[]): Promise<ReadonlyMap<string, StagedRecord>> {
    if (keys.length === 0) return new Map();
    return new Map(
      this.statements.staged
        .all(kind, JSON.stringify(keys))
        .map((row) => [row.key, { ...decodeRecord(kind, row.record), file: row.file, line: row.line }]),
    );
  }

  async claim(space: ClaimSpace, claims: readonly Claim[]): Promise<ReadonlyMap<string, Claim>> {
    if (claims.length === 0) return new Map();
    this.claimBatch(space, claims);
    const keys = JSON.stringify(claims.map((claim) => claim.key));
    return new Map(
      this.statements.holders
        .all(space, keys)
        .map(({ key, account, file, line, ordinal }) => [key, { key, account, file, line, ordinal }]),
    );
  }

  async stage(records: readonly StagedRecord[]): Promise<void> {
    this.stageBatch(records);
  }

  async apply(run: ImportRun, options: { readonly dryRun: boolean }): Promise<ImportSummary> {
    const counts = zeroImportCounts();
    let runId = 0;
    let missingSolutions: ImportSummary['missingSolutions'] = { total: 0, ids: [] };
    try {
      // Nothing of the bot's own makes or removes solutions: named before or after the apply, the same ones.
      missingSolutions = await this.missingSolutions();
      for (let after = 0; ;) {
        const rows = this.statements.nextBatch.all(after, APPLY_BATCH);
        const last = rows.at(-1);
        if (!last) break;
        const batch = options.dryRun ? this.tryBatch(rows, run.at) : this.applyBatch(rows, run, runId);
        runId = batch.runId;
        addCounts(counts, batch.counts);
        after = last.seq;
        await nextTurn();
      }
      const summary: ImportSummary = { counts, missingSolutions };
      if (!options.dryRun) this.db.transaction(() => this.writer.endRun(runId || this.writer.startRun(run), 'done', summary))();
      return summary;
    } catch (error: unknown) {
      // Batches before this one are in the store: the run says so, and running the import again finishes it.
      if (runId > 0) {
        try {
          this.writer.endRun(runId, 'failed', { counts, missingSolutions });
        } catch {
          // The store takes no write now: the run stays applying, and the next start marks it interrupted.
        }
      }
      throw error;
    } finally {
      await this.abandon();
    }
  }

  async abandon(): Promise<void> {
    if (this.dropped) return;
    this.dropped = true;
    this.db.exec(`DROP TABLE temp.${this.table}; DROP TABLE temp.${this.table}_claims; DROP TABLE temp.${this.table}_accounts;`);
  }

  /** One batch in one transaction; the run is recorded, as applying, with the first. */
  private applyBatch(rows: readonly StagedRow[], run: ImportRun, runId: number): { runId: number; counts: ImportCounts } {
    return this.db.transaction(() => {
      const id = runId || this.writer.startRun(run);
      return { runId: id, counts: this.writeRows(rows, run.at, id) };
    })();
  }

  /**
   * One batch of a dry run, written and rolled back in one step. No row of an import depends on
   * another's write (the check refuses two rows of one member, and keys are unique), so each batch
   * counts what it would do whatever the batches before it did; the rows a batch refers to that an
   * earlier batch would have added are not there, so foreign keys are checked at a commit that never comes.
   */
  private tryBatch(rows: readonly StagedRow[], at: Date): { runId: number; counts: ImportCounts } {
    let counts = zeroImportCounts();
    try {
      this.db.transaction(() => {
        this.db.pragma('defer_foreign_keys = ON');
        counts = this.writeRows(rows, at, 0);
        throw new DryRunRollback();
      })();
    } catch (error: unknown) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    return { runId: 0, counts };
  }

  private writeRows(rows: readonly StagedRow[], at: Date, runId: number): ImportCounts {
    const counts = zeroImportCounts();
    for (const row of rows) {
      const kind = oneOf(INVENTORY_KINDS, row.kind, 'staging.kind');
      const change = this.writer.write(decodeRecord(kind, row.record), at);
      counts[kind][change.outcome]++;
      if (runId > 0 && (change.outcome === 'added' || change.outcome === 'updated')) this.writer.audit(runId, kind, row, change);
    }
    return counts;
  }

  /**
   * Solutions of the accounts this import lists solutions for, that it does not name: looked for
   * a window of rowids at a time, a turn each, so that a large store is not read in one statement.
   */
  private async missingSolutions(): Promise<ImportSummary['missingSolutions']> {
    const any = this.db.prepare(`SELECT 1 FROM ${this.table}_accounts LIMIT 1`).get();
    const last = this.db.prepare<[], { last: number | null }>('SELECT max(rowid) AS last FROM solutions').get()?.last ?? 0;
    const missing = this.db.prepare<[number, number], { id: string }>(
      `SELECT s.id FROM solutions s
       WHERE s.rowid > ? AND s.rowid <= ?
       AND s.partner_account_id IN (SELECT account FROM ${this.table}_accounts)
       AND NOT EXISTS (SELECT 1 FROM ${this.table} st WHERE st.kind = 'solutions' AND st.key = s.id)`,
    );
    let total = 0;
    let ids: string[] = [];
    for (let from = 0; any && from < last; from += MISSING_WINDOW) {
      const found = missing.all(from, from + MISSING_WINDOW).map((row) => row.id);
      total += found.length;
      // Ids are identifiers in ASCII: JavaScript's order is SQLite's.
      ids = [...ids, ...found].sort().slice(0, MISSING_LISTED);
      await nextTurn();
    }
    return { total, ids };
  }
}

function addCounts(total: ImportCounts, batch: ImportCounts): void {
  for (const kind of INVENTORY_KINDS) {
    for (const outcome of IMPORT_OUTCOMES) total[kind][outcome] += batch[kind][outcome];
  }
}

function interruptedRun(row: RunRow): InterruptedRun {
  return { id: row.id, at: new Date(row.at), actor: row.actor, files: stringArray(row.files, 'import_runs.files') };
}

/** How an import finds the stored member a row is: by user id, else by Entra object id in the row's tenant. */
interface MemberLookups {
  find(record: MemberRecord): MemberRow | undefined;
}

function memberLookups(db: SqliteDatabase): MemberLookups {
  const byId = db.prepare<[string], MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.user_id = ?`);
  const byAadObject = db.prepare<[string | null, string], MemberRow>(
    `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.tenant_id IS ? AND m.aad_object_id = ?`,
  );
  return {
    find: (record) => {
      const objectId = memberObjectId(record);
      return byId.get(record.userId) ?? (objectId ? byAadObject.get(record.tenantId ?? null, objectId) : undefined);
    },
  };
}

/** The statements an import writes with, one method per kind. */
class ImportWriter {
  private readonly statements;

  constructor(
    db: SqliteDatabase,
    private readonly lookups: MemberLookups,
  ) {
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
        `INSERT INTO import_runs (at, actor, files, summary, state) VALUES (?, ?, ?, '{}', 'applying')`,
      ),
      endRun: db.prepare<[string, string, number]>('UPDATE import_runs SET state = ?, summary = ? WHERE id = ?'),
      insertChange: db.prepare<[number, string, string, string, string, string, number]>(
        `INSERT INTO import_changes (run_id, kind, key, outcome, fields, file, line) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  startRun(run: ImportRun): number {
    return Number(this.statements.insertRun.run(run.at.getTime(), run.actor, JSON.stringify(run.files)).lastInsertRowid);
  }

  endRun(runId: number, state: 'done' | 'failed', summary: ImportSummary): void {
    this.statements.endRun.run(state, JSON.stringify(summary), runId);
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
    // The member may be stored already under their channel id, found then by their Entra object id.
    const change = memberChange(this.lookups.find(record), record);
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
