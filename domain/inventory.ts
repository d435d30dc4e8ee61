import type { CoSellStatus, MigrationStatus, OfferType, PartnerRole, PublishingState, Storefront } from './model';

/**
 * A partner's inventory as OCP GTM's export gives it: accounts, the members who hold Partner Center
 * roles, solutions, and (optionally) offers. An import adds and updates these; it never overwrites
 * what a user decided in the bot, and never deletes.
 */

export interface PartnerRecord {
  readonly partnerAccountId: string;
  readonly name: string;
  readonly partnerIds: readonly string[];
  readonly cloudPartnerProgramActive: boolean;
  readonly marketplaceEnrolled: boolean;
  /** The Entra tenants whose users belong to the account. */
  readonly tenantIds: readonly string[];
}

export interface MemberRecord {
  readonly partnerAccountId: string;
  /** An Entra object id, a UPN or a channel user id: the member is found by any of them. */
  readonly userId: string;
  readonly displayName: string;
  readonly role: PartnerRole;
  readonly userPrincipalName?: string;
  readonly tenantId?: string;
}

export interface SolutionRecord {
  readonly partnerAccountId: string;
  readonly partnerId: string;
  readonly ocpSolutionId: string;
  readonly name: string;
  readonly coSellStatus: CoSellStatus;
  readonly openReferrals: number;
  readonly collateralDocuments: number;
  /** Migrated to a draft offer by the option removed on 17 May 2021. */
  readonly migratedAsDraft: boolean;
}

export interface OfferRecord {
  readonly partnerAccountId: string;
  readonly publisherId: string;
  readonly offerId: string;
  readonly name: string;
  readonly offerType: OfferType;
  readonly publishingState: PublishingState;
  readonly storefront?: Storefront;
  readonly listingUrl?: string;
}

export interface InventoryRecords {
  readonly partners: PartnerRecord;
  readonly members: MemberRecord;
  readonly offers: OfferRecord;
  readonly solutions: SolutionRecord;
}

/** The kinds in the order an import applies them: what a row refers to comes before it. */
export const INVENTORY_KINDS = [
  'partners',
  'members',
  'offers',
  'solutions',
] as const satisfies readonly (keyof InventoryRecords)[];
export type InventoryKind = (typeof INVENTORY_KINDS)[number];

export type InventoryRecord = { [K in InventoryKind]: { readonly kind: K; readonly record: InventoryRecords[K] } }[InventoryKind];

/** The key a row is known by within its kind. */
export function recordKey(item: InventoryRecord): string {
  switch (item.kind) {
    case 'partners':
      return item.record.partnerAccountId;
    case 'members':
      return item.record.userId;
    case 'offers':
      return offerKey(item.record);
    case 'solutions':
      return item.record.ocpSolutionId;
  }
}

/** An offer's id as the bot knows it: `{publisherId}.{offerId}`, what listing URLs end with. */
export function offerKey(offer: Pick<OfferRecord, 'publisherId' | 'offerId'>): string {
  return `${offer.publisherId}.${offer.offerId}`;
}

export const IMPORT_OUTCOMES = ['added', 'updated', 'unchanged', 'kept'] as const;
/** What an import did to one row: `kept` is a solution whose decision in the bot stands. */
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

/** Statuses a user reached in the bot: an import never overwrites them, nor the solution's details. */
export const DECIDED_STATUSES: readonly MigrationStatus[] = ['awaitingNewOffer', 'mergeRequested', 'merged', 'discarded'];

/** The status an imported solution starts in, or returns to while nobody has decided. */
export function importedStatus(record: SolutionRecord): MigrationStatus {
  return record.migratedAsDraft ? 'migratedAsDraft' : 'pendingAction';
}

/** A solution as stored, as far as an import compares it. */
export type StoredSolution = Omit<SolutionRecord, 'migratedAsDraft'> & { readonly status: MigrationStatus };

/** What an import does to a solution, and which of its fields change. */
export function solutionOutcome(
  stored: StoredSolution | undefined,
  incoming: SolutionRecord,
): { readonly outcome: ImportOutcome; readonly changed: readonly string[] } {
  if (!stored) return { outcome: 'added', changed: [] };
  if (DECIDED_STATUSES.includes(stored.status)) return { outcome: 'kept', changed: [] };
  const changed = changedFields(stored, { ...incoming, status: importedStatus(incoming) }, [
    'partnerId',
    'name',
    'coSellStatus',
    'openReferrals',
    'collateralDocuments',
    'status',
  ]);
  return { outcome: changed.length > 0 ? 'updated' : 'unchanged', changed };
}

/** The fields whose values differ; lists are compared element by element. */
export function changedFields<T extends object>(stored: T, incoming: T, fields: readonly (keyof T & string)[]): string[] {
  return fields.filter((field) => !sameValue(stored[field], incoming[field]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  return a === b;
}

/** Counts of what an import did, per kind and outcome. */
export type ImportCounts = Record<InventoryKind, Record<ImportOutcome, number>>;

export function zeroImportCounts(): ImportCounts {
  const zero = (): Record<ImportOutcome, number> => ({ added: 0, updated: 0, unchanged: 0, kept: 0 });
  return { partners: zero(), members: zero(), offers: zero(), solutions: zero() };
}

export interface ImportSummary {
  readonly counts: ImportCounts;
  /**
   * Solutions stored for an account that the import lists solutions of, but that the import does
   * not name: reported, never deleted. At most `MISSING_LISTED` ids, with the total.
   */
  readonly missingSolutions: { readonly total: number; readonly ids: readonly string[] };
}

export const MISSING_LISTED = 20;

export function changedAnything(summary: ImportSummary): boolean {
  return Object.values(summary.counts).some((counts) => counts.added > 0 || counts.updated > 0);
}
