import { z } from 'zod';
import { parseListingUrl } from './listingUrl';
import { OFFER_TYPES, type OfferType } from './model';

/**
 * What partner support needs to merge a solution into an offer ("Provide issue details"), and the
 * rules for each field. The dialog asks for a field again with these same schemas' reasons.
 */
export const MERGE_FIELDS = ['offerType', 'offerName', 'ocpSolutionId', 'listingUrl'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export interface MergeDetails {
  readonly offerType: OfferType;
  readonly offerName: string;
  readonly ocpSolutionId: string;
  readonly listingUrl: string;
}

export type MergeDetailsInput = Partial<Record<MergeField, string>>;

export const OFFER_NAME_MAX = 200;

/** Each schema's issues carry a reason code as their message; the bot words it. */
const required = z.string({ error: 'missing' }).trim().min(1, { error: 'missing' });

export const offerTypeSchema = required.pipe(z.enum(OFFER_TYPES, { error: 'unknown' }));

export const offerNameSchema = required.refine((name) => [...name].length <= OFFER_NAME_MAX, { error: 'tooLong' });

export const listingUrlSchema = required.transform((raw, context) => {
  const parsed = parseListingUrl(raw);
  if (parsed.ok) return parsed.listing.url;
  context.addIssue({ code: 'custom', message: parsed.problem });
  return z.NEVER;
});

/** The OCP solution ID must be the one of the solution being merged. */
export function ocpSolutionIdSchema(solutionId: string) {
  return required
    .refine((id) => id.toLowerCase() === solutionId.toLowerCase(), { error: 'notThisSolution' })
    .transform(() => solutionId);
}

export function mergeFieldSchema(field: MergeField, solutionId: string): z.ZodType<string, unknown> {
  switch (field) {
    case 'offerType':
      return offerTypeSchema;
    case 'offerName':
      return offerNameSchema;
    case 'ocpSolutionId':
      return ocpSolutionIdSchema(solutionId);
    case 'listingUrl':
      return listingUrlSchema;
  }
}

export interface FieldProblem {
  readonly field: MergeField;
  /** A reason code: missing, unknown, tooLong, notThisSolution, or a ListingUrlProblem. */
  readonly reason: string;
}

export type MergeDetailsCheck =
  | { readonly ok: true; readonly details: MergeDetails }
  | { readonly ok: false; readonly valid: Partial<MergeDetails>; readonly problems: readonly FieldProblem[] };

export type FieldCheck = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

export function checkMergeField(field: MergeField, input: unknown, solutionId: string): FieldCheck {
  const parsed = mergeFieldSchema(field, solutionId).safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: parsed.error.issues[0]?.message ?? 'invalid' };
}

/** Checks all four fields; what is valid is kept, what is not is named with its reason. */
export function checkMergeDetails(input: MergeDetailsInput, solutionId: string): MergeDetailsCheck {
  const valid: Partial<Record<MergeField, string>> = {};
  const problems: FieldProblem[] = [];
  for (const field of MERGE_FIELDS) {
    const check = checkMergeField(field, input[field], solutionId);
    if (check.ok) valid[field] = check.value;
    else problems.push({ field, reason: check.reason });
  }
  const offerType = offerTypeSchema.safeParse(valid.offerType);
  const { offerName, ocpSolutionId, listingUrl } = valid;
  if (problems.length === 0 && offerType.success && offerName && ocpSolutionId && listingUrl) {
    return { ok: true, details: { offerType: offerType.data, offerName, ocpSolutionId, listingUrl } };
  }
  return {
    ok: false,
    valid: {
      ...(offerType.success && { offerType: offerType.data }),
      ...(offerName && { offerName }),
      ...(ocpSolutionId && { ocpSolutionId }),
      ...(listingUrl && { listingUrl }),
    },
    problems,
  };
}
