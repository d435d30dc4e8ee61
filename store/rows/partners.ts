import {
  OFFER_TYPES,
  PARTNER_ROLES,
  PUBLISHING_STATES,
  STOREFRONTS,
  type Member,
  type Offer,
  type PartnerAccount,
} from '../../domain/model';
import { oneOf, stringArray } from './columns';

/** Accounts, members and offers as their tables hold them, read and written the same way wherever they are. */

export interface AccountRow {
  id: string;
  name: string;
  partner_ids: string;
  cloud_partner_program_active: number;
  marketplace_enrolled: number;
}

export const ACCOUNT_COLUMNS = 'a.id, a.name, a.partner_ids, a.cloud_partner_program_active, a.marketplace_enrolled';

export function toPartnerAccount(row: AccountRow, tenantIds: readonly string[]): PartnerAccount {
  return {
    id: row.id,
    name: row.name,
    partnerIds: stringArray(row.partner_ids, 'partner_accounts.partner_ids'),
    cloudPartnerProgramActive: row.cloud_partner_program_active === 1,
    marketplaceEnrolled: row.marketplace_enrolled === 1,
    tenantIds,
  };
}

export interface MemberRow {
  user_id: string;
  partner_account_id: string;
  display_name: string;
  role: string;
  tenant_id: string | null;
  aad_object_id: string | null;
  user_principal_name: string | null;
}

/** The columns of `members m`. */
export const MEMBER_COLUMNS =
  'm.user_id, m.partner_account_id, m.display_name, m.role, m.tenant_id, m.aad_object_id, m.user_principal_name';

export function toMember(row: MemberRow): Member {
  return {
    userId: row.user_id,
    partnerAccountId: row.partner_account_id,
    displayName: row.display_name,
    role: oneOf(PARTNER_ROLES, row.role, 'members.role'),
    ...(row.tenant_id !== null && { tenantId: row.tenant_id }),
    ...(row.aad_object_id !== null && { aadObjectId: row.aad_object_id }),
    ...(row.user_principal_name !== null && { userPrincipalName: row.user_principal_name }),
  };
}

export interface OfferRow {
  id: string;
  partner_account_id: string;
  publisher_id: string;
  offer_id: string;
  type: string;
  name: string;
  storefront: string;
  listing_url: string | null;
  publishing_state: string;
}

export const OFFER_COLUMNS =
  'id, partner_account_id, publisher_id, offer_id, type, name, storefront, listing_url, publishing_state';

export function toOffer(row: OfferRow): Offer {
  return {
    id: row.id,
    partnerAccountId: row.partner_account_id,
    publisherId: row.publisher_id,
    offerId: row.offer_id,
    type: oneOf(OFFER_TYPES, row.type, 'offers.type'),
    name: row.name,
    storefront: oneOf(STOREFRONTS, row.storefront, 'offers.storefront'),
    ...(row.listing_url !== null && { listingUrl: row.listing_url }),
    publishingState: oneOf(PUBLISHING_STATES, row.publishing_state, 'offers.publishing_state'),
  };
}

/** The columns an offer is added with, in the order `offerValues` gives them. */
export const OFFER_INSERT_COLUMNS =
  'id, partner_account_id, publisher_id, offer_id, type, name, storefront, listing_url, publishing_state, partner_center_product_id';

export function offerValues(
  offer: Offer,
  productId?: string,
): [string, string, string, string, string, string, string, string | null, string, string | null] {
  return [
    offer.id,
    offer.partnerAccountId,
    offer.publisherId,
    offer.offerId,
    offer.type,
    offer.name,
    offer.storefront,
    offer.listingUrl ?? null,
    offer.publishingState,
    productId ?? null,
  ];
}
