import type { DialogDeps } from './deps';
import { helpAttachment } from '../cards/views';
import { OneTurnDialog } from './oneTurnDialog';
import { showCard, type TurnContextOf } from './replies';
import { turnScope } from './turnScope';

export const HELP_DIALOG_ID = 'help';

/** Get Help: how to reach partner support, and where the migration is documented. */
export class HelpDialog extends OneTurnDialog {
  constructor(private readonly deps: DialogDeps) {
    super(HELP_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf): Promise<void> {
    await showCard(context, helpAttachment(turnScope(context)), this.deps.log);
  }
}
