import { z } from 'zod';

const account = z.looseObject({ id: z.string().min(1), name: z.string().optional() });

/**
 * How the bot reaches a conversation outside of a turn: the Bot Framework conversation reference
 * it was reached through, stored as JSON.
 */
const addressSchema = z.looseObject({
  serviceUrl: z.url(),
  channelId: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1), tenantId: z.string().optional() }),
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
