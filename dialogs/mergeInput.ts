import type { PromptValidatorContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { offerTypeLabel } from '../cards/labels';
import { parseListingUrl } from '../domain/listingUrl';
import { checkMergeField, MERGE_FIELDS, type MergeField } from '../domain/mergeDetails';
import { OFFER_TYPES } from '../domain/model';
import type { Translator } from '../locales/i18n';
import { sendText } from '../turn/replies';
import { turnScope } from '../turn/scope';
import { fieldProblemText } from './refusals';

/** The offer types as a numbered list, for the typed question. */
export function offerTypeChoices(t: Translator): string {
  return OFFER_TYPES.map((type, index) => `${index + 1}. ${offerTypeLabel(type, t)}`).join('\n');
}

const simplify = (text: string): string =>
  text
    .toLowerCase()
    .replace(/\(.*?\)/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** A typed offer type, by its number in the list, its name (with or without what is in brackets) or its code. */
export function offerTypeFromText(text: string, t: Translator): string {
  const typed = text.trim();
  const number = /^\d{1,2}$/.test(typed) ? Number(typed) : NaN;
  const byNumber = Number.isInteger(number) ? OFFER_TYPES[number - 1] : undefined;
  if (byNumber) return byNumber;
  const wanted = simplify(typed);
  const byName = OFFER_TYPES.find((type) => simplify(type) === wanted || simplify(offerTypeLabel(type, t)) === wanted);
  return byName ?? typed;
}

/** What a typed answer to one field's question means, before it is checked. */
export function fieldInput(field: MergeField, text: string, t: Translator): string {
  return field === 'offerType' ? offerTypeFromText(text, t) : text;
}

/** The question for one issue detail. */
export function fieldQuestion(field: MergeField, t: Translator, solutionId: string): string {
  return field === 'offerType'
    ? t.t('merge.ask.offerType', { choices: offerTypeChoices(t) })
    : t.t(`merge.ask.${field}`, { solutionId });
}

const fieldValidation = z.object({ field: z.enum(MERGE_FIELDS), solutionId: z.string() });

/**
 * Takes a typed answer to one field's question, or says what is wrong with it and asks again (a
 * prompt does not ask again by itself once its validator has replied).
 */
export async function validateFieldAnswer(prompt: PromptValidatorContext<string>): Promise<boolean> {
  const { field, solutionId } = fieldValidation.parse(prompt.options.validations);
  const { t } = turnScope(prompt.context);
  const check = checkMergeField(field, fieldInput(field, prompt.recognized.value ?? '', t), solutionId);
  if (!check.ok && prompt.recognized.succeeded) {
    await sendText(
      prompt.context,
      `${fieldProblemText(field, check.reason, t, solutionId)} ${fieldQuestion(field, t, solutionId)}`,
    );
  }
  return check.ok;
}

/** Takes a typed listing URL in Action 1, or says why it is not one and asks again. */
export async function validateListingUrlAnswer(prompt: PromptValidatorContext<string>): Promise<boolean> {
  const { t } = turnScope(prompt.context);
  const parsed = parseListingUrl(prompt.recognized.value ?? '');
  if (!parsed.ok && prompt.recognized.succeeded) {
    await sendText(prompt.context, `${fieldProblemText('listingUrl', parsed.problem, t)} ${t.t('merge.ask.action1')}`);
  }
  return parsed.ok;
}
