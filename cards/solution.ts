import { CardTemplate, type ActionJson } from './cardTemplate';
import template from './solution.json';
import type { StatusColor } from './solutionList';

export interface Fact {
  readonly title: string;
  readonly value: string;
}

export interface SolutionCardData {
  /** A line above the name saying what just happened, when something did. */
  readonly heading?: string;
  readonly name: string;
  readonly idLabel: string;
  readonly statusTitle: string;
  readonly statusLabel: string;
  readonly statusColor: StatusColor;
  readonly explanation: string;
  readonly facts: readonly Fact[];
  readonly note?: string;
  readonly actions: readonly ActionJson[];
}

export const solutionCard = new CardTemplate<SolutionCardData>(template);
