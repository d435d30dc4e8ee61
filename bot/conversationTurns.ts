import type { Middleware, TurnContext } from 'botbuilder';

/** Turns queued in one conversation beyond which a turn runs at once, as it would without the queue. */
const MAX_QUEUED = 8;

interface ConversationQueue {
  tail: Promise<void>;
  /** Turns of the conversation queued or running. */
  turns: number;
}

/**
 * Runs one conversation's turns one after another in this instance. Two presses of one Save, or a
 * press and a typed answer at once, would otherwise both read the same dialog state, and the one
 * that saved second would be told it lost the race after it had already answered. Across several
 * instances the state's concurrency check still decides.
 */
export function oneTurnAtATime(): Middleware {
  const queues = new Map<string, ConversationQueue>();
  return {
    onTurn: async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
      const { channelId, conversation } = context.activity;
      if (!conversation?.id) return next();
      const key = `${channelId}:${conversation.id}`;
      const queue = queues.get(key) ?? { tail: Promise.resolve(), turns: 0 };
      if (queue.turns >= MAX_QUEUED) return next();
      const before = queue.tail;
      let finish: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      queue.tail = before.then(() => finished);
      queue.turns++;
      queues.set(key, queue);
      try {
        await before;
        await next();
      } finally {
        finish();
        if (--queue.turns === 0) queues.delete(key);
      }
    },
  };
}
