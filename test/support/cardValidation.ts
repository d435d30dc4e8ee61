import type * as AdaptiveCards from 'adaptivecards';

// The package's main entry does not load under Node; its UMD bundle does, and parses and validates
// without a DOM. The bundle has the same API as the typed entry.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * What the Adaptive Cards library objects to in a card: parse warnings and validation failures at
 * schema 1.5, plus template expressions left unexpanded.
 */
export function cardProblems(content: unknown, literals: readonly string[] = []): string[] {
  const problems: string[] = [];
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  context.targetVersion = AC.Versions.v1_5;
  card.parse(content, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  // Text that users typed may look like a template expression and must stay as typed.
  const json = literals.reduce(
    (text, literal) => text.split(JSON.stringify(literal).slice(1, -1)).join(''),
    JSON.stringify(content),
  );
  if ((content as { version?: unknown }).version !== '1.5') problems.push('version: must be 1.5');
  const leftover = /\$\{[^}]*\}/.exec(json);
  if (leftover) problems.push(`template: unexpanded ${leftover[0]}`);
  return problems;
}

/** Every Adaptive Card attachment of an activity, with what is wrong with each. */
export function activityCardProblems(
  activity: { attachments?: readonly { contentType?: string; content?: unknown }[] },
  literals: readonly string[] = [],
): string[] {
  return (activity.attachments ?? [])
    .filter((attachment) => attachment.contentType === ADAPTIVE_CARD)
    .flatMap((attachment) => cardProblems(attachment.content, literals));
}
