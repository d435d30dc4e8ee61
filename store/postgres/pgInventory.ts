import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
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
  type InventoryRecords,
  type MemberRecord,
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
  type OfferWrite,
  type StoredMember,
} from '../rows/inventory';
import { MEMBER_COLUMNS, type MemberRow } from '../rows/partners';
import type { PgDatabase, Queryable } from './database';

/**
 * Staged rows are read back, compared and written this many at a time: a handful of statements per
 * batch instead of several per row, which over a network is what an import of 100,000 rows costs.
 */
const BATCH = 1000;

interface StagedRow {
  seq: number;
  key: string;
  file: string;
  line: number;
  record: string;
}

/**
 * How the staging tables of imports into `schema` are named. Temporary tables of every connection
 * are visible in the catalogue: the schema's tag tells its own apart from other bots'.
 */
export function stagingTablePrefix(schema: string): string {
  return `import_staging_${createHash('sha256').update(schema).digest('hex').slice(0, 8)}_`;
}

/** Inventory imports into the shared store: staged on a connection of their own, applied in one transaction. */
export class PgInventory implements InventoryStore {
  constructor(
    private readonly db: PgDatabase,
    /** Told after an import committed: members and accounts this instance keeps may have changed. */
    private readonly applied: () => void = () => undefined,
  ) {}

  async storedPartners(ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    const { rows } = await this.db.query<{ id: string; partner_ids: string }>(
      'SELECT id, partner_ids FROM partner_accounts WHERE id = ANY($1::text[])',
      [ids],
    );
    return new Map(rows.map((row) => [row.id, stringArray(row.partner_ids, 'partner_accounts.partner_ids')]));
  }

  async partnerIdOwners(partnerIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (partnerIds.length === 0) return new Map();
    const { rows } = await this.db.query<{ partner_id: string; id: string }>(
      `SELECT p.partner_id, a.id FROM partner_accounts a, jsonb_array_elements_text(a.partner_ids::jsonb) AS p(partner_id)
       WHERE p.partner_id = ANY($1::text[])`,
      [partnerIds],
    );
    return new Map(rows.map((row) => [row.partner_id, row.id]));
  }

  async owners(kind: 'solutions' | 'offers', keys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    // `kind` is one of two table names.
    const { rows } = await this.db.query<{ key: string; owner: string }>(
      `SELECT id AS key, partner_account_id AS owner FROM ${kind} WHERE id = ANY($1::text[])`,
      [keys],
    );
    return new Map(rows.map((row) => [row.key, row.owner]));
  }

  async storedMemberIds(records: readonly MemberRecord[]): Promise<ReadonlyMap<string, string>> {
    const stored = await storedMembers(this.db, records);
    const found = new Map<string, string>();
    for (const record of records) {
      const row = stored.find(record);
      if (row) found.set(record.userId, row.user_id);
    }
    return found;
  }

  async beginImport(): Promise<InventoryImport> {
    // A temporary table lives on one connection: the import holds one until it is applied or abandoned.
    const client = await this.db.connect();
    const table = `${stagingTablePrefix(this.db.schema)}${randomUUID().replaceAll('-', '').slice(0, 24)}`;
    try {
      await client.query(
        `CREATE TEMP TABLE ${table} (
          seq integer PRIMARY KEY, kind text NOT NULL, key text NOT NULL, account text NOT NULL,
          file text NOT NULL, line integer NOT NULL, record text NOT NULL)`,
      );
      await client.query(`CREATE INDEX ON ${table} (kind, key)`);
      await client.query(
        `CREATE TEMP TABLE ${table}_claims (
          space text NOT NULL, key text NOT NULL, account text NOT NULL, file text NOT NULL, line integer NOT NULL,
          ordinal integer NOT NULL, PRIMARY KEY (space, key))`,
      );
    } catch (error: unknown) {
      client.release(true);
      throw error;
    }
    return new PgImport(client, table, this.db.schema, this.applied);
  }

  async markInterruptedRuns(): Promise<readonly InterruptedRun[]> {
    // A run here is applied in one transaction: one left applying was committed so by nobody, but the same state reads the same.
    const { rows } = await this.db.query<{ id: number; at: number; actor: string; files: string }>(
      "UPDATE import_runs SET state = 'interrupted' WHERE state = 'applying' RETURNING id, at, actor, files",
    );
    return rows.map((row) => ({
      id: row.id,
      at: new Date(row.at),
      actor: row.actor,
      files: stringArray(row.files, 'import_runs.files'),
    }));
  }
}

