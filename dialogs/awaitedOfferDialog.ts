import { awaitedOfferAttachment } from '../cards/awaitedOffer';
import { solutionAttachment } from '../cards/solution';
import type { AwaitedOfferInput } from '../domain/awaitedOffer';
import type { CardTarget } from '../turn/input';
import { replaceableCard, showCard } from '../turn/replies';
import { memberScope, type MemberScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { DialogId } from './dialogId';
import { OneTurnDialog, type TurnContextOf } from './oneTurnDialog';
import { reportRefusal } from './refusals';

/** Ask which offer the solution waits for (after a live offer that is not it, when one is given), or save the answer. */
export type AwaitedOfferStep =
  { readonly kind: 'ask'; readonly notOfferId?: string } | { readonly kind: 'save'; readonly awaited: AwaitedOfferInput };

export interface AwaitedOfferOptions {
  readonly solutionId: string;
  readonly step: AwaitedOfferStep;
  readonly card?: CardTarget;
}

export const AWAITED_OFFER_DIALOG_ID: DialogId<AwaitedOfferOptions> = 'awaitedOffer';

/**
 * The offer a solution awaiting a new offer waits for: the form that names, changes or clears it,
 * and what saving it does. The bot proposes a merge only into that offer when it goes live.
 */
export class AwaitedOfferDialog extends OneTurnDialog<AwaitedOfferOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(AWAITED_OFFER_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf, { solutionId, step, card }: AwaitedOfferOptions): Promise<void> {
    const scope = memberScope(context);
    if (step.kind === 'ask') {
      await this.ask(context, scope, solutionId, card, step.notOfferId);
      return;
    }
    const saved = await this.deps.service.setAwaitedOffer(scope.actor, solutionId, step.awaited);
    if (!saved.ok) {
      await reportRefusal(context, saved.refusal, this.deps, card);
      return;
    }
    const { solution } = saved.value;
    const { t } = scope;
    const heading = solution.awaitedOffer
      ? t.t('awaited.saved.named', { name: solution.name, offer: solution.awaitedOffer.name })
      : t.t('awaited.saved.open', { name: solution.name, partner: scope.actor.account.name });
    await showCard(context, solutionAttachment(saved.value, scope, heading), this.deps.log, replaceableCard(card, 'solution'));
  }

  private async ask(
    context: TurnContextOf,
    scope: MemberScope,
    solutionId: string,
    card: CardTarget | undefined,
    notOfferId: string | undefined,
  ): Promise<void> {
    const choices = await this.deps.service.awaitedOfferChoices(scope.actor, solutionId);
    if (!choices.ok) {
      await reportRefusal(context, choices.refusal, this.deps, card);
      return;
    }
    const notThis = notOfferId === undefined ? undefined : await this.deps.service.offer(scope.actor, notOfferId);
    const heading = notThis && scope.t.t('awaited.notThis', { offer: notThis.name, name: choices.value.solution.name });
    await showCard(
      context,
      awaitedOfferAttachment(choices.value, scope, heading),
      this.deps.log,
      replaceableCard(card, 'solution'),
    );
  }
}
