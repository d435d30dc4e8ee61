import { CardTemplate, type ActionJson } from './cardTemplate';
import template from './migrationOptions.json';

export interface MigrationOption {
  readonly title: string;
  readonly description: string;
  readonly button: ActionJson;
}

export interface MigrationOptionsCardData {
  readonly title: string;
  readonly name: string;
  readonly idLabel: string;
  readonly prompt: string;
  readonly options: readonly MigrationOption[];
  readonly hint: string;
  readonly actions: readonly ActionJson[];
}

export const migrationOptionsCard = new CardTemplate<MigrationOptionsCardData>(template);
