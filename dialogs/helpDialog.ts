import { helpAttachment } from '../cards/help';
import { sendText, showCard } from '../turn/replies';
import { memberScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { DialogId } from './dialogId';
import { OneTurnDialog, type TurnContextOf } from './oneTurnDialog';

export interface HelpOptions {
  /** Get Help pressed on a solution's card: its merge request is followed up first. */
  readonly solutionId?: string;
}

export const HELP_DIALOG_ID: DialogId<HelpOptions> = 'help';

/**
 * Get Help: how to reach partner support, and where the migration is documented; for a solution
 * with an open merge request, that request's ID, when it was due, and what to do now.
 */
export class HelpDialog extends OneTurnDialog<HelpOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(HELP_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf, { solutionId }: HelpOptions): Promise<void> {
    const scope = memberScope(context);
    const { t } = scope;
    const request = solutionId ? await this.deps.service.openMergeRequest(scope.actor, solutionId) : undefined;
    if (request) {
      const overdue = request.dueAt.getTime() <= this.deps.clock.now().getTime();
      await sendText(
        context,
        t.t(overdue ? 'help.request.overdue' : 'help.request.open', {
          requestId: request.id,
          requested: t.date(request.requestedAt),
          due: t.date(request.dueAt),
          solutionId: request.ocpSolutionId,
        }),
      );
    }
    await showCard(context, helpAttachment(scope), this.deps.log);
  }
}
