import type { MergeField } from '../domain/mergeDetails';
import { CardTemplate, type ActionJson } from './cardTemplate';
import template from './mergeDetails.json';

/** Action 2 of a merge: the four issue details for partner support, prefilled, in one form. */
export interface MergeDetailsCardData {
  readonly title: string;
  readonly name: string;
  readonly idLabel: string;
  readonly step: string;
  readonly intro: string;
  readonly offerLine?: string;
  readonly labels: Readonly<Record<MergeField, string>>;
  /** Every field has a value, empty when unknown: the inputs are drawn prefilled. */
  readonly values: Readonly<Record<MergeField, string>>;
  readonly errors: Readonly<Partial<Record<MergeField, string>>>;
  readonly offerTypes: readonly { readonly title: string; readonly value: string }[];
  readonly keeps: string;
  readonly hint: string;
  readonly actions: readonly ActionJson[];
}

export const mergeDetailsCard = new CardTemplate<MergeDetailsCardData>(template);
