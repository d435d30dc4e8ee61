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

/**
 * The colours a card's text may take. Teams draws Good and Warning as light green and yellow, hard to
 * read on white: status goes in default text with a glyph, and Attention is kept for what went wrong.
 */
export type CardColor = 'Default' | 'Attention';

/** A card action as drawn: Action.Submit, Action.Execute (with a Submit fallback), Action.OpenUrl or Action.ShowCard. */
export interface ActionJson {
  readonly type: 'Action.Submit' | 'Action.Execute' | 'Action.OpenUrl' | 'Action.ShowCard';
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

/**
 * What pressing a whole element (a list row) does: a Submit without a button's style. Its title is
 * the tooltip and what screen readers say for the element.
 */
export function selectAction(title: string, data: CardAction): ActionJson {
  return { type: 'Action.Submit', title, data };
}

export function openUrlAction(title: string, url: string, style: ButtonStyle = 'default'): ActionJson {
  return { type: 'Action.OpenUrl', title, url, ...(style !== 'default' && { style }) };
}

/**
 * A button that unfolds more of them in the card: for links a card offers besides its few main
 * actions, so that a card shows about four buttons. ShowCard, unlike the 1.5 overflow menu, is
 * drawn by every host, and its links count against the inner card's limit, not the outer one's.
 */
export function moreActions(title: string, actions: readonly ActionJson[]): ActionJson {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body: [], actions } };
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

/** An element of a card body, such as a Container, as a fragment template expands it. */
export interface CardElement {
  readonly type: string;
  readonly [property: string]: unknown;
}

/**
 * A card element parsed once (a list row), whose expansions are kept by a key that stands for
 * everything the expansion depends on, most recently used first, up to `capacity`. The data is
 * gathered only on a miss: a kept row costs a key and a lookup. Kept expansions are frozen, since
 * every card that shows the row shares them.
 */
export class CachedFragmentTemplate<TData extends object> {
  private readonly template: Template;
  private readonly expansions = new Map<string, CardElement>();

  constructor(
    json: object,
    private readonly capacity: number,
  ) {
    this.template = new Template(json);
  }

  render(key: string, data: () => TData): CardElement {
    const kept = this.expansions.get(key);
    if (kept) {
      this.expansions.delete(key);
      this.expansions.set(key, kept);
      return kept;
    }
    const element: unknown = this.template.expand({ $root: data() });
    if (!isCardElement(element)) throw new Error('Card fragment template did not expand to a card element');
    this.expansions.set(key, deepFreeze(element));
    if (this.expansions.size > this.capacity) {
      const oldest = this.expansions.keys().next();
      if (!oldest.done) this.expansions.delete(oldest.value);
    }
    return element;
  }

  get size(): number {
    return this.expansions.size;
  }
}

function isCardElement(value: unknown): value is CardElement {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function isAdaptiveCard(value: unknown): value is AdaptiveCardContent {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'AdaptiveCard' &&
    typeof (value as { version?: unknown }).version === 'string'
  );
}
