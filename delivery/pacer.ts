import type { Pacing } from '../domain/ports/outbox';

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
  /** Added to every window, for clocks or networks that the rule below does not cover. */
  readonly marginMs?: number;
}

interface Sends {
  /** When the answers to past sends came back, oldest first. */
  readonly answeredAt: number[];
  /** Sends that left and have no answer yet: they may arrive at any moment. */
  inFlight: number;
  /** The holding of the sending lease these were counted in, on a store several instances share. */
  readonly term?: number;
}

/** While a send is in flight nothing can be known about the window it fills: look again this soon. */
const IN_FLIGHT_RETRY_MS = 5;

/**
 * Keeps sends under every Teams rate window instead of bouncing off them. Teams counts arrivals, and
 * a request arrives after it leaves and before its answer comes back; so a send counts from when it
 * leaves until it is answered, and from its answer on. A new send may leave once the send `limit`
 * places before it was answered a whole window ago: then they arrived at least a window apart,
 * whatever the latency was. In memory: one process sends for the bot (see the README).
 */
export class Pacer {
  private readonly conversationLimits: readonly RateWindow[];
  private readonly tenantLimits: readonly RateWindow[];
  private readonly marginMs: number;
  /** How far back a send can still count: the longest window. */
  readonly horizonMs: number;
  private readonly conversations = new Map<string, Sends>();
  private readonly tenants = new Map<string, Sends>();
  private answersSincePrune = 0;

  constructor(options: PacerOptions = {}) {
    this.conversationLimits = options.conversation ?? TEAMS_CONVERSATION_LIMITS;
    this.tenantLimits = options.tenant ?? TEAMS_TENANT_LIMITS;
    this.marginMs = options.marginMs ?? 0;
    this.horizonMs = Math.max(...[...this.conversationLimits, ...this.tenantLimits].map((w) => w.windowMs)) + this.marginMs;
  }

  /** Milliseconds until a send under `pacing` keeps every window within its limit; 0 means now. */
  delay(pacing: Pacing, now: number): number {
    const conversation = this.wait(this.conversations.get(pacing.conversation), this.conversationLimits, now);
    const tenant = pacing.tenant ? this.wait(this.tenants.get(pacing.tenant), this.tenantLimits, now) : 0;
    return Math.max(conversation, tenant);
  }

  /**
   * Whether sends under this conversation or tenant were counted here lately, in the same `term` of
   * its sending lease: in another, other instances may have sent there meanwhile.
   */
  knows(scope: keyof Pacing, key: string, term?: number): boolean {
    const sends = (scope === 'conversation' ? this.conversations : this.tenants).get(key);
    return sends !== undefined && sends.term === term;
  }

  /**
   * Counts sends answered elsewhere or before (another instance, the process before a restart)
   * under a conversation or tenant this pacer has not seen lately, or saw in another term. The
   * answers read from the store replace what it counted there itself: they hold every send that was
   * delivered or given up, though not an attempt that is to be retried.
   */
  seed(scope: keyof Pacing, key: string, answeredAt: readonly Date[], term?: number): void {
    const map = scope === 'conversation' ? this.conversations : this.tenants;
    const inFlight = map.get(key)?.inFlight ?? 0;
    map.set(key, {
      answeredAt: answeredAt.map((at) => at.getTime()).sort((a, b) => a - b),
      inFlight,
      ...(term !== undefined && { term }),
    });
  }

  /** A send under `pacing` is leaving now. */
  leaving(pacing: Pacing): void {
    this.sendsOf(this.conversations, pacing.conversation).inFlight++;
    if (pacing.tenant) this.sendsOf(this.tenants, pacing.tenant).inFlight++;
  }

  /** The send that left under `pacing` was answered (whatever the answer) at `at`. */
  answered(pacing: Pacing, at: number): void {
    this.answer(this.conversations, pacing.conversation, at);
    if (pacing.tenant) this.answer(this.tenants, pacing.tenant, at);
    if (++this.answersSincePrune >= 1000) {
      this.answersSincePrune = 0;
      this.prune(this.conversations, at);
      this.prune(this.tenants, at);
    }
  }

  private wait(sends: Sends | undefined, windows: readonly RateWindow[], now: number): number {
    if (!sends) return 0;
    let wait = 0;
    for (const { limit, windowMs } of windows) {
      if (sends.inFlight >= limit) return IN_FLIGHT_RETRY_MS;
      // The answered send that must have left the window: in-flight sends count as the most recent.
      const limiting = sends.answeredAt[sends.answeredAt.length - (limit - sends.inFlight)];
      if (limiting !== undefined) wait = Math.max(wait, limiting + windowMs + this.marginMs - now);
    }
    return Math.max(0, Math.ceil(wait));
  }

  private sendsOf(map: Map<string, Sends>, key: string): Sends {
    let sends = map.get(key);
    if (!sends) {
      sends = { answeredAt: [], inFlight: 0 };
      map.set(key, sends);
    }
    return sends;
  }

  private answer(map: Map<string, Sends>, key: string, at: number): void {
    const sends = this.sendsOf(map, key);
    sends.inFlight = Math.max(0, sends.inFlight - 1);
    // Answers come back nearly in order; keep the list sorted by walking back from its end.
    let index = sends.answeredAt.length;
    while (index > 0 && (sends.answeredAt[index - 1] ?? 0) > at) index--;
    sends.answeredAt.splice(index, 0, at);
    const stale = sends.answeredAt.findIndex((time) => time > at - this.horizonMs);
    if (stale > 0) sends.answeredAt.splice(0, stale);
  }

  private prune(map: Map<string, Sends>, now: number): void {
    for (const [key, sends] of map) {
      if (sends.inFlight === 0 && (sends.answeredAt[sends.answeredAt.length - 1] ?? 0) <= now - this.horizonMs) map.delete(key);
    }
  }
}
