import { DEMO_PARTNER_ACCOUNT_ID } from '../store/demo/demoData';
import { seedDemoData } from '../store/sqlite/sqliteSeed';
import { openDatabase } from '../store/sqlite/database';

/** A partner of the bench's own, with one Manager, its solutions all pending, and one live offer. */
export interface BenchPartner {
  readonly accountId: string;
  readonly name: string;
  readonly managerId: string;
  readonly solutions: number;
  /** The first solution id; the others follow it. */
  readonly firstSolution: number;
  readonly liveOfferId: string;
}

export const solutionIdOf = (partner: BenchPartner, index: number): string => `OCP-${partner.firstSolution + index}`;

export function benchPartner(key: string, solutions: number, firstSolution: number): BenchPartner {
  return {
    accountId: `bench-${key}`,
    name: `Bench Partner ${key}`,
    managerId: `bench-${key}-manager`,
    solutions,
    firstSolution,
    liveOfferId: `bench${key}.connect`,
  };
}

/** Offers of the demo partner that notification fan-out moves through certification. */
export const fanOutOfferId = (index: number): string => `contoso.bench-offer-${index}`;

/**
 * A store as development mode leaves it (the demo partner), plus the bench's partners and the demo
 * partner's fan-out offers, written before the bot opens it.
 */
export function seedBenchStore(dataDir: string, partners: readonly BenchPartner[], fanOutOffers: number): void {
  const db = openDatabase({ location: dataDir });
  try {
    const now = new Date();
    seedDemoData(db, now);
    const insertAccount = db.prepare(
      `INSERT INTO partner_accounts (id, name, partner_ids, cloud_partner_program_active, marketplace_enrolled) VALUES (?, ?, ?, 1, 1)`,
    );
    const insertMember = db.prepare(
      `INSERT INTO members (user_id, partner_account_id, display_name, role) VALUES (?, ?, ?, 'manager')`,
    );
    const insertOffer = db.prepare(
      `INSERT INTO offers (id, partner_account_id, publisher_id, offer_id, type, name, storefront, listing_url, publishing_state)
       VALUES (?, ?, ?, ?, 'saas', ?, 'appSource', ?, ?)`,
    );
    const insertSolution = db.prepare(
      `INSERT INTO solutions (id, partner_account_id, partner_id, name, co_sell_status, open_referrals, collateral_documents, status, status_changed_at)
       VALUES (?, ?, ?, ?, 'coSellReady', ?, ?, 'pendingAction', ?)`,
    );
    db.transaction(() => {
      for (const partner of partners) {
        insertAccount.run(partner.accountId, partner.name, JSON.stringify([String(7_000_000 + partner.firstSolution / 1000)]));
        insertMember.run(partner.managerId, partner.accountId, `${partner.name} Manager`);
        const [publisher, offerId] = partner.liveOfferId.split('.');
        insertOffer.run(
          partner.liveOfferId,
          partner.accountId,
          publisher,
          offerId,
          `${partner.name} Connect`,
          `https://appsource.microsoft.com/en-us/product/web-apps/${partner.liveOfferId}`,
          'live',
        );
        for (let i = 0; i < partner.solutions; i++) {
          insertSolution.run(
            solutionIdOf(partner, i),
            partner.accountId,
            String(7_000_000 + partner.firstSolution / 1000),
            `${partner.name} solution ${String(i).padStart(5, '0')}`,
            i % 40,
            i % 7,
            now.getTime() - i * 60_000,
          );
        }
      }
      for (let i = 0; i < fanOutOffers; i++) {
        const [publisher, offerId] = fanOutOfferId(i).split('.');
        insertOffer.run(fanOutOfferId(i), DEMO_PARTNER_ACCOUNT_ID, publisher, offerId, `Contoso Bench Offer ${i}`, null, 'draft');
      }
    })();
  } finally {
    db.close();
  }
}
