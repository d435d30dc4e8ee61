import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';

export type TurnContextOf = DialogContext['context'];

/**
 * A dialog that answers in the turn it begins and ends there: the overview, help, a page of the
 * list, a discard undone. With nothing to gather it needs no waterfall, and so no inner dialog
 * context, which botbuilder would build, with its state manager, on every such turn. Every dialog
 * that gathers nothing is one of these; a dialog that asks something is a waterfall.
 */
export abstract class OneTurnDialog<O extends object> extends Dialog<O> {
  override async beginDialog(dc: DialogContext, options?: O): Promise<DialogTurnResult> {
    if (options === undefined) throw new Error(`Dialog ${this.id} was begun without its options`);
    await this.answer(dc.context, options);
    return dc.endDialog();
  }

  protected abstract answer(context: TurnContextOf, options: O): Promise<void>;
}
