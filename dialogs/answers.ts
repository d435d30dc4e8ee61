import type { PromptValidatorContext } from 'botbuilder-dialogs';
import type { Translator } from '../locales/i18n';
import { turnScope } from '../turn/scope';

export type Answer = 'yes' | 'no' | 'merge' | 'newOffer' | 'discard' | 'submit';

/** The answer a typed reply gives among `accepted`, by the locale's words for each answer. */
export function matchAnswer(text: string, t: Translator, accepted: readonly Answer[]): Answer | undefined {
  const said = text
    .trim()
    .toLowerCase()
    .replace(/[.!?。]+$/u, '')
    .replace(/\s+/g, ' ');
  return accepted.find((answer) => t.t(`answer.${answer}`).split('|').includes(said));
}

/** A TextPrompt validator that takes only the given answers, in the user's language. */
export function answerValidator(accepted: readonly Answer[]) {
  return async (prompt: PromptValidatorContext<string>): Promise<boolean> =>
    prompt.recognized.succeeded &&
    matchAnswer(prompt.recognized.value ?? '', turnScope(prompt.context).t, accepted) !== undefined;
}
