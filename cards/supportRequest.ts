import { CardTemplate, type ActionJson } from './cardTemplate';
import type { LabelledValue } from './rows';
import template from './supportRequest.json';

/** A merge request as the partner support team sees it in its channel. */
export interface SupportRequestCardData {
  readonly title: string;
  readonly state: string;
  readonly stateColor: 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';
  readonly infoNeeded?: string;
  readonly facts: readonly LabelledValue[];
  readonly detailsTitle: string;
  readonly details: readonly LabelledValue[];
  /** Whether the request is still open for support to act on. */
  readonly canAct: boolean;
  readonly infoLabel: string;
  readonly infoPlaceholder: string;
  readonly actions: readonly ActionJson[];
}

export const supportRequestCard = new CardTemplate<SupportRequestCardData>(template);
