/**
 * Teams' rate limits for a bot's messages as its documentation states them, written out here
 * rather than taken from the bot's pacer: the loopback connectors check the pacer against them.
 */
const PER_CONVERSATION = [
  { limit: 7, windowMs: 1000 },
  { limit: 8, windowMs: 2000 },
  { limit: 60, windowMs: 30_000 },
] as const;
const PER_TENANT = [{ limit: 50, windowMs: 1000 }] as const;
const LONGEST_WINDOW_MS = 30_000;

/** Counts what a connector takes, per conversation and per tenant, and says when a post is over. */
export class TeamsLimits {
  private readonly arrivals = new Map<string, number[]>();

  /** 0 when a post arriving at `now` is within every window, and it is counted; else how long until it would be. */
  admit(conversationId: string, tenant: string, now: number): number {
    const checks: [string, readonly { limit: number; windowMs: number }[]][] = [
      [`conversation:${conversationId}`, PER_CONVERSATION],
      [`tenant:${tenant}`, PER_TENANT],
    ];
    let wait = 0;
    for (const [key, windows] of checks) {
      const times = this.arrivals.get(key) ?? [];
      for (const { limit, windowMs } of windows) {
        const inWindow = times.filter((time) => time > now - windowMs);
        if (inWindow.length >= limit) wait = Math.max(wait, (inWindow[inWindow.length - limit] ?? now) + windowMs - now);
      }
    }
    if (wait > 0) return wait;
    for (const [key] of checks) {
      const times = this.arrivals.get(key) ?? [];
      times.push(now);
      while (times.length > 0 && (times[0] ?? now) <= now - LONGEST_WINDOW_MS) times.shift();
      this.arrivals.set(key, times);
    }
    return 0;
  }
}
