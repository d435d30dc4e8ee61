import type { ActionOf } from '../cards/actions';
import { supportRequestAttachment } from '../cards/supportRequest';
import type { SupportAgent, SupportRequest } from '../domain/model';
import { ok, type Result } from '../domain/result';
import { baseConversationId } from '../turn/conversations';
import type { CardTarget } from '../turn/input';
import { sendText, showCard } from '../turn/replies';
import { turnScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { DialogId } from './dialogId';
import { OneTurnDialog, type TurnContextOf } from './oneTurnDialog';
import { refusalText } from './refusals';

export interface SupportDeskOptions {
  readonly action: ActionOf<'completeMerge'> | ActionOf<'requestInfo'>;
  /** The request's card in the support channel, drawn again with what support did. */
  readonly card: CardTarget;
}

export const SUPPORT_DESK_DIALOG_ID: DialogId<SupportDeskOptions> = 'supportDesk';

/**
 * Partner support's side: Mark merged and Ask for more information, pressed on a request's card in
 * the support channel. Only that channel's members (and, when configured, only listed agents) may;
 * they need not be members of any partner.
 */
export class SupportDeskDialog extends OneTurnDialog<SupportDeskOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(SUPPORT_DESK_DIALOG_ID);
  }

  protected async answer(context: TurnContextOf, { action, card }: SupportDeskOptions): Promise<void> {
    const scope = turnScope(context);
    const { t } = scope;
    const agent = this.agentOf(context);
    if (!agent) {
      await sendText(context, t.t('support.notAgent'));
      return;
    }
    const outcome = await this.act(agent, action);
    if (!outcome.ok) {
      await sendText(context, refusalText(outcome.refusal, scope));
      return;
    }
    await this.redraw(context, action.requestId, card);
    const { id: requestId, requestedBy } = outcome.value;
    const done = action.verb === 'completeMerge' ? 'support.merged.done' : 'support.info.done';
    await sendText(context, t.t(done, { requestId, name: requestedBy.name }));
  }

  /** Mark merged, or ask for more information: the request as it stands afterwards. */
  private async act(agent: SupportAgent, action: SupportDeskOptions['action']): Promise<Result<SupportRequest>> {
    if (action.verb === 'requestInfo') return this.deps.service.requestMoreInfo(agent, action.requestId, action.infoNeeded ?? '');
    const merged = await this.deps.service.completeMerge(agent, action.requestId);
    return merged.ok ? ok(merged.value.request) : merged;
  }

  private agentOf(context: TurnContextOf): SupportAgent | undefined {
    const { channelId, agentIds } = this.deps.supportTeam;
    const { conversation, from } = context.activity;
    if (!channelId || baseConversationId(conversation.id) !== baseConversationId(channelId)) return undefined;
    const ids = [from.aadObjectId, from.id].filter((id): id is string => !!id);
    if (agentIds.length > 0 && !ids.some((id) => agentIds.includes(id))) return undefined;
    return { userId: from.aadObjectId ?? from.id, name: from.name ?? from.id };
  }

  /** The card the button was pressed on, drawn again with the request as it now stands. */
  private async redraw(context: TurnContextOf, requestId: string, card: CardTarget): Promise<void> {
    const supportCase = await this.deps.service.supportCase(requestId);
    if (!supportCase || !card.activityId) return;
    const { request, solution, account } = supportCase;
    const { t } = turnScope(context);
    await showCard(
      context,
      supportRequestAttachment(request, solution, account, t, this.deps.clock.now()),
      this.deps.log,
      card.activityId,
    );
  }
}
