import { CardTemplate, type ActionJson } from './cardTemplate';
import template from './overview.json';

export interface PrerequisiteRow {
  readonly label: string;
  readonly state: string;
  readonly color: 'Good' | 'Attention';
  readonly advice?: string;
  readonly fix?: ActionJson;
}

export interface OverviewCardData {
  readonly title: string;
  readonly intro: string;
  readonly identity: string;
  readonly roleNote: string;
  readonly prerequisitesTitle: string;
  readonly prerequisites: readonly PrerequisiteRow[];
  readonly summary: string;
  readonly actions: readonly ActionJson[];
}

export const overviewCard = new CardTemplate<OverviewCardData>(template);
