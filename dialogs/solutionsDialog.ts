import type { DialogDeps } from './deps';
import { solutionListAttachment } from '../cards/views';
import { OneTurnDialog } from './oneTurnDialog';
import { replaceableCard, showCard, type TurnContextOf } from './replies';
import type { CardTarget } from './turnInput';
import { turnScope } from './turnScope';

export const SOLUTIONS_DIALOG_ID = 'solutions';

export interface SolutionsOptions {
  readonly page: number;
  /** Paging from a list card redraws that card instead of adding another. */
  readonly card?: CardTarget;
}

/** A page of the partner's solutions, pending action first. */
export class SolutionsDialog extends OneTurnDialog<SolutionsOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(SOLUTIONS_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf, options: SolutionsOptions | undefined): Promise<void> {
    const scope = turnScope(context);
    const list = await this.deps.service.listSolutions(scope.actor, options?.page ?? 1);
    await showCard(
      context,
      solutionListAttachment(list, scope, this.deps.rows),
      this.deps.log,
      replaceableCard(options?.card, 'list'),
    );
  }
}
