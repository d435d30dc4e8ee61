import { awaitedOfferAttachment } from '../cards/awaitedOffer';
import { publishingStepsAttachment } from '../cards/publishingSteps';
import type { AwaitedOfferInput } from '../domain/awaitedOffer';
import type { CardTarget } from '../turn/input';
import { replaceableCard, sendText, showCard } from '../turn/replies';
import { memberScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { DialogId } from './dialogId';
import { OneTurnDialog, type TurnContextOf } from './oneTurnDialog';
import { reportRefusal } from './refusals';

export interface NoSimilarOfferOptions {
  readonly solutionId: string;
  /** The new offer the solution waits for, when the press named it. */
  readonly awaited?: AwaitedOfferInput;
  readonly card?: CardTarget;
}

export const NO_SIMILAR_OFFER_DIALOG_ID: DialogId<NoSimilarOfferOptions> = 'noSimilarOffer';

/**
 * No similar offer yet: the solution waits for a new offer, and the user gets the publishing steps,
 * then, unless they named it already, the question of which offer they are creating.
 */
export class NoSimilarOfferDialog extends OneTurnDialog<NoSimilarOfferOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(NO_SIMILAR_OFFER_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf, { solutionId, awaited, card }: NoSimilarOfferOptions): Promise<void> {
    const scope = memberScope(context);
    const result = await this.deps.service.awaitNewOffer(scope.actor, solutionId, scope.conversation, awaited);
    if (!result.ok) {
      await reportRefusal(context, result.refusal, this.deps, card);
      return;
    }
    const { solution } = result.value;
    const { t } = scope;
    const cardId = replaceableCard(card, 'solution');
    const shown = await showCard(context, publishingStepsAttachment(solution, scope), this.deps.log, cardId);
    // The steps drawn where the user pressed say it; only steps posted below need the line with them.
    if (cardId === undefined || shown !== cardId) await sendText(context, t.t('newOffer.done', { name: solution.name }));
    if (solution.awaitedOffer) {
      await sendText(context, t.t('awaited.saved.named', { name: solution.name, offer: solution.awaitedOffer.name }));
      return;
    }
    const choices = await this.deps.service.awaitedOfferChoices(scope.actor, solutionId);
    if (choices.ok) await showCard(context, awaitedOfferAttachment(choices.value, scope), this.deps.log);
  }
}
