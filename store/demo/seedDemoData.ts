import type { MigrationEvent, MigrationStatus } from '../../domain/model';
import { supportDueDate } from '../../domain/supportRequests';
import { AUDIT_INSERT_COLUMNS } from '../rows/migration';
import { OFFER_INSERT_COLUMNS, offerValues } from '../rows/partners';
import { DEMO_ACCOUNT, DEMO_MEMBERS, DEMO_OFFERS, DEMO_SOLUTIONS, DEMO_SUPPORT_REQUEST, type DemoSolution } from './demoData';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The event that last moved a demo solution into its status, for its audit trail. */
const ARRIVED_BY: Partial<Record<MigrationStatus, { event: MigrationEvent; from: MigrationStatus }>> = {
  discarded: { event: 'discard', from: 'pendingAction' },
  awaitingNewOffer: { event: 'awaitNewOffer', from: 'pendingAction' },
  mergeRequested: { event: 'requestMerge', from: 'pendingAction' },
  merged: { event: 'completeMerge', from: 'mergeRequested' },
};

export type SeedValue = string | number | null;

/** Rows of one table, each with a value per column, in order. */
export interface SeedTable {
  readonly table: string;
  readonly columns: string;
  readonly rows: readonly (readonly SeedValue[])[];
}

/**
 * The demo partner as rows, the same for either store, in the order they are added: a store loads
 * them into its tables in one transaction, when it holds no partner yet.
 */
export function demoSeed(now: Date): readonly SeedTable[] {
  const owner = DEMO_MEMBERS.find((member) => member.role === 'owner');
  const changedAt = (daysAgo: number): number => now.getTime() - daysAgo * DAY_MS;
  const audit: SeedValue[][] = [];
  for (const solution of DEMO_SOLUTIONS) {
    const arrival = ARRIVED_BY[solution.status];
    if (!arrival || !owner) continue;
    const at = changedAt(solution.daysAgo);
    audit.push([
      DEMO_ACCOUNT.id,
      solution.id,
      owner.userId,
      owner.displayName,
      at,
      arrival.event,
      arrival.from,
      solution.status,
      ...awaitedOfferColumns(solution),
    ]);
  }
  return [
    {
      table: 'partner_accounts',
      columns: 'id, name, partner_ids, cloud_partner_program_active, marketplace_enrolled',
      rows: [
        [
          DEMO_ACCOUNT.id,
          DEMO_ACCOUNT.name,
          JSON.stringify(DEMO_ACCOUNT.partnerIds),
          DEMO_ACCOUNT.cloudPartnerProgramActive ? 1 : 0,
          DEMO_ACCOUNT.marketplaceEnrolled ? 1 : 0,
        ],
      ],
    },
    {
      table: 'members',
      columns: 'user_id, partner_account_id, display_name, role',
      rows: DEMO_MEMBERS.map((member) => [member.userId, member.partnerAccountId, member.displayName, member.role]),
    },
    { table: 'offers', columns: OFFER_INSERT_COLUMNS, rows: DEMO_OFFERS.map((offer) => offerValues(offer)) },
    {
      table: 'solutions',
      columns: `id, partner_account_id, partner_id, name, co_sell_status, open_referrals, collateral_documents, status,
        status_changed_at, awaited_offer_id, awaited_offer_name`,
      rows: DEMO_SOLUTIONS.map((solution) => [
        solution.id,
        DEMO_ACCOUNT.id,
        solution.partnerId,
        solution.name,
        solution.coSellStatus,
        solution.openReferrals,
        solution.collateralDocuments,
        solution.status,
        changedAt(solution.daysAgo),
        ...awaitedOfferColumns(solution),
      ]),
    },
    {
      table: 'audit_entries',
      columns: AUDIT_INSERT_COLUMNS,
      rows: audit,
    },
    {
      table: 'support_requests',
      columns: `id, partner_account_id, solution_id, offer_type, offer_name, ocp_solution_id, listing_url,
        offer_id, requested_by_user_id, requested_by_name, requested_at, due_at, state`,
      rows: demoSupportRequest(now),
    },
  ];
}

/** The id and name of the offer a demo solution waits for, or nulls. */
function awaitedOfferColumns(solution: DemoSolution): [SeedValue, SeedValue] {
  const offer = DEMO_OFFERS.find((candidate) => candidate.id === solution.awaitedOfferId);
  return offer ? [offer.id, offer.name] : [null, null];
}

function demoSupportRequest(now: Date): SeedValue[][] {
  const request = DEMO_SUPPORT_REQUEST;
  const solution = DEMO_SOLUTIONS.find((candidate) => candidate.id === request.solutionId);
  const offer = DEMO_OFFERS.find((candidate) => candidate.id === request.offerId);
  const requester = DEMO_MEMBERS.find((member) => member.userId === request.requestedBy);
  if (!solution || !offer?.listingUrl || !requester) return [];
  const requestedAt = new Date(now.getTime() - solution.daysAgo * DAY_MS);
  return [
    [
      request.id,
      DEMO_ACCOUNT.id,
      solution.id,
      offer.type,
      offer.name,
      solution.id,
      offer.listingUrl,
      offer.id,
      requester.userId,
      requester.displayName,
      requestedAt.getTime(),
      supportDueDate(requestedAt).getTime(),
      'open',
    ],
  ];
}
