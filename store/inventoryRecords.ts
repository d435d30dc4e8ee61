import { z } from 'zod';
import type { InventoryKind, InventoryRecord } from '../domain/inventory';
import { CO_SELL_STATUSES, OFFER_TYPES, PARTNER_ROLES, PUBLISHING_STATES, STOREFRONTS } from '../domain/model';

/**
 * How a staged import row is kept while the files are read: as JSON, read back through the schema
 * of its kind when the import is applied.
 */
const RECORD_SCHEMAS = {
  partners: z.object({
    partnerAccountId: z.string(),
    name: z.string(),
    partnerIds: z.array(z.string()),
    cloudPartnerProgramActive: z.boolean(),
    marketplaceEnrolled: z.boolean(),
    tenantIds: z.array(z.string()),
  }),
  members: z.object({
    partnerAccountId: z.string(),
    userId: z.string(),
    displayName: z.string(),
    role: z.enum(PARTNER_ROLES),
    userPrincipalName: z.string().optional(),
    tenantId: z.string().optional(),
  }),
  offers: z.object({
    partnerAccountId: z.string(),
    publisherId: z.string(),
    offerId: z.string(),
    name: z.string(),
    offerType: z.enum(OFFER_TYPES),
    publishingState: z.enum(PUBLISHING_STATES),
    storefront: z.enum(STOREFRONTS).optional(),
    listingUrl: z.string().optional(),
  }),
  solutions: z.object({
    partnerAccountId: z.string(),
    partnerId: z.string(),
    ocpSolutionId: z.string(),
    name: z.string(),
    coSellStatus: z.enum(CO_SELL_STATUSES),
    openReferrals: z.number().int(),
    collateralDocuments: z.number().int(),
    migratedAsDraft: z.boolean(),
  }),
} as const;

export function encodeRecord(item: InventoryRecord): string {
  return JSON.stringify(item.record);
}

/** A staged row as the record it was; a row that does not read back is a defect of ours, so it throws. */
export function decodeRecord(kind: InventoryKind, json: string): InventoryRecord {
  const value: unknown = JSON.parse(json);
  switch (kind) {
    case 'partners':
      return { kind, record: RECORD_SCHEMAS.partners.parse(value) };
    case 'members':
      return { kind, record: RECORD_SCHEMAS.members.parse(value) };
    case 'offers':
      return { kind, record: RECORD_SCHEMAS.offers.parse(value) };
    case 'solutions':
      return { kind, record: RECORD_SCHEMAS.solutions.parse(value) };
  }
}
