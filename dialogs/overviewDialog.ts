import { overviewAttachment } from '../cards/overview';
import { showCard } from '../turn/replies';
import { memberScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { DialogId } from './dialogId';
import { OneTurnDialog, type TurnContextOf } from './oneTurnDialog';

export const OVERVIEW_DIALOG_ID: DialogId<object> = 'overview';

/** What the bot does, whether the partner meets the prerequisites, and what the user's role allows. */
export class OverviewDialog extends OneTurnDialog<object> {
  constructor(private readonly deps: DialogDeps) {
    super(OVERVIEW_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf): Promise<void> {
    const scope = memberScope(context);
    const overview = await this.deps.service.overview(scope.actor);
    await showCard(context, overviewAttachment(overview, scope), this.deps.log);
  }
}
