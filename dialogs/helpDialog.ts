import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from './deps';
import { helpAttachment } from '../cards/views';
import { showCard } from './replies';
import { turnScope } from './turnScope';

export const HELP_DIALOG_ID = 'help';

/** Get Help: how to reach partner support, and where the migration is documented. */
export class HelpDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(HELP_DIALOG_ID);
    this.addDialog(new WaterfallDialog(`${HELP_DIALOG_ID}.steps`, [this.showHelp.bind(this)]));
  }

  private async showHelp(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await showCard(step.context, helpAttachment(turnScope(step.context)), this.deps.log);
    return step.endDialog();
  }
}
