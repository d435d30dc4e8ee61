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

/** The problem of an Action.OpenUrl, or undefined for anything else (and for a good link). */
function refusedLink(value: unknown, extraHosts: readonly string[]): RefusedLink | undefined {
  if (!isRecord(value) || value.type !== 'Action.OpenUrl') return undefined;
  const url = typeof value.url === 'string' ? value.url : '';
  const problem = linkProblem(url, extraHosts);
  return problem === undefined ? undefined : { url, problem };
}

/**
 * Leaves every Action.OpenUrl whose URL breaks the link rule off whatever is about to be sent: card
 * attachments, invoke responses carrying a card, actions nested in cards and show-cards, a
 * selectAction. Applied where messages leave the bot (the turn's sends and updates, and the outbox),
 * so that no path puts a bad link on a card, whatever stored data or templates say.
 */
export function guardLinks(value: unknown, extraHosts: readonly string[]): GuardedLinks {
  const refused: RefusedLink[] = [];
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      let changed = false;
      const kept: unknown[] = [];
      for (const item of node) {
        const bad = refusedLink(item, extraHosts);
        if (bad) {
          refused.push(bad);
          changed = true;
          continue;
        }
        const walked = walk(item);
        if (walked !== item) changed = true;
        kept.push(walked);
      }
      return changed ? kept : node;
    }
    if (!isRecord(node)) return node;
    let copy: Record<string, unknown> | undefined;
    for (const [key, child] of Object.entries(node)) {
      const bad = refusedLink(child, extraHosts);
      if (bad) {
        refused.push(bad);
        copy ??= { ...node };
        delete copy[key];
        continue;
      }
      const walked = walk(child);
      if (walked !== child) {
        copy ??= { ...node };
        copy[key] = walked;
      }
    }
    return copy ?? node;
  };
  return { value: walk(value), refused };
}
