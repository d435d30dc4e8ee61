import { INVENTORY_KINDS, recordKey, type ImportSummary, type InventoryKind } from '../../domain/inventory';
import type { Clock } from '../../domain/ports/clock';
import type { InventoryImport, InventoryStore, StagedRecord } from '../../domain/ports/inventory';
import { FileError, openInventoryFile, type ImportFile, type InventoryFile, type RawRow } from './files';
import { checkRow } from './rows';

/** One thing wrong with an import, where it is: reported as `FILE:LINE: COLUMN: reason`. */
export interface ImportProblem {
  readonly file: string;
  readonly line: number;
  readonly column: string;
  readonly reason: string;
}

export function problemLine(problem: ImportProblem): string {
  return `${problem.file}:${problem.line}: ${problem.column}: ${problem.reason}`;
}

/** Rows read of each kind, and how many of them were refused. */
export type RowsRead = Record<InventoryKind, { rows: number; refused: number }>;

export type ImportReport =
  | { readonly ok: true; readonly dryRun: boolean; readonly read: RowsRead; readonly summary: ImportSummary }
  | { readonly ok: false; readonly read: RowsRead; readonly problems: readonly ImportProblem[] };

export interface ImportProgress {
  readonly phase: 'checking' | 'applying';
  readonly rows: number;
}

export interface ImportOptions {
  readonly dryRun: boolean;
  /** Who runs the import, for its audit trail. */
  readonly actor: string;
  readonly onProgress?: (progress: ImportProgress) => void;
}

/** Rows are checked against the store and staged this many at a time. */
const BATCH = 2000;

/**
 * Imports inventory files: every row is checked (its fields, duplicates, what it refers to in the
 * import and in the store) and staged; only when no row was refused is the whole import applied, in
 * one transaction. Kinds are read in the order they refer to each other, whatever the file order.
 */
export class InventoryImporter {
  constructor(
    private readonly store: InventoryStore,
    private readonly clock: Clock,
  ) {}

  async run(inputs: readonly ImportFile[], options: ImportOptions): Promise<ImportReport> {
    const problems: ImportProblem[] = [];
    const files: InventoryFile[] = [];
    for (const input of inputs) {
      const opened = await openInventoryFile(input);
      if (opened.ok) files.push(opened.file);
      else problems.push({ file: input.name, ...opened.problem });
    }
    const staging = await this.store.beginImport();
    try {
      const check = new ImportCheck(this.store, staging, problems);
      for (const kind of INVENTORY_KINDS) {
        for (const file of files.filter((candidate) => candidate.kinds.includes(kind))) {
          await check.file(file, kind, options.onProgress);
        }
      }
      if (problems.length > 0) {
        await staging.abandon();
        // Kinds are read in their order, not the files': report in the files' order, line by line.
        const order = new Map(inputs.map((input, index) => [input.name, index]));
        const sorted = [...problems].sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line);
        return { ok: false, read: check.read, problems: sorted };
      }
      options.onProgress?.({ phase: 'applying', rows: check.rows });
      const run = { at: this.clock.now(), actor: options.actor, files: inputs.map((input) => input.name) };
      const summary = await staging.apply(run, { dryRun: options.dryRun });
      return { ok: true, dryRun: options.dryRun, read: check.read, summary };
    } catch (error: unknown) {
      await staging.abandon();
      throw error;
    }
  }
}

/** What one import has seen so far, for the checks that look across rows and into the store. */
class ImportCheck {
  rows = 0;
  readonly read: RowsRead = {
    partners: { rows: 0, refused: 0 },
    members: { rows: 0, refused: 0 },
    offers: { rows: 0, refused: 0 },
    solutions: { rows: 0, refused: 0 },
  };
  /** Where each key of each kind was first seen: the second sighting is a duplicate. */
  private readonly seen = new Map<InventoryKind, Map<string, string>>(INVENTORY_KINDS.map((kind) => [kind, new Map()]));
  /** The accounts of this import, with their PartnerIDs; they replace what is stored for them. */
  private readonly accounts = new Map<string, readonly string[]>();
  private readonly partnerIdAccounts = new Map<string, string>();
  /** Stored accounts looked up so far; `null` for one that is not stored. */
  private readonly storedAccounts = new Map<string, readonly string[] | null>();

  constructor(
    private readonly store: InventoryStore,
    private readonly staging: InventoryImport,
    private readonly problems: ImportProblem[],
  ) {}

  async file(file: InventoryFile, kind: InventoryKind, onProgress?: (progress: ImportProgress) => void): Promise<void> {
    let batch: RawRow[] = [];
    let broken: FileError | undefined;
    try {
      for await (const row of file.rows(kind)) {
        batch.push(row);
        if (batch.length < BATCH) continue;
        await this.batch(file.name, kind, batch);
        onProgress?.({ phase: 'checking', rows: this.rows });
        batch = [];
      }
    } catch (error: unknown) {
      if (!(error instanceof FileError)) throw error;
      broken = error;
    }
    // The rows read before a file turned out malformed are checked too: every problem is reported.
    await this.batch(file.name, kind, batch);
    onProgress?.({ phase: 'checking', rows: this.rows });
    if (broken) this.problems.push({ file: file.name, ...broken.problem });
  }

