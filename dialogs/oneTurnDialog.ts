import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TurnContextOf } from './replies';

/**
 * A dialog that answers in the turn it begins and ends there: the overview, help, a page of the
 * list. With nothing to gather it needs no waterfall, and so no inner dialog context, which
 * botbuilder would build, with its state manager, on every such turn.
 */
export abstract class OneTurnDialog<O extends object = object> extends Dialog<O> {
  override async beginDialog(dc: DialogContext, options?: O): Promise<DialogTurnResult> {
    await this.answer(dc.context, options);
    return dc.endDialog();
  }

  protected abstract answer(context: TurnContextOf, options: O | undefined): Promise<void>;
}
