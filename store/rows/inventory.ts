import {
  changedFields,
  importedStatus,
  offerKey,
  solutionOutcome,
  type ImportOutcome,
  type MemberRecord,
  type OfferRecord,
  type PartnerRecord,
  type SolutionRecord,
} from '../../domain/inventory';
import { storefrontFor } from '../../domain/listingUrl';
import { CO_SELL_STATUSES, MIGRATION_STATUSES, type MigrationStatus, type PartnerRole } from '../../domain/model';
import { oneOf, stringArray } from './columns';
import { toMember, type MemberRow } from './partners';

/**
 * What an import does to one stored row, worked out the same way on either store: each adapter
 * reads the rows, asks these functions what changes, and writes what they return.
 */

/** A change an import makes to one row, for its audit trail. */
export interface Change {
  readonly outcome: ImportOutcome;
  readonly changed: readonly string[];
}

export interface ImportedPartnerRow {
  name: string;
  partner_ids: string;
  cpp: number;
  enrolled: number;
}

export const IMPORTED_PARTNER_COLUMNS =
  'id, name, partner_ids, cloud_partner_program_active AS cpp, marketplace_enrolled AS enrolled';

export interface PartnerChange extends Change {
  /** The account's tenants as they are written: each once, sorted. */
  readonly tenantIds: readonly string[];
}

export function partnerChange(
  stored: { readonly row: ImportedPartnerRow; readonly tenantIds: readonly string[] } | undefined,
  record: PartnerRecord,
): PartnerChange {
  const incoming = { ...record, tenantIds: [...new Set(record.tenantIds)].sort() };
  const before: PartnerRecord | undefined = stored && {
    partnerAccountId: record.partnerAccountId,
    name: stored.row.name,
    partnerIds: stringArray(stored.row.partner_ids, 'partner_accounts.partner_ids'),
    cloudPartnerProgramActive: stored.row.cpp === 1,
    marketplaceEnrolled: stored.row.enrolled === 1,
    tenantIds: stored.tenantIds,
  };
  const change = compare(before, incoming, [
    'name',
    'partnerIds',
    'cloudPartnerProgramActive',
    'marketplaceEnrolled',
    'tenantIds',
  ]);
  return { ...change, tenantIds: incoming.tenantIds };
}

/** A member as the store keeps them: an Entra object id or a UPN given as the user id is also kept as such. */
export interface StoredMember {
  readonly partnerAccountId: string;
  readonly displayName: string;
  readonly role: PartnerRole;
  readonly tenantId: string | undefined;
  readonly aadObjectId: string | undefined;
  readonly userPrincipalName: string | undefined;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function storedMember(record: MemberRecord): StoredMember {
  const upn = record.userPrincipalName ?? (record.userId.includes('@') ? record.userId : undefined);
  return {
    partnerAccountId: record.partnerAccountId,
    displayName: record.displayName,
    role: record.role,
    tenantId: record.tenantId,
    aadObjectId: memberObjectId(record),
    userPrincipalName: upn,
  };
}

/** The Entra object id a member's user id is, if it is one: by it a member stored under a channel id is found. */
export function memberObjectId(record: MemberRecord): string | undefined {
  return GUID.test(record.userId) ? record.userId.toLowerCase() : undefined;
}

export interface MemberChange extends Change {
  /** The user id the member is written under: the stored one when they were found by object id. */
  readonly userId: string;
  readonly member: StoredMember;
}

export function memberChange(row: MemberRow | undefined, record: MemberRecord): MemberChange {
  const member = storedMember(record);
  const stored = row && toMember(row);
  const before: StoredMember | undefined = stored && {
    partnerAccountId: stored.partnerAccountId,
    displayName: stored.displayName,
    role: stored.role,
    tenantId: stored.tenantId,
    aadObjectId: stored.aadObjectId,
    userPrincipalName: stored.userPrincipalName,
  };
  const change = compare(before, member, [
    'partnerAccountId',
    'displayName',
    'role',
    'tenantId',
    'aadObjectId',
    'userPrincipalName',
  ]);
  return { ...change, userId: row?.user_id ?? record.userId, member };
}

export interface ImportedOfferRow {
  partner_account_id: string;
  type: string;
  name: string;
  storefront: string;
  listing_url: string | null;
  publishing_state: string;
}

export const IMPORTED_OFFER_COLUMNS = 'id, partner_account_id, type, name, storefront, listing_url, publishing_state';

/** An offer row as an import writes it. */
export interface OfferWrite {
  readonly id: string;
  readonly partnerAccountId: string;
  readonly publisherId: string;
  readonly offerId: string;
  readonly type: string;
  readonly name: string;
  readonly storefront: string;
  readonly listingUrl: string | null;
  readonly publishingState: string;
}

export function offerChange(row: ImportedOfferRow | undefined, record: OfferRecord): Change & { readonly write: OfferWrite } {
  const incoming = {
    partnerAccountId: record.partnerAccountId,
    type: record.offerType,
    name: record.name,
    storefront: record.storefront ?? storefrontFor(record.offerType),
    listingUrl: record.listingUrl ?? null,
    publishingState: record.publishingState,
  };
  const stored = row && {
    partnerAccountId: row.partner_account_id,
    type: row.type,
    name: row.name,
    storefront: row.storefront,
    // An offer that went live has its listing; an import that does not give one keeps it.
    listingUrl: record.listingUrl === undefined ? null : row.listing_url,
    publishingState: row.publishing_state,
  };
  const change = compare(stored, incoming, ['partnerAccountId', 'type', 'name', 'storefront', 'listingUrl', 'publishingState']);
  const write: OfferWrite = {
    ...incoming,
    id: offerKey(record),
    publisherId: record.publisherId,
    offerId: record.offerId,
    listingUrl: record.listingUrl ?? row?.listing_url ?? null,
  };
  return { ...change, write };
}

export interface ImportedSolutionRow {
  partner_account_id: string;
  partner_id: string;
  name: string;
  co_sell_status: string;
  open_referrals: number;
  collateral_documents: number;
  status: string;
}

export const IMPORTED_SOLUTION_COLUMNS =
  'id, partner_account_id, partner_id, name, co_sell_status, open_referrals, collateral_documents, status';

export function solutionChange(
  row: ImportedSolutionRow | undefined,
  record: SolutionRecord,
): Change & { readonly status: MigrationStatus } {
  const stored = row && {
    partnerAccountId: row.partner_account_id,
    partnerId: row.partner_id,
    ocpSolutionId: record.ocpSolutionId,
    name: row.name,
    coSellStatus: oneOf(CO_SELL_STATUSES, row.co_sell_status, 'solutions.co_sell_status'),
    openReferrals: row.open_referrals,
    collateralDocuments: row.collateral_documents,
    status: oneOf(MIGRATION_STATUSES, row.status, 'solutions.status'),
  };
  return { ...solutionOutcome(stored, record), status: importedStatus(record) };
}

function compare<T extends object>(stored: T | undefined, incoming: T, fields: readonly (keyof T & string)[]): Change {
  if (!stored) return { outcome: 'added', changed: [] };
  const changed = changedFields(stored, incoming, fields);
  return { outcome: changed.length > 0 ? 'updated' : 'unchanged', changed };
}
