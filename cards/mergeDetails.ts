import { checkMergeField, type MergeDetailsInput, type MergeField } from '../domain/mergeDetails';
import { OFFER_TYPES, type Solution } from '../domain/model';
import { CardTemplate, submitAction, type ActionJson, type CardAttachment } from './cardTemplate';
import { offerTypeLabel } from './labels';
import template from './mergeDetails.json';
import type { Viewer } from './viewer';

/**
 * Action 2 of a merge: the issue details for partner support, prefilled, in one form. The offer type
 * and name may be corrected; the OCP solution ID is this solution's and is only shown; a valid
 * listing URL is shown whole (Back changes the offer), one that is missing or wrong is asked for.
 * What is shown rather than asked goes back with Save & Contact support as the button's data.
 */
export interface MergeDetailsCardData {
  readonly title: string;
  readonly name: string;
  readonly step: string;
  readonly intro: string;
  readonly labels: Readonly<Record<MergeField, string>>;
  /** The inputs, drawn prefilled; empty when unknown. */
  readonly values: Readonly<Record<'offerType' | 'offerName' | 'listingUrl', string>>;
  readonly ocpSolutionId: string;
  readonly listingUrlShown?: string;
  readonly errors: Readonly<Partial<Record<MergeField, string>>>;
  readonly offerTypes: readonly { readonly title: string; readonly value: string }[];
  readonly keeps: string;
  readonly contact: string;
  readonly hint: string;
  readonly actions: readonly ActionJson[];
}

const mergeDetailsCard = new CardTemplate<MergeDetailsCardData>(template);

export function mergeDetailsAttachment(
  solution: Solution,
  values: MergeDetailsInput,
  errors: Partial<Record<MergeField, string>>,
  viewer: Viewer,
  flow: string,
): CardAttachment {
  const { t } = viewer;
  const on = { solutionId: solution.id, origin: 'solution' as const, flow };
  const url = checkMergeField('listingUrl', values.listingUrl, solution.id);
  const listingUrlShown = url.ok && errors.listingUrl === undefined ? url.value : undefined;
  return mergeDetailsCard.render({
    title: t.t('merge.title'),
    name: solution.name,
    step: t.t('merge.action2'),
    intro: t.t('merge.action2.intro'),
    labels: {
      offerType: t.t('merge.field.offerType'),
      offerName: t.t('merge.field.offerName'),
      ocpSolutionId: t.t('merge.field.ocpSolutionId'),
      listingUrl: t.t('merge.field.listingUrl'),
    },
    values: {
      offerType: values.offerType ?? '',
      offerName: values.offerName ?? '',
      listingUrl: values.listingUrl ?? '',
    },
    ocpSolutionId: solution.id,
    ...(listingUrlShown !== undefined && { listingUrlShown }),
    errors,
    offerTypes: OFFER_TYPES.map((type) => ({ title: offerTypeLabel(type, t), value: type })),
    keeps: t.t('merge.action2.keeps'),
    contact: t.t('merge.contact'),
    hint: t.t('merge.action2.hint'),
    actions: [
      submitAction(
        t.t('button.submitMerge'),
        {
          verb: 'submitMerge',
          ...on,
          ocpSolutionId: solution.id,
          ...(listingUrlShown !== undefined && { listingUrl: listingUrlShown }),
        },
        'positive',
      ),
      submitAction(t.t('button.back'), { verb: 'chooseMerge', ...on }, 'default', { associatedInputs: 'none' }),
      submitAction(t.t('button.cancel'), { verb: 'cancel', ...on }, 'default', { associatedInputs: 'none' }),
    ],
  });
}
