import { CardTemplate, type ActionJson, type CardElement } from './cardTemplate';
import template from './solutionList.json';

export type StatusColor = 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';

export interface SolutionListItem {
  readonly name: string;
  readonly idLabel: string;
  readonly statusLabel: string;
  readonly statusColor: StatusColor;
  readonly explanation: string;
  readonly actions: readonly ActionJson[];
}

export interface SolutionListCardData {
  readonly title: string;
  readonly summary: string;
  readonly note?: string;
  /** Each a row of `SolutionRows`. */
  readonly rows: readonly CardElement[];
  readonly pageLabel: string;
  readonly navigation: readonly ActionJson[];
}

export const solutionListCard = new CardTemplate<SolutionListCardData>(template);
