import type { Member, Offer, PartnerAccount, PublishingState, UserIdentity } from '../../domain/model';
import type { PartnerDataSource } from '../../domain/ports/partners';
import {
  ACCOUNT_COLUMNS,
  MEMBER_COLUMNS,
  OFFER_COLUMNS,
  toMember,
  toOffer,
  toPartnerAccount,
  type AccountRow,
  type MemberRow,
  type OfferRow,
} from '../rows/partners';
import type { Queryable } from './database';

/** The member `m` belongs to tenant $1: their own, else one of their partner's (any, when it lists none). */
const IN_TENANT = `(m.tenant_id = $1 OR (m.tenant_id IS NULL AND (
    EXISTS (SELECT 1 FROM partner_tenants t WHERE t.partner_account_id = m.partner_account_id AND t.tenant_id = $1)
    OR NOT EXISTS (SELECT 1 FROM partner_tenants t WHERE t.partner_account_id = m.partner_account_id))))`;

/** The partners' data in the shared store; found as the embedded store finds it. */
export class PgPartnerData implements PartnerDataSource {
  constructor(private readonly db: Queryable) {}

  async getAccount(partnerAccountId: string): Promise<PartnerAccount | undefined> {
    const { rows } = await this.db.query<AccountRow & { tenant_ids: string[] }>(
      `SELECT ${ACCOUNT_COLUMNS},
         array(SELECT t.tenant_id FROM partner_tenants t WHERE t.partner_account_id = a.id ORDER BY t.tenant_id) AS tenant_ids
       FROM partner_accounts a WHERE a.id = $1`,
      [partnerAccountId],
    );
    const row = rows[0];
    return row && toPartnerAccount(row, row.tenant_ids);
  }

  /** By Entra object id within the tenant, then by channel user id, then by UPN within the tenant. */
  async findMember(identity: UserIdentity): Promise<Member | undefined> {
    const { tenantId, aadObjectId, userPrincipalName } = identity;
    const row =
      (tenantId && aadObjectId
        ? await this.member(`m.aad_object_id = lower($2) AND ${IN_TENANT}`, [tenantId, aadObjectId])
        : undefined) ??
      (await this.member('m.user_id = $1', [identity.userId])) ??
      (tenantId && userPrincipalName
        ? await this.member(`lower(m.user_principal_name) = lower($2) AND ${IN_TENANT}`, [tenantId, userPrincipalName])
        : undefined);
    return row && toMember(row);
  }

  async listOffers(partnerAccountId: string, publishingState?: PublishingState): Promise<readonly Offer[]> {
    const { rows } = await this.db.query<OfferRow>(
      `SELECT ${OFFER_COLUMNS} FROM offers WHERE partner_account_id = $1 AND ($2::text IS NULL OR publishing_state = $2)
       ORDER BY name COLLATE "C", id`,
      [partnerAccountId, publishingState ?? null],
    );
    return rows.map(toOffer);
  }

  async getOffer(partnerAccountId: string, offerId: string): Promise<Offer | undefined> {
    const { rows } = await this.db.query<OfferRow>(
      `SELECT ${OFFER_COLUMNS} FROM offers WHERE partner_account_id = $1 AND id = $2`,
      [partnerAccountId, offerId],
    );
    return rows[0] && toOffer(rows[0]);
  }

  async findOffer(offerId: string): Promise<Offer | undefined> {
    const { rows } = await this.db.query<OfferRow>(`SELECT ${OFFER_COLUMNS} FROM offers WHERE id = $1`, [offerId]);
    return rows[0] && toOffer(rows[0]);
  }

  private async member(where: string, values: readonly unknown[]): Promise<MemberRow | undefined> {
    const { rows } = await this.db.query<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM members m WHERE ${where} LIMIT 1`, values);
    return rows[0];
  }
}