  private async batch(file: string, kind: InventoryKind, rows: readonly RawRow[]): Promise<void> {
    this.rows += rows.length;
    this.read[kind].rows += rows.length;
    const good: StagedRecord[] = [];
    for (const row of rows) {
      const checked = checkRow(kind, row.fields);
      if (!checked.ok) {
        for (const problem of checked.problems) this.problems.push({ file, line: row.line, ...problem });
        continue;
      }
      const where = `${file}:${row.line}`;
      const key = recordKey(checked.item);
      const first = this.seen.get(kind)?.get(key);
      if (first !== undefined) {
        this.refuse(file, row.line, keyColumn(kind), `${key} is listed twice (first at ${first})`);
        continue;
      }
      this.seen.get(kind)?.set(key, where);
      good.push({ ...checked.item, file, line: row.line });
    }
    const referable = await this.references(good);
    this.read[kind].refused += rows.length - referable.length;
    if (this.problems.length === 0 && referable.length > 0) await this.staging.stage(referable);
  }

  /** The rows whose references hold: accounts, PartnerIDs, and what is stored under another account. */
  private async references(rows: readonly StagedRecord[]): Promise<StagedRecord[]> {
    await this.lookUpAccounts(rows.flatMap((row) => (row.kind === 'partners' ? [] : [row.record.partnerAccountId])));
    const partnerIdOwners = await this.store.partnerIdOwners(
      rows.flatMap((row) => (row.kind === 'partners' ? row.record.partnerIds : [])),
    );
    const storedOwners = await this.storedOwners(rows);
    return rows.filter((row) => {
      const reason = this.referenceProblem(row, partnerIdOwners, storedOwners);
      if (reason) this.refuse(row.file, row.line, reason.column, reason.reason);
      return !reason;
    });
  }

  private referenceProblem(
    row: StagedRecord,
    partnerIdOwners: ReadonlyMap<string, string>,
    storedOwners: ReadonlyMap<string, string>,
  ): { column: string; reason: string } | undefined {
    if (row.kind === 'partners') {
      const { partnerAccountId: account, partnerIds } = row.record;
      // Known from here on even if refused, so that its members and solutions are not refused as well.
      this.accounts.set(account, partnerIds);
      let conflict: { partnerId: string; owner: string } | undefined;
      for (const partnerId of partnerIds) {
        const owner = this.partnerIdAccounts.get(partnerId) ?? partnerIdOwners.get(partnerId);
        if (owner === undefined || owner === account) this.partnerIdAccounts.set(partnerId, account);
        else conflict ??= { partnerId, owner };
      }
      return (
        conflict && {
          column: 'partnerIds',
          reason: `PartnerID ${conflict.partnerId} belongs to partner account ${conflict.owner}`,
        }
      );
    }
    const account = row.record.partnerAccountId;
    const partnerIds = this.accounts.get(account) ?? this.storedAccounts.get(account);
    if (!partnerIds) return { column: 'partnerAccountId', reason: `no partner account ${account}, in this import or stored` };
    if (row.kind === 'members') return undefined;
    const key = recordKey(row);
    const owner = storedOwners.get(key);
    if (owner !== undefined && owner !== account) {
      return { column: keyColumn(row.kind), reason: `${key} belongs to partner account ${owner}` };
    }
    if (row.kind === 'solutions' && !partnerIds.includes(row.record.partnerId)) {
      return { column: 'partnerId', reason: `${row.record.partnerId} is not a PartnerID of partner account ${account}` };
    }
    return undefined;
  }

  private async lookUpAccounts(ids: readonly string[]): Promise<void> {
    const unknown = [...new Set(ids)].filter((id) => !this.accounts.has(id) && !this.storedAccounts.has(id));
    if (unknown.length === 0) return;
    const stored = await this.store.storedPartners(unknown);
    for (const id of unknown) this.storedAccounts.set(id, stored.get(id) ?? null);
  }

  /** Of a batch of solutions or offers (a batch is of one kind), the account each is stored under. */
  private async storedOwners(rows: readonly StagedRecord[]): Promise<ReadonlyMap<string, string>> {
    const kind = rows[0]?.kind;
    return kind === 'solutions' || kind === 'offers' ? this.store.owners(kind, rows.map(recordKey)) : new Map();
  }

  private refuse(file: string, line: number, column: string, reason: string): void {
    this.problems.push({ file, line, column, reason });
  }
}

function keyColumn(kind: InventoryKind): string {
  return { partners: 'partnerAccountId', members: 'userId', offers: 'offerId', solutions: 'ocpSolutionId' }[kind];
}
