import type { MergeDetailsInput, MergeField } from '../domain/mergeDetails';
import { OFFER_TYPES, type Offer, type Solution } from '../domain/model';
import { CardTemplate, submitAction, type ActionJson, type CardAttachment } from './cardTemplate';
import { idLabel, offerTypeLabel } from './labels';
import template from './mergeDetails.json';
import type { Viewer } from './viewer';

/** Action 2 of a merge: the four issue details for partner support, prefilled, in one form. */
export interface MergeDetailsCardData {
  readonly title: string;
  readonly name: string;
  readonly idLabel: string;
  readonly step: string;
  readonly intro: string;
  readonly offerLine?: string;
  readonly labels: Readonly<Record<MergeField, string>>;
  /** Every field has a value, empty when unknown: the inputs are drawn prefilled. */
  readonly values: Readonly<Record<MergeField, string>>;
  readonly errors: Readonly<Partial<Record<MergeField, string>>>;
  readonly offerTypes: readonly { readonly title: string; readonly value: string }[];
  readonly keeps: string;
  readonly hint: string;
  readonly actions: readonly ActionJson[];
}

const mergeDetailsCard = new CardTemplate<MergeDetailsCardData>(template);

export function mergeDetailsAttachment(
  draft: { readonly solution: Solution; readonly offer?: Offer },
  values: MergeDetailsInput,
  errors: Partial<Record<MergeField, string>>,
  viewer: Viewer,
): CardAttachment {
  const { t } = viewer;
  const { solution, offer } = draft;
  const on = { solutionId: solution.id, origin: 'solution' as const };
  return mergeDetailsCard.render({
    title: t.t('merge.title'),
    name: solution.name,
    idLabel: idLabel(solution, t),
    step: t.t('merge.action2'),
    intro: t.t('merge.action2.intro'),
    ...(offer && { offerLine: t.t('merge.action2.offer', { name: offer.name }) }),
    labels: {
      offerType: t.t('merge.field.offerType'),
      offerName: t.t('merge.field.offerName'),
      ocpSolutionId: t.t('merge.field.ocpSolutionId'),
      listingUrl: t.t('merge.field.listingUrl'),
    },
    values: {
      offerType: values.offerType ?? '',
      offerName: values.offerName ?? '',
      ocpSolutionId: values.ocpSolutionId ?? '',
      listingUrl: values.listingUrl ?? '',
    },
    errors,
    offerTypes: OFFER_TYPES.map((type) => ({ title: offerTypeLabel(type, t), value: type })),
    keeps: t.t('merge.action2.keeps'),
    hint: t.t('merge.action2.hint'),
    actions: [
      submitAction(t.t('button.submitMerge'), { verb: 'submitMerge', ...on }, 'positive'),
      submitAction(t.t('button.cancel'), { verb: 'cancel', ...on }),
    ],
  });
}
