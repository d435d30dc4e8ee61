import { CardTemplate, type Button } from './cardTemplate';
import template from './migrationOptions.json';

export interface MigrationOption {
  readonly title: string;
  readonly description: string;
  readonly button: Button;
}

export interface MigrationOptionsCardData {
  readonly title: string;
  readonly name: string;
  readonly idLabel: string;
  readonly prompt: string;
  readonly options: readonly MigrationOption[];
  readonly hint: string;
  readonly actions: readonly Button[];
}

export const migrationOptionsCard = new CardTemplate<MigrationOptionsCardData>(template);
