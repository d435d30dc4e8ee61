import type { ImportSummary, InventoryRecord } from '../inventory';

/** A row of an import, with where it came from: the audit trail names the file. */
export type StagedRecord = InventoryRecord & { readonly file: string; readonly line: number };

/** One run of an import, as its audit trail records it. */
export interface ImportRun {
  readonly at: Date;
  /** Who ran it: the command line, or the running bot on its admin endpoint. */
  readonly actor: string;
  readonly files: readonly string[];
}

/**
 * Where imports write. Rows are staged aside, where the bot does not see them, while the files are
 * read and checked; then applied all at once, or dropped when any row was refused.
 */
export interface InventoryStore {
  /** Stored partner accounts among `ids`, with their PartnerIDs. */
  storedPartners(ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
  /** The account each of these PartnerIDs is stored under, for those that are. */
  partnerIdOwners(partnerIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** The account each of these solutions or offers is stored under, for those that are. */
  owners(kind: 'solutions' | 'offers', keys: readonly string[]): Promise<ReadonlyMap<string, string>>;
  beginImport(): Promise<InventoryImport>;
}

export interface InventoryImport {
  stage(records: readonly StagedRecord[]): Promise<void>;
  /**
   * Applies what is staged in one transaction: adds and updates, never overwriting a decision made
   * in the bot, never deleting, with an audit entry per change. A dry run computes the same summary
   * and writes nothing. Either way the staging is gone afterwards.
   */
  apply(run: ImportRun, options: { readonly dryRun: boolean }): Promise<ImportSummary>;
  /** Drops what was staged: the import was refused or given up. */
  abandon(): Promise<void>;
}
