import { TurnContext, type Activity } from 'botbuilder';
import { z } from 'zod';
import { addressOf, baseConversationId, conversationKey, isGroupConversation } from '../delivery/conversationAddress';
import type { ConversationInfo, UserIdentity } from '../domain/model';

const teamsChannelData = z.looseObject({
  tenant: z.looseObject({ id: z.string() }).optional(),
  team: z.looseObject({ id: z.string() }).optional(),
  channel: z.looseObject({ id: z.string() }).optional(),
  eventType: z.string().optional(),
});

export type TeamsChannelData = z.output<typeof teamsChannelData>;

export function channelDataOf(activity: Pick<Activity, 'channelData'>): TeamsChannelData {
  const parsed = teamsChannelData.safeParse(activity.channelData);
  return parsed.success ? parsed.data : {};
}

export { baseConversationId, conversationKey };

/** A channel or group chat: where the conversation's language, once chosen, is everyone's. */
export function isGroupActivity(activity: Pick<Activity, 'conversation'>): boolean {
  return activity.conversation !== undefined && isGroupConversation(activity.conversation);
}

export function tenantOf(activity: Activity): string | undefined {
  return activity.conversation?.tenantId ?? channelDataOf(activity).tenant?.id;
}

/** Where a turn happens, with the address to post to it later: the channel itself, not the thread. */
export function conversationInfoOf(activity: Activity, locale: string): ConversationInfo {
  const { conversation } = activity;
  const channelData = channelDataOf(activity);
  const kind = conversation.conversationType === 'channel' ? 'channel' : isGroupActivity(activity) ? 'groupChat' : 'personal';
  const reference = TurnContext.getConversationReference(activity);
  const tenantId = tenantOf(activity);
  return {
    key: conversationKey(activity.channelId, conversation.id),
    kind,
    address: addressOf({
      serviceUrl: activity.serviceUrl,
      channelId: activity.channelId,
      conversation: { ...reference.conversation, id: baseConversationId(conversation.id) },
      ...(reference.bot && { bot: { id: reference.bot.id, name: reference.bot.name } }),
      ...(reference.user && { user: { id: reference.user.id, name: reference.user.name } }),
      locale,
    }),
    locale,
    ...(tenantId && { tenantId }),
    ...(channelData.team?.id && { teamId: channelData.team.id }),
  };
}

/** Who sent the activity, as far as the channel tells: what the partner member is looked up by. */
export function identityOf(activity: Activity): UserIdentity {
  const tenantId = tenantOf(activity);
  return {
    userId: activity.from.id,
    ...(activity.from.name && { name: activity.from.name }),
    ...(activity.from.aadObjectId && { aadObjectId: activity.from.aadObjectId }),
    ...(tenantId && { tenantId }),
  };
}

/** A user across their conversations with the bot: Teams keeps a user's id the same in all of them. */
export function userKeyOf(activity: Activity): string {
  return `${activity.channelId}:${activity.from.id}`;
}
