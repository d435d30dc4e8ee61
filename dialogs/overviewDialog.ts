import type { DialogDeps } from './deps';
import { overviewAttachment } from '../cards/views';
import { OneTurnDialog } from './oneTurnDialog';
import { showCard, type TurnContextOf } from './replies';
import { turnScope } from './turnScope';

export const OVERVIEW_DIALOG_ID = 'overview';

/** What the bot does, whether the partner meets the prerequisites, and what the user's role allows. */
export class OverviewDialog extends OneTurnDialog {
  constructor(private readonly deps: DialogDeps) {
    super(OVERVIEW_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf): Promise<void> {
    const scope = turnScope(context);
    const overview = await this.deps.service.overview(scope.actor);
    await showCard(context, overviewAttachment(overview, scope), this.deps.log);
  }
}
