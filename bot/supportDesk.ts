import type { TurnContext } from 'botbuilder';
import type { ActionOf } from '../cards/actions';
import { supportRequestAttachment } from '../cards/supportViews';
import type { MigrationService } from '../domain/migrationService';
import type { SupportAgent } from '../domain/model';
import type { Refusal } from '../domain/result';
import type { Translator } from '../locales/i18n';
import type { SupportSettings } from './config';
import { sendText, showCard } from '../dialogs/replies';
import type { Logger } from './logger';

type SupportAction = ActionOf<'completeMerge'> | ActionOf<'requestInfo'>;

/**
 * Partner support's side: Mark merged and Ask for more information, pressed on a request's card in
 * the support channel. Only that channel's members (and, when configured, only listed agents) may.
 */
export class SupportDesk {
  constructor(
    private readonly service: MigrationService,
    private readonly settings: SupportSettings,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  agentOf(context: TurnContext): SupportAgent | undefined {
    const channel = this.settings.teams?.channelId;
    const { conversation, from } = context.activity;
    if (!channel || baseConversationId(conversation.id) !== baseConversationId(channel)) return undefined;
    const ids = [from.aadObjectId, from.id].filter((id): id is string => !!id);
    if (this.settings.agentIds.length > 0 && !ids.some((id) => this.settings.agentIds.includes(id))) return undefined;
    return { userId: from.aadObjectId ?? from.id, name: from.name ?? from.id };
  }

  async handle(context: TurnContext, action: SupportAction, cardActivityId: string | undefined, t: Translator): Promise<void> {
    const agent = this.agentOf(context);
    if (!agent) {
      await sendText(context, t.t('support.notAgent'));
      return;
    }
    if (action.verb === 'completeMerge') {
      const outcome = await this.service.completeMerge(agent, action.requestId);
      if (!outcome.ok) return this.refuse(context, outcome.refusal, t);
      await this.redraw(context, action.requestId, cardActivityId, t);
      await sendText(
        context,
        t.t('support.merged.done', { requestId: outcome.value.request.id, name: outcome.value.request.requestedBy.name }),
      );
      return;
    }
    const outcome = await this.service.requestMoreInfo(agent, action.requestId, action.infoNeeded ?? '');
    if (!outcome.ok) return this.refuse(context, outcome.refusal, t);
    await this.redraw(context, action.requestId, cardActivityId, t);
    await sendText(context, t.t('support.info.done', { requestId: outcome.value.id, name: outcome.value.requestedBy.name }));
  }

  /** The card the button was pressed on, drawn again with the request as it now stands. */
  private async redraw(
    context: TurnContext,
    requestId: string,
    cardActivityId: string | undefined,
    t: Translator,
  ): Promise<void> {
    const supportCase = await this.service.supportCase(requestId);
    if (!supportCase || !cardActivityId) return;
    const { request, solution, account } = supportCase;
    await showCard(context, supportRequestAttachment(request, solution, account, t, this.now()), this.log, cardActivityId);
  }

  private async refuse(context: TurnContext, refusal: Refusal, t: Translator): Promise<void> {
    switch (refusal.code) {
      case 'requestNotFound':
        return sendText(context, t.t('refusal.requestNotFound', { requestId: refusal.requestId }));
      case 'requestCompleted':
        return sendText(context, t.t('refusal.requestCompleted', { requestId: refusal.request.id }));
      case 'invalidInfoNeeded':
        return sendText(context, t.t('support.infoNeeded.invalid'));
      default:
        return sendText(context, t.t('error.turn'));
    }
  }
}

/** Teams adds `;messageid=…` to a channel's conversation id for a thread in it. */
function baseConversationId(id: string): string {
  return id.split(';')[0] ?? id;
}
