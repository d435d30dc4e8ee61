import { ADAPTIVE_CARD } from './cardValidation';
import type { ConnectorActivity } from './loopbackConnector';

export interface CardButton {
  readonly type: string;
  readonly title: string;
  readonly data: Record<string, unknown>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Visits every object of a card, except an action's fallback: that is the same button again. */
function walk(node: unknown, visit: (object: Record<string, Json>) => void): void {
  if (Array.isArray(node)) node.forEach((child) => walk(child, visit));
  else if (isObject(node)) {
    visit(node);
    Object.entries(node).forEach(([key, child]) => key !== 'fallback' && walk(child, visit));
  }
}

export function cardsOf(activity: ConnectorActivity): unknown[] {
  return (activity.attachments ?? []).filter((a) => a.contentType === ADAPTIVE_CARD).map((a) => a.content);
}

/** Every Submit or Execute button of a card, with the data it sends. */
export function buttonsOf(card: unknown): CardButton[] {
  const buttons: CardButton[] = [];
  walk(card, (node) => {
    if (node.type === 'Action.Submit' || node.type === 'Action.Execute') {
      const data = isObject(node.data) ? { ...node.data } : {};
      if (node.type === 'Action.Execute' && typeof node.verb === 'string') data.verb = node.verb;
      buttons.push({ type: node.type, title: typeof node.title === 'string' ? node.title : '', data });
    }
  });
  return buttons;
}

/** All text a card shows: text blocks, text runs, facts, button titles. */
export function textOf(card: unknown): string {
  const parts: string[] = [];
  walk(card, (node) => {
    if (typeof node.text === 'string') parts.push(node.text);
    if (typeof node.title === 'string') parts.push(node.title);
    if (typeof node.value === 'string' && node.type === undefined) parts.push(node.value);
  });
  return parts.join('\n');
}

export function findButton(card: unknown, verb: string, match: Record<string, unknown> = {}): CardButton | undefined {
  return buttonsOf(card).find(
    (button) => button.data.verb === verb && Object.entries(match).every(([key, value]) => button.data[key] === value),
  );
}

/** Every input of a card with its prefilled value, as the card would submit it untouched. */
export function formValues(card: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  walk(card, (node) => {
    if (typeof node.type === 'string' && node.type.startsWith('Input.') && typeof node.id === 'string') {
      values[node.id] = typeof node.value === 'string' ? node.value : '';
    }
  });
  return values;
}

/**
 * The status a list card shows a solution under: the heading of the run of rows it is in (without
 * the heading's mark), or undefined when the solution is not on the card.
 */
export function listedStatus(card: unknown, solutionId: string): string | undefined {
  let heading: string | undefined;
  const body = isObject(card) && Array.isArray(card.body) ? card.body : [];
  for (const element of body) {
    if (!isObject(element)) continue;
    const select = element.selectAction;
    if (isObject(select)) {
      if (isObject(select.data) && select.data.solutionId === solutionId) return heading;
      continue;
    }
    const first = Array.isArray(element.items) ? element.items[0] : undefined;
    if (element.type === 'Container' && isObject(first) && typeof first.text === 'string') {
      heading = first.text.replace(/^\S+ /, '');
    }
  }
  return undefined;
}
