import type { AwaitedOfferChoices } from '../domain/migrationService';
import type { AwaitedOffer, Offer } from '../domain/model';
import type { Translator } from '../locales/i18n';
import { CardTemplate, executeAction, type ActionJson, type CardAttachment } from './cardTemplate';
import type { LabelledValue } from './facts';
import { publishingStateLabel } from './labels';
import template from './awaitedOffer.json';
import type { Viewer } from './viewer';

/**
 * Which new offer a solution waits for: one of the partner's offers that is not live yet, or the
 * name of one Partner Center does not have yet, or none in particular.
 */
export interface AwaitedOfferCardData {
  /** What just happened, above the question, when something did. */
  readonly heading?: string;
  readonly title: string;
  readonly name: string;
  readonly intro: string;
  readonly current: LabelledValue;
  readonly choice?: {
    readonly label: string;
    readonly placeholder: string;
    readonly value: string;
    readonly offers: readonly { readonly title: string; readonly value: string }[];
  };
  readonly nameInput: { readonly label: string; readonly placeholder: string; readonly value: string };
  readonly actions: readonly ActionJson[];
}

const awaitedOfferCard = new CardTemplate<AwaitedOfferCardData>(template);

/** The form that names, changes or clears the offer a waiting solution waits for. */
export function awaitedOfferAttachment(choices: AwaitedOfferChoices, viewer: Viewer, heading?: string): CardAttachment {
  const { t } = viewer;
  const { solution, offers } = choices;
  const awaited = solution.awaitedOffer;
  const on = { solutionId: solution.id, origin: 'solution' as const };
  return awaitedOfferCard.render({
    ...(heading && { heading }),
    title: t.t('awaited.title'),
    name: solution.name,
    intro: t.t('awaited.intro', { partner: viewer.actor.account.name }),
    current: awaitedFact(awaited, t),
    ...(offers.length > 0 && {
      choice: {
        label: t.t('awaited.choice.label'),
        placeholder: t.t('awaited.choice.placeholder'),
        value: awaited?.offerId ?? '',
        offers: offers.map((offer) => ({ title: offerChoiceTitle(offer, t), value: offer.id })),
      },
    }),
    nameInput: {
      label: t.t(offers.length > 0 ? 'awaited.name.labelBeside' : 'awaited.name.label'),
      placeholder: t.t('awaited.name.placeholder'),
      value: awaited && awaited.offerId === undefined ? awaited.name : '',
    },
    actions: [
      executeAction(t.t('button.saveAwaitedOffer'), { verb: 'setAwaitedOffer', ...on }, 'positive'),
      ...(awaited ? [executeAction(t.t('button.leaveOpen'), { verb: 'setAwaitedOffer', clear: true, ...on })] : []),
      executeAction(t.t('button.solutions'), { verb: 'listSolutions' }),
    ],
  });
}

/** "Waits for: “Contoso Retail Insights”", or that none was named. */
export function awaitedFact(awaited: AwaitedOffer | undefined, t: Translator): LabelledValue {
  return {
    label: t.t('awaited.label'),
    value: awaited ? t.t('awaited.value', { offer: awaited.name }) : t.t('awaited.open'),
  };
}

function offerChoiceTitle(offer: Offer, t: Translator): string {
  return `${offer.name} · ${publishingStateLabel(offer.publishingState, t)}`;
}
