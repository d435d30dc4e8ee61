import { Template } from 'adaptivecards-templating';
import type { CardAction } from './actions';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface AdaptiveCardContent {
  readonly type: 'AdaptiveCard';
  readonly version: string;
  readonly [property: string]: unknown;
}

export interface CardAttachment {
  readonly contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  readonly content: AdaptiveCardContent;
}

export type ButtonStyle = 'default' | 'positive' | 'destructive';

/** A button as card data: the template decides how it is drawn, the data what it does. */
export interface Button {
  readonly title: string;
  readonly style: ButtonStyle;
  readonly data: CardAction;
}

export interface LinkButton {
  readonly title: string;
  readonly url: string;
}

/**
 * A card template parsed once and expanded per message. Everything variable, user text included,
 * goes in as data; expanded data is never evaluated again, so `${...}` typed by a user stays text.
 */
export class CardTemplate<TData extends object> {
  private readonly template: Template;

  constructor(json: object) {
    this.template = new Template(json);
  }

  render(data: TData): CardAttachment {
    const content: unknown = this.template.expand({ $root: data });
    if (!isAdaptiveCard(content)) throw new Error('Card template did not expand to an AdaptiveCard');
    return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
  }
}

function isAdaptiveCard(value: unknown): value is AdaptiveCardContent {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'AdaptiveCard' &&
    typeof (value as { version?: unknown }).version === 'string'
  );
}
