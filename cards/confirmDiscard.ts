import { CardTemplate, type ActionJson } from './cardTemplate';
import template from './confirmDiscard.json';

export interface ConfirmDiscardCardData {
  readonly title: string;
  readonly name: string;
  readonly idLabel: string;
  readonly body: string;
  readonly hint: string;
  readonly actions: readonly ActionJson[];
}

export const confirmDiscardCard = new CardTemplate<ConfirmDiscardCardData>(template);
