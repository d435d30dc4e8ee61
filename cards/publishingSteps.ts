import { CardTemplate, type ActionJson } from './cardTemplate';
import template from './publishingSteps.json';

/** How to publish an offer in Partner Center: a new one, or a draft left by the old migrate option. */
export interface PublishingStepsCardData {
  readonly title: string;
  readonly intro: string;
  readonly steps: readonly { readonly number: string; readonly text: string }[];
  readonly linksTitle: string;
  readonly links: readonly ActionJson[];
  readonly actions: readonly ActionJson[];
}

export const publishingStepsCard = new CardTemplate<PublishingStepsCardData>(template);
