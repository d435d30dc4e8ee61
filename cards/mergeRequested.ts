import { CardTemplate, type ActionJson } from './cardTemplate';
import template from './mergeRequested.json';
import type { LabelledValue } from './rows';

/** The merge request as stored: its id, the details exactly as submitted, and when support answers. */
export interface MergeRequestedCardData {
  readonly heading: string;
  readonly name: string;
  readonly idLabel: string;
  readonly requestLabel: string;
  readonly requestedBy: string;
  readonly promise: string;
  readonly detailsTitle: string;
  readonly details: readonly LabelledValue[];
  readonly actions: readonly ActionJson[];
}

export const mergeRequestedCard = new CardTemplate<MergeRequestedCardData>(template);
