import { solutionAttachment } from '../cards/solution';
import type { CardTarget } from '../turn/input';
import { showCard } from '../turn/replies';
import { memberScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { DialogId } from './dialogId';
import { OneTurnDialog, type TurnContextOf } from './oneTurnDialog';
import { reportRefusal } from './refusals';

export interface SolutionOptions {
  readonly solutionId: string;
  readonly card?: CardTarget;
}

export const SOLUTION_DIALOG_ID: DialogId<SolutionOptions> = 'solution';

/**
 * One solution as it stands, opened from its row of the list: a card of its own below the list,
 * which stays as it was for the next row.
 */
export class SolutionDialog extends OneTurnDialog<SolutionOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(SOLUTION_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf, { solutionId, card }: SolutionOptions): Promise<void> {
    const scope = memberScope(context);
    const found = await this.deps.service.getSolution(scope.actor, solutionId);
    if (!found.ok) {
      await reportRefusal(context, found.refusal, this.deps, card);
      return;
    }
    await showCard(context, solutionAttachment(found.value, scope), this.deps.log);
  }
}
