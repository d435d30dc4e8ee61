import type { Middleware, TurnContext } from 'botbuilder';
import type { Logger } from './logger';

/** One log line per turn with its ids and duration. Never the message text: users type customer details. */
export function turnLogging(log: Logger): Middleware {
  return {
    onTurn: async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
      const started = performance.now();
      const { activity } = context;
      await next();
      log.info(
        {
          conversationId: activity.conversation?.id,
          activityId: activity.id,
          activityType: activity.type,
          channelId: activity.channelId,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'turn',
      );
    },
  };
}
