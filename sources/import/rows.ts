import { z } from 'zod';
import type { InventoryKind, InventoryRecord } from '../../domain/inventory';
import { parseListingUrl } from '../../domain/listingUrl';
import { CO_SELL_STATUSES, OFFER_TYPES, PARTNER_ROLES, PUBLISHING_STATES, STOREFRONTS } from '../../domain/model';

/**
 * The fields of each kind of row, as the contract's "Data import" fixes them, checked with zod.
 * A row comes from CSV (every value a string, an empty cell meaning "not given") or from JSON
 * (values of their own types); both are read by the same schemas. Each issue names its column.
 */

/** An empty CSV cell or a JSON null is a field not given. */
const given = (value: unknown): unknown => (value === '' || value === null ? undefined : value);

const text = (max: number) =>
  z.preprocess(
    given,
    z
      .string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be text') })
      .trim()
      .min(1, { error: 'required' })
      .max(max, { error: `must be at most ${max} characters` })
      .refine((value) => !/\p{Cc}/u.test(value), { error: 'must not contain control characters' }),
  );

const identifier = (what: string) =>
  text(100).refine((value) => /^[A-Za-z0-9][\w.-]*$/.test(value), {
    error: `must be ${what}: letters, digits, dot, dash or underscore`,
  });

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(given, z.enum(values, { error: `must be one of ${values.join(', ')}` }));

const flag = (fallback: boolean) =>
  z.preprocess(
    (value) => {
      const raw = given(value);
      if (raw === undefined) return fallback;
      return typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
    },
    z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')], {
      error: 'must be true or false',
    }),
  );

const count = z.preprocess(
  (value) => {
    const raw = given(value);
    if (raw === undefined) return 0;
    return typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  },
  z
    .number({ error: 'must be a whole number, 0 or more' })
    .int({ error: 'must be a whole number, 0 or more' })
    .min(0, { error: 'must be a whole number, 0 or more' })
    .max(1_000_000, { error: 'must be at most 1000000' }),
);

/** A list: a JSON array, or a CSV cell with the items separated by `;`. */
const list = <T extends z.ZodType<string, unknown>>(item: T, required: boolean) =>
  z.preprocess(
    (value) => {
      const raw = given(value);
      if (raw === undefined) return required ? undefined : [];
      return typeof raw === 'string'
        ? raw
            .split(';')
            .map((part) => part.trim())
            .filter((part) => part !== '')
        : raw;
    },
    z
      .array(item, { error: required ? 'required' : 'must be a list' })
      .min(required ? 1 : 0, { error: 'required' })
      .refine((items) => new Set(items).size === items.length, { error: 'lists the same value twice' }),
  );

const partnerId = z.string().regex(/^\d{1,12}$/, { error: 'must be PartnerIDs: digits, separated by ;' });
const tenantId = z.guid({ error: 'must be Entra tenant ids (GUIDs), separated by ;' });

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(given, schema.optional());

const ROW_SCHEMAS = {
  partners: z.object({
    partnerAccountId: identifier('a partner account id'),
    name: text(200),
    partnerIds: list(partnerId, true),
    cloudPartnerProgramActive: flag(true),
    marketplaceEnrolled: flag(true),
    tenantIds: list(tenantId, false),
  }),
  members: z.object({
    partnerAccountId: identifier('a partner account id'),
    userId: text(256),
    displayName: text(200),
    role: oneOf(PARTNER_ROLES),
    userPrincipalName: optional(
      z
        .string()
        .trim()
        .max(256)
        .regex(/^[^@\s]+@[^@\s]+$/, { error: 'must be a UPN such as name@contoso.com' }),
    ),
    tenantId: optional(z.guid({ error: 'must be an Entra tenant id (a GUID)' })),
  }),
  solutions: z.object({
    partnerAccountId: identifier('a partner account id'),
    partnerId: z.preprocess(
      given,
      z
        .string({ error: 'required' })
        .trim()
        .regex(/^\d{1,12}$/, { error: 'must be a PartnerID: digits' }),
    ),
    ocpSolutionId: identifier('an OCP solution ID'),
    name: text(200),
    coSellStatus: z.preprocess(
      (value) => given(value) ?? 'notReady',
      z.enum(CO_SELL_STATUSES, { error: `must be one of ${CO_SELL_STATUSES.join(', ')}` }),
    ),
    openReferrals: count,
    collateralDocuments: count,
    migratedAsDraft: flag(false),
  }),
  offers: z.object({
    partnerAccountId: identifier('a partner account id'),
    offerId: text(150).refine((value) => /^[a-z0-9][a-z0-9_.-]*$/i.test(value), {
      error: 'must be an offer id: letters, digits, dot, dash or underscore',
    }),
    publisherId: text(100).refine((value) => /^[a-z0-9][a-z0-9_-]*$/i.test(value), {
      error: 'must be a publisher id: letters, digits, dash or underscore',
    }),
    name: text(200),
    offerType: oneOf(OFFER_TYPES),
    publishingState: oneOf(PUBLISHING_STATES),
    storefront: optional(z.enum(STOREFRONTS, { error: `must be one of ${STOREFRONTS.join(', ')}` })),
    listingUrl: optional(
      z.string().transform((raw, context) => {
        const parsed = parseListingUrl(raw);
        if (parsed.ok) return parsed.listing.url;
        context.addIssue({ code: 'custom', message: `must be a listing on AppSource or Azure Marketplace (${parsed.problem})` });
        return z.NEVER;
      }),
    ),
  }),
} as const;

/** The fields a kind's rows must have: how a CSV header tells its kind. */
export const REQUIRED_FIELDS: Readonly<Record<InventoryKind, readonly string[]>> = {
  partners: ['partnerAccountId', 'name', 'partnerIds'],
  members: ['partnerAccountId', 'userId', 'displayName', 'role'],
  solutions: ['partnerAccountId', 'partnerId', 'ocpSolutionId', 'name'],
  offers: ['partnerAccountId', 'offerId', 'publisherId', 'name', 'offerType', 'publishingState'],
};

export interface FieldProblem {
  readonly column: string;
  readonly reason: string;
}

export type RowCheck =
  { readonly ok: true; readonly item: InventoryRecord } | { readonly ok: false; readonly problems: readonly FieldProblem[] };

/** A row of a kind, as a record of the inventory, or every field that is wrong with it. */
export function checkRow(kind: InventoryKind, fields: unknown): RowCheck {
  switch (kind) {
    case 'partners':
      return checked(kind, ROW_SCHEMAS.partners.safeParse(fields));
    case 'members':
      return checked(kind, ROW_SCHEMAS.members.safeParse(fields));
    case 'solutions':
      return checked(kind, ROW_SCHEMAS.solutions.safeParse(fields));
    case 'offers':
      return checked(kind, ROW_SCHEMAS.offers.safeParse(fields));
  }
}

function checked<K extends InventoryKind, R>(
  kind: K,
  parsed: z.ZodSafeParseResult<R>,
): { ok: true; item: { kind: K; record: R } } | { ok: false; problems: FieldProblem[] } {
  if (parsed.success) return { ok: true, item: { kind, record: parsed.data } };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      column: issue.path.length > 0 ? String(issue.path[0]) : 'row',
      reason: issue.path.length > 0 ? issue.message : 'must be an object of fields',
    })),
  };
}
