import type { CloudAdapter, ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { NotificationSender, OutboundMessage, SendOutcome } from '../domain/ports';

const account = z.looseObject({ id: z.string().min(1) });
const referenceSchema = z.looseObject({
  serviceUrl: z.url(),
  channelId: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1) }),
  bot: account.optional(),
  user: account.optional(),
  locale: z.string().optional(),
});

/** A conversation's address as the bot stores it: its Bot Framework conversation reference. */
export function addressOf(reference: Partial<ConversationReference>): string {
  return JSON.stringify(reference);
}

export function readAddress(address: string): ConversationReference | undefined {
  try {
    const parsed = referenceSchema.safeParse(JSON.parse(address));
    // The schema checked what proactive sends read; the rest of a reference passes through as stored.
    return parsed.success ? (parsed.data as unknown as ConversationReference) : undefined;
  } catch {
    return undefined;
  }
}

export function localeOfAddress(address: string): string | undefined {
  return readAddress(address)?.locale;
}

/** Proactive messages through the Bot Framework adapter. */
export class BotNotificationSender implements NotificationSender {
  constructor(
    private readonly adapter: CloudAdapter,
    /** Empty in development mode, where nothing is authenticated. */
    private readonly appId: string,
  ) {}

  async send(address: string, message: OutboundMessage): Promise<SendOutcome> {
    const reference = readAddress(address);
    if (!reference) return { ok: false, status: 400, error: 'not a conversation address' };
    let outcome: SendOutcome = { ok: false, error: 'the adapter did not run the send' };
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      // Caught here: an error thrown out of this callback would go to onTurnError and be lost to us.
      try {
        const response = await context.sendActivity({
          type: 'message',
          ...message,
          attachments: message.attachments && [...message.attachments],
        });
        outcome = { ok: true, ...(response?.id && { messageId: response.id }) };
      } catch (error: unknown) {
        outcome = failureOf(error);
      }
    });
    return outcome;
  }
}

function failureOf(error: unknown): SendOutcome {
  const status = typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined;
  return {
    ok: false,
    error: error instanceof Error ? error.message : String(error),
    ...(typeof status === 'number' && { status }),
  };
}
