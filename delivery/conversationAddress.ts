import { z } from 'zod';

const account = z.looseObject({ id: z.string().min(1), name: z.string().optional() });

/**
 * How the bot reaches a conversation outside of a turn: the Bot Framework conversation reference
 * it was reached through, stored as JSON.
 */
const addressSchema = z.looseObject({
  serviceUrl: z.url(),
  channelId: z.string().min(1),
  conversation: z.looseObject({
    id: z.string().min(1),
    tenantId: z.string().optional(),
    conversationType: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  bot: account.optional(),
  user: account.optional(),
  locale: z.string().optional(),
});

export type ConversationAddress = z.output<typeof addressSchema>;

export function addressOf(reference: ConversationAddress): string {
  return JSON.stringify(reference);
}

export function readAddress(address: string): ConversationAddress | undefined {
  try {
    const parsed = addressSchema.safeParse(JSON.parse(address));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function localeOfAddress(address: string): string | undefined {
  return readAddress(address)?.locale;
}

/** Teams adds `;messageid=…` to a channel's conversation id inside a thread; the channel is what is meant. */
export function baseConversationId(id: string): string {
  return id.split(';')[0] ?? id;
}

/** A conversation across its threads and over time, as the bot keys what it keeps about it. */
export function conversationKey(channelId: string, conversationId: string): string {
  return `${channelId}:${baseConversationId(conversationId)}`;
}

/** A channel or group chat, as an activity's conversation or an address says. */
export function isGroupConversation(conversation: { readonly conversationType?: string; readonly isGroup?: boolean }): boolean {
  const type = conversation.conversationType;
  return type === 'channel' || type === 'groupChat' || conversation.isGroup === true;
}

/** The key of the channel or group chat at an address; undefined for a personal chat or an address not understood. */
export function groupConversationKeyOf(address: string): string | undefined {
  const reference = readAddress(address);
  if (!reference || !isGroupConversation(reference.conversation)) return undefined;
  return conversationKey(reference.channelId, reference.conversation.id);
}
