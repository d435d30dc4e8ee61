import type { Member, Offer, PartnerAccount, PublishingState, UserIdentity } from '../../domain/model';
import type { PartnerDataSource } from '../../domain/ports/partners';
import type { SqliteDatabase } from './database';
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

/**
 * The member `m` belongs to the tenant @tenant: by their own tenant when they have one, else by
 * their partner's tenants (any tenant when the partner lists none).
 */
const IN_TENANT = `(m.tenant_id = @tenant OR (m.tenant_id IS NULL AND (
    EXISTS (SELECT 1 FROM partner_tenants t WHERE t.partner_account_id = m.partner_account_id AND t.tenant_id = @tenant)
    OR NOT EXISTS (SELECT 1 FROM partner_tenants t WHERE t.partner_account_id = m.partner_account_id))))`;

/** The partner data kept in the embedded store (the demo data in development). */
export class SqlitePartnerData implements PartnerDataSource {
  private readonly selectAccount;
  private readonly selectTenants;
  private readonly selectMemberByAadObject;
  private readonly selectMemberByUserId;
  private readonly selectMemberByUpn;
  private readonly selectOffers;
  private readonly selectOffersInState;
  private readonly selectOffer;
  private readonly selectOfferAnywhere;

  constructor(db: SqliteDatabase) {
    this.selectAccount = db.prepare<[string], AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM partner_accounts a WHERE a.id = ?`);
    this.selectTenants = db.prepare<[string], { tenant_id: string }>(
      'SELECT tenant_id FROM partner_tenants WHERE partner_account_id = ? ORDER BY tenant_id',
    );
    this.selectMemberByAadObject = db.prepare<{ tenant: string; id: string }, MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.aad_object_id = lower(@id) AND ${IN_TENANT}`,
    );
    this.selectMemberByUserId = db.prepare<[string], MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM members m WHERE user_id = ?`);
    this.selectMemberByUpn = db.prepare<{ tenant: string; id: string }, MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM members m WHERE lower(m.user_principal_name) = lower(@id) AND ${IN_TENANT}`,
    );
    this.selectOffers = db.prepare<[string], OfferRow>(
      `SELECT ${OFFER_COLUMNS} FROM offers WHERE partner_account_id = ? ORDER BY name, id`,
    );
    this.selectOffersInState = db.prepare<[string, string], OfferRow>(
      `SELECT ${OFFER_COLUMNS} FROM offers WHERE partner_account_id = ? AND publishing_state = ? ORDER BY name, id`,
    );
    this.selectOffer = db.prepare<[string, string], OfferRow>(
      `SELECT ${OFFER_COLUMNS} FROM offers WHERE partner_account_id = ? AND id = ?`,
    );
    this.selectOfferAnywhere = db.prepare<[string], OfferRow>(`SELECT ${OFFER_COLUMNS} FROM offers WHERE id = ?`);
  }

  async getAccount(partnerAccountId: string): Promise<PartnerAccount | undefined> {
    const row = this.selectAccount.get(partnerAccountId);
    return (
      row &&
      toPartnerAccount(
        row,
        this.selectTenants.all(partnerAccountId).map((tenant) => tenant.tenant_id),
      )
    );
  }

  /** By Entra object id within the tenant, then by channel user id, then by UPN within the tenant. */
  async findMember(identity: UserIdentity): Promise<Member | undefined> {
    const { tenantId, aadObjectId, userPrincipalName } = identity;
    const row =
      (tenantId && aadObjectId ? this.selectMemberByAadObject.get({ tenant: tenantId, id: aadObjectId }) : undefined) ??
      this.selectMemberByUserId.get(identity.userId) ??
      (tenantId && userPrincipalName ? this.selectMemberByUpn.get({ tenant: tenantId, id: userPrincipalName }) : undefined);
    return row && toMember(row);
  }

  async listOffers(partnerAccountId: string, publishingState?: PublishingState): Promise<readonly Offer[]> {
    const rows = publishingState
      ? this.selectOffersInState.all(partnerAccountId, publishingState)
      : this.selectOffers.all(partnerAccountId);
    return rows.map(toOffer);
  }

  async getOffer(partnerAccountId: string, offerId: string): Promise<Offer | undefined> {
    const row = this.selectOffer.get(partnerAccountId, offerId);
    return row && toOffer(row);
  }

  async findOffer(offerId: string): Promise<Offer | undefined> {
    const row = this.selectOfferAnywhere.get(offerId);
    return row && toOffer(row);
  }
}
