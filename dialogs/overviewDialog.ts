import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from './deps';
import { overviewAttachment } from '../cards/views';
import { showCard } from './replies';
import { turnScope } from './turnScope';

export const OVERVIEW_DIALOG_ID = 'overview';

/** What the bot does, whether the partner meets the prerequisites, and what the user's role allows. */
export class OverviewDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(OVERVIEW_DIALOG_ID);
    this.addDialog(new WaterfallDialog(`${OVERVIEW_DIALOG_ID}.steps`, [this.showOverview.bind(this)]));
  }

  private async showOverview(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const scope = turnScope(step.context);
    const overview = await this.deps.service.overview(scope.actor);
    await showCard(step.context, overviewAttachment(overview, scope), this.deps.log);
    return step.endDialog();
  }
}
