import { solutionListAttachment } from '../cards/solutionList';
import type { CardTarget } from '../turn/input';
import { replaceableCard, showCard } from '../turn/replies';
import { memberScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { DialogId } from './dialogId';
import { OneTurnDialog, type TurnContextOf } from './oneTurnDialog';

export interface SolutionsOptions {
  readonly page: number;
  /** Paging from a list card redraws that card instead of adding another. */
  readonly card?: CardTarget;
}

export const SOLUTIONS_DIALOG_ID: DialogId<SolutionsOptions> = 'solutions';

/** A page of the partner's solutions, pending action first. */
export class SolutionsDialog extends OneTurnDialog<SolutionsOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(SOLUTIONS_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf, { page, card }: SolutionsOptions): Promise<void> {
    const scope = memberScope(context);
    const list = await this.deps.service.listSolutions(scope.actor, page);
    await showCard(context, solutionListAttachment(list, scope, this.deps.rows), this.deps.log, replaceableCard(card, 'list'));
  }
}
