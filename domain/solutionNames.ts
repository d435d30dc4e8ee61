import { MAX_NAME_FRAGMENTS, type NamedSolution } from './ports/migration';

/** How many candidates a typed name is compared with, and how many of them make the answer. */
export const NAME_CANDIDATES = 50;
export const NAME_MATCHES = 5;
/** Below this likeness a name is not what was typed (bigrams shared, 0 to 1). */
const LIKENESS_THRESHOLD = 0.5;
/** A typed name longer than any solution's is not one: compared no further. */
export const MAX_TYPED_NAME = 200;

/** Lower case, spaces collapsed, quotes and closing punctuation dropped: how a name is compared. */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/["“”‘’'`]/gu, '')
    .replace(/[.!?。]+$/u, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * The words of a typed name to look candidates up by: the longest few of three characters or more
 * (two for Hangul, whose syllables carry more), so that a typo in one word still finds the name.
 */
export function nameFragments(typed: string): string[] {
  const words = normalizeName(typed)
    .split(' ')
    .filter((word) => [...word].length >= (/\p{Script=Hangul}/u.test(word) ? 2 : 3));
  return [...new Set(words)].sort((a, b) => b.length - a.length).slice(0, MAX_NAME_FRAGMENTS);
}

function bigrams(text: string): Map<string, number> {
  const characters = [...text.replace(/ /g, '')];
  const counts = new Map<string, number>();
  for (let at = 0; at + 1 < characters.length; at++) {
    const pair = `${characters[at]}${characters[at + 1]}`;
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

/** How alike two normalized names are: Sørensen–Dice over character pairs; 1 when one holds the other. */
export function likeness(typed: string, name: string): number {
  if (typed === name || (typed.length >= 4 && name.includes(typed))) return 1;
  const a = bigrams(typed);
  const b = bigrams(name);
  let total = 0;
  let shared = 0;
  for (const count of a.values()) total += count;
  for (const count of b.values()) total += count;
  for (const [pair, count] of a) shared += Math.min(count, b.get(pair) ?? 0);
  return total === 0 ? 0 : (2 * shared) / total;
}

/**
 * The candidates that are the typed name, best first: an exact name alone when there is one,
 * otherwise those alike enough, at most NAME_MATCHES.
 */
export function rankByName(typed: string, candidates: readonly NamedSolution[]): NamedSolution[] {
  const wanted = normalizeName(typed);
  const exact = candidates.filter((candidate) => normalizeName(candidate.name) === wanted);
  if (exact.length > 0) return exact.slice(0, NAME_MATCHES);
  return candidates
    .map((candidate) => ({ candidate, score: likeness(wanted, normalizeName(candidate.name)) }))
    .filter(({ score }) => score >= LIKENESS_THRESHOLD)
    .sort((a, b) => b.score - a.score || a.candidate.name.localeCompare(b.candidate.name))
    .slice(0, NAME_MATCHES)
    .map(({ candidate }) => candidate);
}