/** The stored members these records would write to, found as an import finds them: by user id, else by Entra object id in the tenant. */
async function storedMembers(
  db: Queryable,
  records: readonly MemberRecord[],
): Promise<{
  byId: Map<string, MemberRow>;
  byObject: Map<string, MemberRow>;
  find(record: MemberRecord): MemberRow | undefined;
}> {
  const { rows } = await db.query<MemberRow>(
    `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.user_id = ANY($1::text[]) OR m.aad_object_id = ANY($2::text[])`,
    [records.map((record) => record.userId), records.flatMap((record) => memberObjectId(record) ?? [])],
  );
  const byId = new Map(rows.map((row) => [row.user_id, row]));
  const byObject = new Map(
    rows.flatMap((row) => (row.aad_object_id === null ? [] : [[`${row.tenant_id}|${row.aad_object_id}`, row] as const])),
  );
  return {
    byId,
    byObject,
    find: (record) => {
      const objectId = memberObjectId(record);
      return byId.get(record.userId) ?? (objectId ? byObject.get(`${record.tenantId ?? null}|${objectId}`) : undefined);
    },
  };
}

class PgImport implements InventoryImport {
  private seq = 0;
  private released = false;

  constructor(
    private readonly client: pg.PoolClient,
    /** The import's own staging table. */
    private readonly table: string,
    private readonly schema: string,
    private readonly applied: () => void,
  ) {}

  async staged(kind: InventoryKind, keys: readonly string[]): Promise<ReadonlyMap<string, StagedRecord>> {
    if (keys.length === 0) return new Map();
    const { rows } = await this.run<StagedRow>(
      `SELECT seq, key, file, line, record FROM ${this.table} WHERE kind = $1 AND key = ANY($2::text[])`,
      [kind, keys],
    );
    return new Map(rows.map((row) => [row.key, { ...decodeRecord(kind, row.record), file: row.file, line: row.line }]));
  }

  async claim(space: ClaimSpace, claims: readonly Claim[]): Promise<ReadonlyMap<string, Claim>> {
    if (claims.length === 0) return new Map();
    // In the order given, so that of two claims of one key in a batch the first holds it.
    await this.run(
      `INSERT INTO ${this.table}_claims (space, key, account, file, line, ordinal)
       SELECT $1, c.key, c.account, c.file, c.line, c.ordinal
       FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::int[]) WITH ORDINALITY AS c(key, account, file, line, ordinal, n)
       ORDER BY c.n
       ON CONFLICT DO NOTHING`,
      [
        space,
        claims.map((claim) => claim.key),
        claims.map((claim) => claim.account),
        claims.map((claim) => claim.file),
        claims.map((claim) => claim.line),
        claims.map((claim) => claim.ordinal),
      ],
    );
    const { rows } = await this.run<Claim>(
      `SELECT key, account, file, line, ordinal FROM ${this.table}_claims WHERE space = $1 AND key = ANY($2::text[])`,
      [space, claims.map((claim) => claim.key)],
    );
    return new Map(rows.map(({ key, account, file, line, ordinal }) => [key, { key, account, file, line, ordinal }]));
  }

