import type { Solution, SupportRequest } from '../domain/model';
import type { Translator } from '../locales/i18n';
import { coSellLabel, offerTypeLabel } from './labels';

/** A label and a value drawn as literal text: values may be what a user typed. */
export interface LabelledValue {
  readonly label: string;
  readonly value: string;
}

/** The four issue details of a merge request, as they were submitted. */
export function requestDetails(request: SupportRequest, t: Translator): LabelledValue[] {
  return [
    { label: t.t('merge.field.offerType'), value: offerTypeLabel(request.offerType, t) },
    { label: t.t('merge.field.offerName'), value: request.offerName },
    { label: t.t('merge.field.ocpSolutionId'), value: request.ocpSolutionId },
    { label: t.t('merge.field.listingUrl'), value: request.listingUrl },
  ];
}

/** What a merge carries over from the solution into the offer, in one line. */
export function carriedOverText(solution: Solution, t: Translator): string {
  return t.t('support.card.carriesOver.value', {
    referrals: t.plural('solution.referrals', solution.carriedOver.openReferrals),
    collateral: t.plural('solution.collateral', solution.carriedOver.collateralDocuments),
    coSell: coSellLabel(solution.coSellStatus, t),
  });
}
