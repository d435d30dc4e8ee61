import { linkProblem } from './links';

/** A link left off a card, and why. */
export interface RefusedLink {
  readonly url: string;
  readonly problem: string;
}

export interface GuardedLinks {
  /** The same value when every link passed; otherwise a copy without the refused buttons. */
  readonly value: unknown;
  readonly refused: readonly RefusedLink[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the walk returns in place of an action it leaves off. */
const LEFT_OFF: unique symbol = Symbol('left off');

/**
 * Leaves every Action.OpenUrl whose URL breaks the link rule off whatever is about to be sent: card
 * attachments, invoke responses carrying a card, actions nested in cards and show-cards, a
 * selectAction. Applied where messages leave the bot (the turn's sends and updates, and the outbox),
 * so that no path puts a bad link on a card, whatever stored data or templates say. It runs on every
 * message: one pass, and nothing copied unless something is left off.
 */
export function guardLinks(value: unknown, extraHosts: readonly string[]): GuardedLinks {
  const refused: RefusedLink[] = [];
  const walk = (node: unknown): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    if (Array.isArray(node)) {
      let kept: unknown[] | undefined;
      for (let index = 0; index < node.length; index++) {
        const item: unknown = node[index];
        const walked = walk(item);
        if (walked !== item) kept ??= node.slice(0, index);
        if (kept && walked !== LEFT_OFF) kept.push(walked);
      }
      return kept ?? node;
    }
    if (!isRecord(node)) return node;
    if (node.type === 'Action.OpenUrl') {
      const url = typeof node.url === 'string' ? node.url : '';
      const problem = linkProblem(url, extraHosts);
      if (problem === undefined) return node;
      refused.push({ url, problem });
      return LEFT_OFF;
    }
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(node)) {
      const child = node[key];
      const walked = walk(child);
      if (walked === child) continue;
      copy ??= { ...node };
      if (walked === LEFT_OFF) delete copy[key];
      else copy[key] = walked;
    }
    return copy ?? node;
  };
  const walked = walk(value);
  // A bare action with a bad link, left off, leaves nothing.
  return { value: walked === LEFT_OFF ? undefined : walked, refused };
}