  async stage(records: readonly StagedRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += BATCH) {
      const batch = records.slice(start, start + BATCH);
      const seqs = batch.map(() => ++this.seq);
      await this.run(
        `INSERT INTO ${this.table} (seq, kind, key, account, file, line, record)
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[])`,
        [
          seqs,
          batch.map((staged) => staged.kind),
          batch.map((staged) => recordKey(staged)),
          batch.map((staged) => staged.record.partnerAccountId),
          batch.map((staged) => staged.file),
          batch.map((staged) => staged.line),
          batch.map((staged) => encodeRecord(staged)),
        ],
      );
    }
  }

  async apply(run: ImportRun, options: { readonly dryRun: boolean }): Promise<ImportSummary> {
    try {
      await this.run('BEGIN');
      try {
        // Imports into one schema take turns: each reads what the one before it wrote.
        await this.run('SELECT pg_advisory_xact_lock(hashtext($1))', [`ocp-gtm-migration-bot:import:${this.schema}`]);
        const writer = new BatchWriter(this.client);
        const runId = options.dryRun ? 0 : await writer.startRun(run);
        const counts = zeroImportCounts();
        for (const kind of INVENTORY_KINDS) await this.applyKind(writer, kind, runId, run.at, counts);
        const summary: ImportSummary = { counts, missingSolutions: await this.missingSolutions() };
        if (options.dryRun) {
          await this.run('ROLLBACK');
        } else {
          await writer.finishRun(runId, summary);
          await this.run('COMMIT');
          this.applied();
        }
        return summary;
      } catch (error: unknown) {
        await this.client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      await this.abandon();
    }
  }

  async abandon(): Promise<void> {
    if (this.released) return;
    this.released = true;
    // Dropped rather than left to the connection's end: the connection goes back to the pool.
    const dropped = await this.client.query(`DROP TABLE IF EXISTS ${this.table}, ${this.table}_claims`).then(
      () => true,
      () => false,
    );
    this.client.release(!dropped);
  }

  private async applyKind(
    writer: BatchWriter,
    kind: InventoryKind,
    runId: number,
    at: Date,
    counts: ImportCounts,
  ): Promise<void> {
    for (let after = 0; ;) {
      const { rows } = await this.run<StagedRow>(
        `SELECT seq, key, file, line, record FROM ${this.table} WHERE kind = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [kind, after, BATCH],
      );
      if (rows.length === 0) return;
      const changes = await writer.write(
        rows.map((row) => decodeRecord(kind, row.record)),
        at,
      );
      const audited: { row: StagedRow; change: Change }[] = [];
      changes.forEach((change, index) => {
        counts[kind][change.outcome]++;
        const row = rows[index];
        if (row && runId > 0 && (change.outcome === 'added' || change.outcome === 'updated')) audited.push({ row, change });
      });
      await writer.audit(runId, kind, audited);
      after = rows[rows.length - 1]?.seq ?? after;
    }
  }

  /** Solutions of the accounts this import lists solutions for, that it does not name. */
  private async missingSolutions(): Promise<ImportSummary['missingSolutions']> {
    const missing = `FROM solutions s
      WHERE s.partner_account_id IN (SELECT DISTINCT account FROM ${this.table} WHERE kind = 'solutions')
      AND NOT EXISTS (SELECT 1 FROM ${this.table} st WHERE st.kind = 'solutions' AND st.key = s.id)`;
    const total = (await this.run<{ n: number }>(`SELECT count(*) AS n ${missing}`)).rows[0]?.n ?? 0;
    const { rows } = await this.run<{ id: string }>(`SELECT s.id ${missing} ORDER BY s.id LIMIT $1`, [MISSING_LISTED]);
    return { total, ids: rows.map((row) => row.id) };
  }

  private run<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.client.query<R>(text, values);
  }
}

type RecordsOf<K extends InventoryKind> = readonly InventoryRecords[K][];

/**
 * Writes a batch of records of one kind: reads the stored rows the batch names in one statement,
 * works out each change as the embedded store does, and writes the changed rows in one statement.
 */
class BatchWriter {
  constructor(private readonly client: pg.PoolClient) {}

  async startRun(run: ImportRun): Promise<number> {
    const { rows } = await this.client.query<{ id: number }>(
      `INSERT INTO import_runs (at, actor, files, summary, state) VALUES ($1, $2, $3, '{}', 'applying') RETURNING id`,
      [run.at.getTime(), run.actor, JSON.stringify(run.files)],
    );
    const id = rows[0]?.id;
    if (id === undefined) throw new Error('import_runs returned no id');
    return id;
  }

  async finishRun(runId: number, summary: ImportSummary): Promise<void> {
    await this.client.query("UPDATE import_runs SET state = 'done', summary = $1 WHERE id = $2", [
      JSON.stringify(summary),
      runId,
    ]);
  }

  async audit(runId: number, kind: InventoryKind, changes: readonly { row: StagedRow; change: Change }[]): Promise<void> {
    if (changes.length === 0) return;
    await this.client.query(
      `INSERT INTO import_changes (run_id, kind, key, outcome, fields, file, line)
       SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::int[])`,
      [
        runId,
        kind,
        changes.map(({ row }) => row.key),
        changes.map(({ change }) => change.outcome),
        changes.map(({ change }) => JSON.stringify(change.changed)),
        changes.map(({ row }) => row.file),
        changes.map(({ row }) => row.line),
      ],
    );
  }

  /** The change of each record, in order; all of one kind. */
  async write(items: readonly InventoryRecord[], at: Date): Promise<readonly Change[]> {
    const kind = items[0]?.kind;
    if (kind === undefined) return [];
    switch (kind) {
      case 'partners':
        return this.partners(items.flatMap((item) => (item.kind === 'partners' ? [item.record] : [])));
      case 'members':
        return this.members(items.flatMap((item) => (item.kind === 'members' ? [item.record] : [])));
      case 'offers':
        return this.offers(items.flatMap((item) => (item.kind === 'offers' ? [item.record] : [])));
      case 'solutions':
        return this.solutions(
          items.flatMap((item) => (item.kind === 'solutions' ? [item.record] : [])),
          at,
        );
    }
  }

  private async partners(records: RecordsOf<'partners'>): Promise<Change[]> {
    const ids = records.map((record) => record.partnerAccountId);
    const stored = new Map(
      (
        await this.client.query<ImportedPartnerRow & { id: string }>(
          `SELECT ${IMPORTED_PARTNER_COLUMNS} FROM partner_accounts WHERE id = ANY($1::text[])`,
          [ids],
        )
      ).rows.map((row) => [row.id, row]),
    );
    const tenants = new Map<string, string[]>();
    const tenantRows = await this.client.query<{ partner_account_id: string; tenant_id: string }>(
      'SELECT partner_account_id, tenant_id FROM partner_tenants WHERE partner_account_id = ANY($1::text[]) ORDER BY tenant_id',
      [ids],
    );
    for (const row of tenantRows.rows)
      tenants.set(row.partner_account_id, [...(tenants.get(row.partner_account_id) ?? []), row.tenant_id]);

    const changes: Change[] = [];
    const written = new Map<string, { record: InventoryRecords['partners']; tenantIds: readonly string[] }>();
    for (const record of records) {
      const row = stored.get(record.partnerAccountId);
      const change = partnerChange(row && { row, tenantIds: tenants.get(record.partnerAccountId) ?? [] }, record);
      changes.push(change);
      if (change.outcome !== 'unchanged') written.set(record.partnerAccountId, { record, tenantIds: change.tenantIds });
    }
    if (written.size === 0) return changes;
    const rows = [...written.values()];
    await this.client.query(
      `INSERT INTO partner_accounts (id, name, partner_ids, cloud_partner_program_active, marketplace_enrolled)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[])
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, partner_ids = excluded.partner_ids,
         cloud_partner_program_active = excluded.cloud_partner_program_active,
         marketplace_enrolled = excluded.marketplace_enrolled`,
      [
        rows.map(({ record }) => record.partnerAccountId),
        rows.map(({ record }) => record.name),
        rows.map(({ record }) => JSON.stringify(record.partnerIds)),
        rows.map(({ record }) => (record.cloudPartnerProgramActive ? 1 : 0)),
        rows.map(({ record }) => (record.marketplaceEnrolled ? 1 : 0)),
      ],
    );
    await this.client.query('DELETE FROM partner_tenants WHERE partner_account_id = ANY($1::text[])', [[...written.keys()]]);
    const pairs = rows.flatMap(({ record, tenantIds }) =>
      tenantIds.map((tenantId) => [record.partnerAccountId, tenantId] as const),
    );
    await this.client.query(
      'INSERT INTO partner_tenants (partner_account_id, tenant_id) SELECT * FROM unnest($1::text[], $2::text[])',
      [pairs.map(([account]) => account), pairs.map(([, tenantId]) => tenantId)],
    );
    return changes;
  }

  private async members(records: RecordsOf<'members'>): Promise<Change[]> {
    const stored = await storedMembers(this.client, records);
    const { byId, byObject } = stored;
    const changes: Change[] = [];
    const written = new Map<string, StoredMember>();
    for (const record of records) {
      // The member may be stored already under their channel id, found then by their Entra object id.
      const change = memberChange(stored.find(record), record);
      changes.push(change);
      if (change.outcome === 'unchanged') continue;
      written.set(change.userId, change.member);
      // What a later record of the batch compares with is what this one wrote.
      const now: MemberRow = {
        user_id: change.userId,
        partner_account_id: change.member.partnerAccountId,
        display_name: change.member.displayName,
        role: change.member.role,
        tenant_id: change.member.tenantId ?? null,
        aad_object_id: change.member.aadObjectId ?? null,
        user_principal_name: change.member.userPrincipalName ?? null,
      };
      byId.set(now.user_id, now);
      if (now.aad_object_id !== null) byObject.set(`${now.tenant_id}|${now.aad_object_id}`, now);
    }
    if (written.size === 0) return changes;
    const members = [...written];
    await this.client.query(
      `INSERT INTO members (user_id, partner_account_id, display_name, role, tenant_id, aad_object_id, user_principal_name)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       ON CONFLICT (user_id) DO UPDATE SET partner_account_id = excluded.partner_account_id,
         display_name = excluded.display_name, role = excluded.role, tenant_id = excluded.tenant_id,
         aad_object_id = excluded.aad_object_id, user_principal_name = excluded.user_principal_name`,
      [
        members.map(([userId]) => userId),
        members.map(([, member]) => member.partnerAccountId),
        members.map(([, member]) => member.displayName),
        members.map(([, member]) => member.role),
        members.map(([, member]) => member.tenantId ?? null),
        members.map(([, member]) => member.aadObjectId ?? null),
        members.map(([, member]) => member.userPrincipalName ?? null),
      ],
    );
    return changes;
  }

  private async offers(records: RecordsOf<'offers'>): Promise<Change[]> {
    const { rows } = await this.client.query<ImportedOfferRow & { id: string }>(
      `SELECT ${IMPORTED_OFFER_COLUMNS} FROM offers WHERE id = ANY($1::text[])`,
      [records.map((record) => offerKey(record))],
    );
    const stored = new Map(rows.map((row) => [row.id, row]));
    const changes: Change[] = [];
    const written = new Map<string, OfferWrite>();
    for (const record of records) {
      const change = offerChange(stored.get(offerKey(record)), record);
      changes.push(change);
      if (change.outcome !== 'unchanged') written.set(change.write.id, change.write);
    }
    if (written.size === 0) return changes;
    const offers = [...written.values()];
    await this.client.query(
      `INSERT INTO offers (id, partner_account_id, publisher_id, offer_id, type, name, storefront, listing_url, publishing_state)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       ON CONFLICT (id) DO UPDATE SET partner_account_id = excluded.partner_account_id, type = excluded.type,
         name = excluded.name, storefront = excluded.storefront, listing_url = excluded.listing_url,
         publishing_state = excluded.publishing_state`,
      [
        offers.map((offer) => offer.id),
        offers.map((offer) => offer.partnerAccountId),
        offers.map((offer) => offer.publisherId),
        offers.map((offer) => offer.offerId),
        offers.map((offer) => offer.type),
        offers.map((offer) => offer.name),
        offers.map((offer) => offer.storefront),
        offers.map((offer) => offer.listingUrl),
        offers.map((offer) => offer.publishingState),
      ],
    );
    return changes;
  }

  private async solutions(records: RecordsOf<'solutions'>, at: Date): Promise<Change[]> {
    const { rows } = await this.client.query<ImportedSolutionRow & { id: string }>(
      `SELECT ${IMPORTED_SOLUTION_COLUMNS} FROM solutions WHERE id = ANY($1::text[])`,
      [records.map((record) => record.ocpSolutionId)],
    );
    const stored = new Map(rows.map((row) => [row.id, row]));
    const changes: Change[] = [];
    // An import names each solution once (the importer refuses duplicates), so no two writes meet.
    const added: { record: InventoryRecords['solutions']; status: string }[] = [];
    const updated: { record: InventoryRecords['solutions']; status: string }[] = [];
    for (const record of records) {
      const change = solutionChange(stored.get(record.ocpSolutionId), record);
      changes.push(change);
      if (change.outcome === 'added') added.push({ record, status: change.status });
      if (change.outcome === 'updated') updated.push({ record, status: change.status });
    }
    const columns = (list: typeof added) => [
      list.map(({ record }) => record.ocpSolutionId),
      list.map(({ record }) => record.partnerId),
      list.map(({ record }) => record.name),
      list.map(({ record }) => record.coSellStatus),
      list.map(({ record }) => record.openReferrals),
      list.map(({ record }) => record.collateralDocuments),
      list.map(({ status }) => status),
    ];
    if (added.length > 0) {
      await this.client.query(
        `INSERT INTO solutions (id, partner_id, name, co_sell_status, open_referrals, collateral_documents, status,
           partner_account_id, status_changed_at)
         SELECT *, $9::bigint
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[], $8::text[])`,
        [...columns(added), added.map(({ record }) => record.partnerAccountId), at.getTime()],
      );
    }
    if (updated.length > 0) {
      // A status that changes moves the solution's version on, as a decision would.
      await this.client.query(
        `UPDATE solutions s SET partner_id = u.partner_id, name = u.name, co_sell_status = u.co_sell_status,
           open_referrals = u.open_referrals, collateral_documents = u.collateral_documents, status = u.status,
           status_changed_at = CASE WHEN s.status = u.status THEN s.status_changed_at ELSE $8 END,
           version = CASE WHEN s.status = u.status THEN s.version ELSE s.version + 1 END
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[])
           AS u(id, partner_id, name, co_sell_status, open_referrals, collateral_documents, status)
         WHERE s.id = u.id`,
        [...columns(updated), at.getTime()],
      );
    }
    return changes;
  }
}
