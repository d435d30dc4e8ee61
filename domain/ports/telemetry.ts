/**
 * What an operator sees of the bot's work: counts, durations and gauges, and the requests and
 * background operations that calls to other services hang under. Every attribute has a name of
 * this vocabulary, and its value is an id, a kind or a count the bot chose: never what a user
 * typed, a token or a secret. Without telemetry configured, `noTelemetry` takes the calls and does
 * nothing. An implementation never throws: telemetry must not fail a turn.
 */

export type TelemetryAttributeName =
  /** Which of the bot's HTTP endpoints a request came to: messages, notifications, import, health, home. */
  | 'bot.endpoint'
  /** That endpoint's path, which names the request in Application Insights. */
  | 'http.route'
  /** How a turn, request or operation ended: ok, failed, unauthenticated, throttled, … */
  | 'bot.outcome'
  /** The activity's type: message, invoke, conversationUpdate, … (others as `other`). */
  | 'bot.activity_type'
  /** What the user asked for, by kind: command, action, text, … (what they typed is never recorded). */
  | 'bot.input'
  /** A card action's verb, one of the bot's own. */
  | 'bot.verb'
  /** A command, one of the bot's own, whatever language it was typed in. */
  | 'bot.command'
  /** The partner account a member acted for. On requests only, never on metrics: there are many accounts. */
  | 'bot.partner_account'
  /** The kind of an outbox job: supportRequest, certificationCard, … */
  | 'bot.outbox_kind'
  /** Which attempt at a job this is, from 1. */
  | 'bot.attempt'
  /** Who sent through the Bot Connector: a turn's reply, or the outbox. */
  | 'bot.origin'
  /** The HTTP status another service answered, when it answered. */
  | 'bot.status'
  /** An import that only checked its files. */
  | 'bot.dry_run';

export type TelemetryValue = string | number | boolean;
export type TelemetryAttributes = { readonly [Name in TelemetryAttributeName]?: TelemetryValue };

/** Counters: what each counts is in its description where it is made (bot/azureMonitor.ts). */
export const COUNTER_NAMES = [
  'bot.turns',
  'bot.sends',
  'bot.throttled',
  'bot.outbox.jobs',
  'bot.imports',
  'bot.import.rows',
  'bot.import.problems',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];

/** Durations, in milliseconds. */
export const HISTOGRAM_NAMES = ['bot.turn.duration', 'bot.import.duration'] as const;
export type HistogramName = (typeof HISTOGRAM_NAMES)[number];

/** Values read from the store when metrics are exported. */
export const GAUGE_NAMES = ['bot.outbox.depth', 'bot.outbox.oldest_age'] as const;
export type GaugeName = (typeof GAUGE_NAMES)[number];

/** Work that is not an HTTP request but has calls of its own to show: each becomes an operation. */
export type OperationName = 'outbox.send' | 'partnerCenter.sync' | 'retention.prune' | 'import';

export type GaugeReading = { readonly [Name in GaugeName]?: number };

export interface Telemetry {
  count(name: CounterName, value: number, attributes?: TelemetryAttributes): void;
  record(name: HistogramName, value: number, attributes?: TelemetryAttributes): void;
  /**
   * Gauges, read only when metrics are exported (about once a minute), never per turn; `read` must
   * be cheap, and one that fails or takes long is skipped that time.
   */
  observe(read: () => Promise<GaugeReading>): void;
  /** Adds to what the request or operation under way is recorded with; `failed` marks it unsuccessful. */
  describe(attributes: TelemetryAttributes, options?: { readonly failed?: boolean }): void;
  /**
   * Runs `work` as an operation: on its own, a background operation of its own (an outbox send, a
   * sync run); within a request or another operation, a step of it. What `work` calls hangs under it.
   */
  operation<T>(name: OperationName, attributes: TelemetryAttributes, work: () => Promise<T>): Promise<T>;
  /**
   * Runs `work` apart from the request under way: what it starts, and what that starts later (timers
   * included), belongs to no request. For work a request only sets off, such as the outbox's sends.
   */
  detached<T>(work: () => T): T;
}

/** Telemetry that records nothing: what runs without a connection string. */
export const noTelemetry: Telemetry = Object.freeze({
  count: () => undefined,
  record: () => undefined,
  observe: () => undefined,
  describe: () => undefined,
  operation: <T>(_name: OperationName, _attributes: TelemetryAttributes, work: () => Promise<T>): Promise<T> => work(),
  detached: <T>(work: () => T): T => work(),
});
