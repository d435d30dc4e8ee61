import { setImmediate as nextTurn } from 'node:timers/promises';
import { INVENTORY_KINDS, recordKey, type ImportSummary, type InventoryKind } from '../../domain/inventory';
import type { Clock } from '../../domain/ports/clock';
import type { Claim, InventoryImport, InventoryStore, StagedRecord } from '../../domain/ports/inventory';
import { noTelemetry, type Telemetry } from '../../domain/ports/telemetry';
import { memberObjectId } from '../../store/rows/inventory';
import { FileError, openInventoryFile, type ImportFile, type InventoryFile, type RawRow } from './files';
import { checkRow, type FieldProblem } from './rows';

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
  | {
      readonly ok: false;
      readonly read: RowsRead;
      /** The first REPORTED_PROBLEMS problems, in the files' order and line by line. */
      readonly problems: readonly ImportProblem[];
      /** All of them: more than `problems` lists when there were more than REPORTED_PROBLEMS. */
      readonly problemCount: number;
    };

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

/** Rows are checked against the store and staged this many at a time, each batch a turn of its own. */
const BATCH = 250;
/** A refused import lists this many problems, the first by file and line, and counts the rest. */
export const REPORTED_PROBLEMS = 1000;

/**
 * Imports inventory files: every row is checked (its fields, duplicates, what it refers to in the
 * import and in the store) and staged; only when no row was refused is the import applied. Kinds
 * are read in the order they refer to each other, whatever the file order. What the check looks
 * up across rows is in the store beside the staged rows, never in memory.
 */
export class InventoryImporter {
  constructor(
    private readonly store: InventoryStore,
    private readonly clock: Clock,
    private readonly telemetry: Telemetry = noTelemetry,
  ) {}

  /** The import as an operation, its store's calls within it, counted and timed by how it ended. */
  run(inputs: readonly ImportFile[], options: ImportOptions): Promise<ImportReport> {
    return this.telemetry.operation('import', { 'bot.dry_run': options.dryRun }, async () => {
      const started = performance.now();
      let report: ImportReport | undefined;
      try {
        report = await this.checkAndApply(inputs, options);
        return report;
      } finally {
        const outcome = !report ? 'failed' : !report.ok ? 'refused' : report.dryRun ? 'checked' : 'imported';
        const attributes = { 'bot.outcome': outcome, 'bot.dry_run': options.dryRun };
        this.telemetry.describe(attributes, { failed: outcome === 'failed' });
        this.telemetry.count('bot.imports', 1, attributes);
        this.telemetry.record('bot.import.duration', performance.now() - started, attributes);
        if (report) {
          const rows = Object.values(report.read).reduce((sum, read) => sum + read.rows, 0);
          this.telemetry.count('bot.import.rows', rows, attributes);
          this.telemetry.count('bot.import.problems', report.ok ? 0 : report.problemCount, attributes);
        }
      }
    });
  }

