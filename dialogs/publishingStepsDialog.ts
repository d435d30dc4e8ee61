import { publishingStepsAttachment } from '../cards/publishingSteps';
import type { CardTarget } from '../turn/input';
import { replaceableCard, showCard } from '../turn/replies';
import { memberScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { DialogId } from './dialogId';
import { OneTurnDialog, type TurnContextOf } from './oneTurnDialog';
import { reportRefusal } from './refusals';

export interface PublishingStepsOptions {
  readonly solutionId: string;
  readonly card?: CardTarget;
}

export const PUBLISHING_STEPS_DIALOG_ID: DialogId<PublishingStepsOptions> = 'publishingSteps';

/** The steps to publish the offer a solution waits for, or the draft an old migration left. */
export class PublishingStepsDialog extends OneTurnDialog<PublishingStepsOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(PUBLISHING_STEPS_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf, { solutionId, card }: PublishingStepsOptions): Promise<void> {
    const scope = memberScope(context);
    const found = await this.deps.service.getSolution(scope.actor, solutionId);
    if (!found.ok) {
      await reportRefusal(context, found.refusal, this.deps, card);
      return;
    }
    const steps = publishingStepsAttachment(found.value.solution, scope);
    await showCard(context, steps, this.deps.log, replaceableCard(card, 'solution'));
  }
}
