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

/** A card action as drawn: Action.Submit, Action.Execute (with a Submit fallback) or Action.OpenUrl. */
export interface ActionJson {
  readonly type: 'Action.Submit' | 'Action.Execute' | 'Action.OpenUrl';
  readonly title: string;
  readonly [property: string]: unknown;
}

/** A button that sends its data back as a message; for cards a dialog waits on. */
export function submitAction(
  title: string,
  data: CardAction,
  style: ButtonStyle = 'default',
  extra: Readonly<Record<string, unknown>> = {},
): ActionJson {
  return { type: 'Action.Submit', title, style, data, ...extra };
}

/**
 * A Universal Action, for cards that live outside a dialog: Teams answers it with the card drawn
 * again for everyone who sees it. Hosts without Action.Execute fall back to the same Submit.
 */
export function executeAction(title: string, data: CardAction, style: ButtonStyle = 'default'): ActionJson {
  return { type: 'Action.Execute', title, style, verb: data.verb, data, fallback: submitAction(title, data, style) };
}

export function openUrlAction(title: string, url: string): ActionJson {
  return { type: 'Action.OpenUrl', title, url };
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
