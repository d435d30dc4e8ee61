import type { MigrationEvent, MigrationStatus } from '../../domain/model';
import type { SqliteDatabase } from '../sqlite/database';
import { offerInserter } from '../sqlite/partnerRows';
import { supportDueDate } from '../../domain/supportRequests';
import { DEMO_ACCOUNT, DEMO_MEMBERS, DEMO_OFFERS, DEMO_SOLUTIONS, DEMO_SUPPORT_REQUEST } from './demoData';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The event that last moved a demo solution into its status, for its audit trail. */
const ARRIVED_BY: Partial<Record<MigrationStatus, { event: MigrationEvent; from: MigrationStatus }>> = {
  discarded: { event: 'discard', from: 'pendingAction' },
  awaitingNewOffer: { event: 'awaitNewOffer', from: 'pendingAction' },
  mergeRequested: { event: 'requestMerge', from: 'pendingAction' },
  merged: { event: 'completeMerge', from: 'mergeRequested' },
};

/** Loads the demo partner into an empty store; a store that already holds partners is left alone. */
export function seedDemoData(db: SqliteDatabase, now: Date): boolean {
  const seed = db.transaction((): boolean => {
    const existing = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM partner_accounts').get();
    if (existing && existing.n > 0) return false;

    db.prepare(
      `INSERT INTO partner_accounts (id, name, partner_ids, cloud_partner_program_active, marketplace_enrolled)
       VALUES (?, ?, ?, ?, ?)`,
    ).run(
      DEMO_ACCOUNT.id,
      DEMO_ACCOUNT.name,
      JSON.stringify(DEMO_ACCOUNT.partnerIds),
      DEMO_ACCOUNT.cloudPartnerProgramActive ? 1 : 0,
      DEMO_ACCOUNT.marketplaceEnrolled ? 1 : 0,
    );

    const insertMember = db.prepare('INSERT INTO members (user_id, partner_account_id, display_name, role) VALUES (?, ?, ?, ?)');
    for (const member of DEMO_MEMBERS) {
      insertMember.run(member.userId, member.partnerAccountId, member.displayName, member.role);
    }

    const insertOffer = offerInserter(db);
    for (const offer of DEMO_OFFERS) insertOffer(offer);

    const insertSolution = db.prepare(
      `INSERT INTO solutions (id, partner_account_id, partner_id, name, co_sell_status, open_referrals,
         collateral_documents, status, status_changed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertAudit = db.prepare(
      `INSERT INTO audit_entries (partner_account_id, solution_id, actor_user_id, actor_name, at, event, from_status, to_status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const owner = DEMO_MEMBERS.find((member) => member.role === 'owner');
    for (const solution of DEMO_SOLUTIONS) {
      const changedAt = now.getTime() - solution.daysAgo * DAY_MS;
      insertSolution.run(
        solution.id,
        DEMO_ACCOUNT.id,
        solution.partnerId,
        solution.name,
        solution.coSellStatus,
        solution.openReferrals,
        solution.collateralDocuments,
        solution.status,
        changedAt,
      );
      const arrival = ARRIVED_BY[solution.status];
      if (arrival && owner) {
        insertAudit.run(
          DEMO_ACCOUNT.id,
          solution.id,
          owner.userId,
          owner.displayName,
          changedAt,
          arrival.event,
          arrival.from,
          solution.status,
        );
      }
    }
    const request = DEMO_SUPPORT_REQUEST;
    const solution = DEMO_SOLUTIONS.find((candidate) => candidate.id === request.solutionId);
    const offer = DEMO_OFFERS.find((candidate) => candidate.id === request.offerId);
    const requester = DEMO_MEMBERS.find((member) => member.userId === request.requestedBy);
    if (solution && offer?.listingUrl && requester) {
      const requestedAt = new Date(now.getTime() - solution.daysAgo * DAY_MS);
      db.prepare(
        `INSERT INTO support_requests (id, partner_account_id, solution_id, offer_type, offer_name, ocp_solution_id, listing_url,
           offer_id, requested_by_user_id, requested_by_name, requested_at, due_at, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
      ).run(
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
      );
    }
    return true;
  });
  return seed();
}
