import type {
  CoSellStatus,
  MigrationStatus,
  OfferType,
  PartnerRole,
  PublishingState,
  SolutionSummary,
  Storefront,
} from '../domain/model';
import type { Translator } from '../locales/i18n';

/** The words for the domain's values, wherever they are shown: on cards and in replies. */

export function statusLabel(status: MigrationStatus, t: Translator): string {
  return t.t(`status.${status}.label`);
}

export function roleLabel(role: PartnerRole, t: Translator): string {
  return t.t(`role.${role}`);
}

export function offerTypeLabel(type: OfferType, t: Translator): string {
  return t.t(`offerType.${type}`);
}

export function storefrontLabel(storefront: Storefront, t: Translator): string {
  return t.t(`storefront.${storefront}`);
}

export function publishingStateLabel(state: PublishingState, t: Translator): string {
  return t.t(`publishingState.${state}`);
}

export function coSellLabel(status: CoSellStatus, t: Translator): string {
  return t.t(`coSell.${status}`);
}

/** A solution's OCP solution ID with the PartnerID it belongs to. */
export function idLabel(solution: Pick<SolutionSummary, 'id' | 'partnerId'>, t: Translator): string {
  return t.t('solution.idLabel', { id: solution.id, partnerId: solution.partnerId });
}
