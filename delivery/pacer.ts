import type { Pacing } from '../domain/ports';

export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

/** What Teams allows a bot per conversation. */
export const TEAMS_CONVERSATION_LIMITS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1000 },
  { limit: 8, windowMs: 2000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1800, windowMs: 3_600_000 },
];

/** What Teams allows a bot per tenant, across all its conversations. */
export const TEAMS_TENANT_LIMITS: readonly RateWindow[] = [{ limit: 50, windowMs: 1000 }];

export interface PacerOptions {
  readonly conversation?: readonly RateWindow[];
  readonly tenant?: readonly RateWindow[];
  /**
   * Added to every window: Teams counts arrivals, and latency varies between requests, so sends
   * spaced exactly at a limit could arrive closer together than they left.
   */
  readonly marginMs?: number;
}

/**
 * Keeps sends under every Teams rate window instead of bouncing off them: says how long to wait
 * before the next send to a conversation, and remembers each send it allowed. In memory: one process
 * sends for the bot (see the README on running several instances).
 */
export class Pacer {
  private readonly conversationLimits: readonly RateWindow[];
  private readonly tenantLimits: readonly RateWindow[];
  private readonly marginMs: number;
  private readonly horizonMs: number;
  private readonly conversations = new Map<string, number[]>();
  private readonly tenants = new Map<string, number[]>();
  private recordsSincePrune = 0;

  constructor(options: PacerOptions = {}) {
    this.conversationLimits = options.conversation ?? TEAMS_CONVERSATION_LIMITS;
    this.tenantLimits = options.tenant ?? TEAMS_TENANT_LIMITS;
    this.marginMs = options.marginMs ?? 50;
    this.horizonMs = Math.max(...[...this.conversationLimits, ...this.tenantLimits].map((w) => w.windowMs)) + this.marginMs;
  }

  /** Milliseconds until a send under `pacing` keeps every window within its limit; 0 means now. */
  delay(pacing: Pacing, now: number): number {
    const conversation = this.wait(this.conversations.get(pacing.conversation), this.conversationLimits, now);
    const tenant = pacing.tenant ? this.wait(this.tenants.get(pacing.tenant), this.tenantLimits, now) : 0;
    return Math.max(conversation, tenant);
  }

  /** A send under `pacing` is going out now. */
  record(pacing: Pacing, now: number): void {
    this.remember(this.conversations, pacing.conversation, now);
    if (pacing.tenant) this.remember(this.tenants, pacing.tenant, now);
    if (++this.recordsSincePrune >= 1000) {
      this.recordsSincePrune = 0;
      this.prune(this.conversations, now);
      this.prune(this.tenants, now);
    }
  }

  private wait(times: readonly number[] | undefined, windows: readonly RateWindow[], now: number): number {
    if (!times) return 0;
    let wait = 0;
    for (const { limit, windowMs } of windows) {
      // Allowed once the limit-th most recent send has left the window.
      const limiting = times[times.length - limit];
      if (limiting !== undefined) wait = Math.max(wait, limiting + windowMs + this.marginMs - now);
    }
    return Math.max(0, Math.ceil(wait));
  }

  private remember(map: Map<string, number[]>, key: string, now: number): void {
    const times = map.get(key) ?? [];
    times.push(now);
    const stale = times.findIndex((at) => at > now - this.horizonMs);
    if (stale > 0) times.splice(0, stale);
    map.set(key, times);
  }

  private prune(map: Map<string, number[]>, now: number): void {
    for (const [key, times] of map) {
      if ((times[times.length - 1] ?? 0) <= now - this.horizonMs) map.delete(key);
    }
  }
}
