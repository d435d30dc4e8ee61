import type { ImportSummary, InventoryKind, InventoryRecord, MemberRecord } from '../inventory';

/** A row of an import, with where it came from: the audit trail names the file. */
export type StagedRecord = InventoryRecord & { readonly file: string; readonly line: number };

/** One run of an import, as its audit trail records it. */
export interface ImportRun {
  readonly at: Date;
  /** Who ran it: the command line, or the running bot on its admin endpoint. */
  readonly actor: string;
  readonly files: readonly string[];
}

/** A run that was applying when its process stopped: the rows of the batches it had committed are in the store. */
export interface InterruptedRun extends ImportRun {
  readonly id: number;
}

/**
 * A key that a row of an import holds within the import, beyond its own key: a PartnerID for its
 * account, a member's identity. The first row to claim a key holds it.
 */
export interface Claim {
  readonly key: string;
  /** The partner account of the row. */
  readonly account: string;
  readonly file: string;
  readonly line: number;
  /** The row's place among the import's rows: rows of one line (a JSON document on one line) are told apart by it. */
  readonly ordinal: number;
}

/** What rows claim besides their own key: a PartnerID for an account, a member's identity. */
export type ClaimSpace = 'partnerId' | 'member';

/**
 * Where imports write. Rows are staged aside, where the bot does not see them, while the files are
 * read and checked; then applied, or dropped when any row was refused. What the check looks up
 * across rows (keys seen, the import's accounts, claims) is kept there too, so that an import of
 * any size is checked in bounded memory.
 */
export interface InventoryStore {
  /** Stored partner accounts among `ids`, with their PartnerIDs. */
  storedPartners(ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
  /** The account each of these PartnerIDs is stored under, for those that are. */
  partnerIdOwners(partnerIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** The account each of these solutions or offers is stored under, for those that are. */
  owners(kind: 'solutions' | 'offers', keys: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /**
   * The stored member each of these members' rows would write to, by the user id of the row: the
   * member stored under that user id, else the one with its Entra object id in its tenant.
   */
  storedMemberIds(records: readonly MemberRecord[]): Promise<ReadonlyMap<string, string>>;
  beginImport(): Promise<InventoryImport>;
  /** Runs a stopped process left applying are marked interrupted: which they are. */
  markInterruptedRuns(): Promise<readonly InterruptedRun[]>;
}

export interface InventoryImport {
  /** The rows staged so far under these keys of a kind. */
  staged(kind: InventoryKind, keys: readonly string[]): Promise<ReadonlyMap<string, StagedRecord>>;
  /** Stages rows, one of each key: a later row of a key already staged is the same row listed twice, and refused. */
  stage(records: readonly StagedRecord[]): Promise<void>;
  /** Claims each key for its row unless an earlier row holds it; answers the holder of every key. */
  claim(space: ClaimSpace, claims: readonly Claim[]): Promise<ReadonlyMap<string, Claim>>;
  /**
   * Applies what is staged: adds and updates, never overwriting a decision made in the bot, never
   * deleting, with an audit entry per change. A dry run computes the same summary and writes
   * nothing. Either way the staging is gone afterwards. Only an import none of whose rows was
   * refused is applied.
   */
  apply(run: ImportRun, options: { readonly dryRun: boolean }): Promise<ImportSummary>;
  /** Drops what was staged: the import was refused or given up. */
  abandon(): Promise<void>;
}
