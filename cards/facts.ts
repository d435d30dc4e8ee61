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

/** A row of a FactSet: what the solution has that a merge keeps and a discard gives up. */
export interface StakeFact {
  readonly title: string;
  readonly value: string;
}

/** The solution's co-sell status, open referrals and collateral, as its cards show them. */
export function stakeFacts(solution: Solution, t: Translator): StakeFact[] {
  return [
    { title: t.t('coSell.title'), value: coSellLabel(solution.coSellStatus, t) },
    { title: t.t('solution.referrals.title'), value: t.plural('solution.referrals', solution.carriedOver.openReferrals) },
    { title: t.t('solution.collateral.title'), value: t.plural('solution.collateral', solution.carriedOver.collateralDocuments) },
  ];
}

/** Whether a discard gives up anything a merge would have kept. */
export function hasStakes(solution: Solution): boolean {
  return (
    solution.coSellStatus !== 'notReady' || solution.carriedOver.openReferrals > 0 || solution.carriedOver.collateralDocuments > 0
  );
}
