import { helpAttachment } from '../cards/help';
import { showCard } from '../turn/replies';
import { memberScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { DialogId } from './dialogId';
import { OneTurnDialog, type TurnContextOf } from './oneTurnDialog';

export const HELP_DIALOG_ID: DialogId<object> = 'help';

/** Get Help: how to reach partner support, and where the migration is documented. */
export class HelpDialog extends OneTurnDialog<object> {
  constructor(private readonly deps: DialogDeps) {
    super(HELP_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf): Promise<void> {
    await showCard(context, helpAttachment(memberScope(context)), this.deps.log);
  }
}