  private async checkAndApply(inputs: readonly ImportFile[], options: ImportOptions): Promise<ImportReport> {
    const problems = new ProblemList(inputs.map((input) => input.name));
    const files: InventoryFile[] = [];
    for (const input of inputs) {
      const opened = await openInventoryFile(input);
      if (opened.ok) files.push(opened.file);
      else problems.add({ file: input.name, ...opened.problem });
    }
    const staging = await this.store.beginImport();
    try {
      const check = new ImportCheck(this.store, staging, problems);
      for (const kind of INVENTORY_KINDS) {
        for (const file of files.filter((candidate) => candidate.kinds.includes(kind))) {
          await check.file(file, kind, options.onProgress);
        }
      }
      if (problems.count > 0) {
        await staging.abandon();
        return { ok: false, read: check.read, problems: problems.first(), problemCount: problems.count };
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

/**
 * Problems as they are found (kinds are read in their order, not the files'), kept to the first
 * REPORTED_PROBLEMS in the files' order, line by line, and counted.
 */
class ProblemList {
  count = 0;
  private kept: ImportProblem[] = [];
  private readonly order: ReadonlyMap<string, number>;

  constructor(files: readonly string[]) {
    this.order = new Map(files.map((file, index) => [file, index]));
  }

  add(problem: ImportProblem): void {
    this.count++;
    this.kept.push(problem);
    if (this.kept.length >= 2 * REPORTED_PROBLEMS) this.trim();
  }

  first(): ImportProblem[] {
    this.trim();
    return this.kept;
  }

  /** Sorted, and cut to the first ones: the sort is stable, so a row's problems keep the order they were found in. */
  private trim(): void {
    const at = (problem: ImportProblem): number => this.order.get(problem.file) ?? 0;
    this.kept = this.kept.sort((a, b) => at(a) - at(b) || a.line - b.line).slice(0, REPORTED_PROBLEMS);
  }
}

/** A row that passed its field checks, numbered in the order read: rows of one line (a JSON document on one line) are told apart. */
type CheckedRow = StagedRecord & { readonly ordinal: number };

/** What one import has seen so far, for the checks that look across rows and into the store. */
class ImportCheck {
  rows = 0;
  readonly read: RowsRead = {
    partners: { rows: 0, refused: 0 },
    members: { rows: 0, refused: 0 },
    offers: { rows: 0, refused: 0 },
    solutions: { rows: 0, refused: 0 },
  };

  constructor(
    private readonly store: InventoryStore,
    private readonly staging: InventoryImport,
    private readonly problems: ProblemList,
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
        // Reading, checking and staging a batch is one turn: the bot's own turns come between.
        await nextTurn();
      }
    } catch (error: unknown) {
      if (!(error instanceof FileError)) throw error;
      broken = error;
    }
    // The rows read before a file turned out malformed are checked too: every problem is reported.
    await this.batch(file.name, kind, batch);
    onProgress?.({ phase: 'checking', rows: this.rows });
    if (broken) this.problems.add({ file: file.name, ...broken.problem });
  }

  private async batch(file: string, kind: InventoryKind, rows: readonly RawRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.rows += rows.length;
    this.read[kind].rows += rows.length;
    const valid: CheckedRow[] = [];
    for (const [index, row] of rows.entries()) {
      const checked = row.problems ? { ok: false as const, problems: row.problems } : checkRow(kind, row.fields);
      if (checked.ok) valid.push({ ...checked.item, file, line: row.line, ordinal: this.rows - rows.length + index });
      else for (const problem of checked.problems) this.refuse(file, row.line, problem);
    }
    // The first row of a key is staged: a later one is the same row listed twice.
    const earlier = await this.staging.staged(kind, valid.map(recordKey));
    const firsts = new Map<string, CheckedRow>();
    const unique = valid.filter((row) => {
      const key = recordKey(row);
      const first = earlier.get(key) ?? firsts.get(key);
      if (!first) {
        firsts.set(key, row);
        return true;
      }
      this.refuse(row.file, row.line, {
        column: keyColumn(kind),
        reason: `${key} is listed twice (first at ${first.file}:${first.line})`,
      });
      return false;
    });
    // Staged even when refused for what they refer to: a later row of the same key is still a duplicate, and an account still known.
    await this.staging.stage(unique);
    const referable = kind === 'partners' ? await this.partnerIdsHold(unique) : await this.referencesHold(kind, unique);
    this.read[kind].refused += rows.length - referable.length;
  }

  /**
   * The partner rows whose PartnerIDs are theirs: stored under no other account, and claimed by no
   * other account's row before. A PartnerID stored under another account is not claimed.
   */
  private async partnerIdsHold(rows: readonly CheckedRow[]): Promise<CheckedRow[]> {
    const partners = rows.flatMap((row) => (row.kind === 'partners' ? [{ row, ...row.record }] : []));
    const stored = await this.store.partnerIdOwners(partners.flatMap((partner) => partner.partnerIds));
    const claims = partners.flatMap(({ row, partnerAccountId: account, partnerIds }) =>
      partnerIds
        .filter((partnerId) => (stored.get(partnerId) ?? account) === account)
        .map((partnerId) => claimOf(row, partnerId)),
    );
    const holders = await this.staging.claim('partnerId', claims);
    return partners.flatMap(({ row, partnerAccountId: account, partnerIds }) => {
      const conflict = partnerIds
        .map((partnerId) => ({ partnerId, owner: stored.get(partnerId) ?? holders.get(partnerId)?.account ?? account }))
        .find(({ owner }) => owner !== account);
      if (!conflict) return [row];
      this.refuse(row.file, row.line, {
        column: 'partnerIds',
        reason: `PartnerID ${conflict.partnerId} belongs to partner account ${conflict.owner}`,
      });
      return [];
    });
  }

  /** The rows of other kinds whose references hold: their account, its PartnerIDs, what is stored under another account. */
  private async referencesHold(kind: InventoryKind, rows: readonly CheckedRow[]): Promise<CheckedRow[]> {
    const accounts = await this.accountsOf(rows);
    const storedOwners =
      kind === 'solutions' || kind === 'offers' ? await this.store.owners(kind, rows.map(recordKey)) : new Map<string, string>();
    const sameMember = kind === 'members' ? await this.sameMembers(rows) : new Map<CheckedRow, Claim>();
    return rows.filter((row) => {
      const problem = referenceProblem(row, accounts, storedOwners, sameMember.get(row));
      if (problem) this.refuse(row.file, row.line, problem);
      return !problem;
    });
  }

  /** The PartnerIDs of each account these rows name: the import's own account, else the stored one. */
  private async accountsOf(rows: readonly CheckedRow[]): Promise<ReadonlyMap<string, readonly string[]>> {
    const ids = [...new Set(rows.map((row) => row.record.partnerAccountId))];
    const imported = await this.staging.staged('partners', ids);
    const accounts = new Map(await this.store.storedPartners(ids.filter((id) => !imported.has(id))));
    for (const [id, staged] of imported) if (staged.kind === 'partners') accounts.set(id, staged.record.partnerIds);
    return accounts;
  }

  /**
   * Member rows that would write to the same member as an earlier row: by the stored member they
   * find, or by the same Entra object id in the same tenant. Applied, the later row would silently
   * replace the earlier one, in whichever order the rows came.
   */
  private async sameMembers(rows: readonly CheckedRow[]): Promise<Map<CheckedRow, Claim>> {
    const members = rows.flatMap((row) => (row.kind === 'members' ? [{ row, record: row.record }] : []));
    const stored = await this.store.storedMemberIds(members.map(({ record }) => record));
    const identities = members.map(({ row, record }) => {
      const objectId = memberObjectId(record);
      const keys = [`user:${stored.get(record.userId) ?? record.userId}`];
      if (objectId) keys.push(`object:${record.tenantId ?? ''}|${objectId}`);
      return { row, keys };
    });
    const holders = await this.staging.claim(
      'member',
      identities.flatMap(({ row, keys }) => keys.map((key) => claimOf(row, key))),
    );
    const same = new Map<CheckedRow, Claim>();
    for (const { row, keys } of identities) {
      const earlier = keys.map((key) => holders.get(key)).find((holder) => holder && !isRow(holder, row));
      if (earlier) same.set(row, earlier);
    }
    return same;
  }

  private refuse(file: string, line: number, problem: FieldProblem): void {
    this.problems.add({ file, line, ...problem });
  }
}

function referenceProblem(
  row: CheckedRow,
  accounts: ReadonlyMap<string, readonly string[]>,
  storedOwners: ReadonlyMap<string, string>,
  sameMember: Claim | undefined,
): FieldProblem | undefined {
  const account = row.record.partnerAccountId;
  const partnerIds = accounts.get(account);
  if (!partnerIds) return { column: 'partnerAccountId', reason: `no partner account ${account}, in this import or stored` };
  if (row.kind === 'members') {
    return (
      sameMember && {
        column: 'userId',
        reason: `${row.record.userId} is the same member as the row at ${sameMember.file}:${sameMember.line}`,
      }
    );
  }
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

/** A row's claim on a key. */
function claimOf(row: CheckedRow, key: string): Claim {
  return { key, account: row.record.partnerAccountId, file: row.file, line: row.line, ordinal: row.ordinal };
}

function isRow(claim: Claim, row: CheckedRow): boolean {
  return claim.ordinal === row.ordinal;
}

function keyColumn(kind: InventoryKind): string {
  return { partners: 'partnerAccountId', members: 'userId', offers: 'offerId', solutions: 'ocpSolutionId' }[kind];
}
