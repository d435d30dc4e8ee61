import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import {
  context,
  diag,
  DiagLogLevel,
  isSpanContextValid,
  metrics,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Counter,
  type DiagLogger,
  type Histogram,
  type Meter,
  type ObservableGauge,
  type Tracer,
} from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { PgInstrumentationConfig } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { AggregationType } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  GAUGE_NAMES,
  type CounterName,
  type GaugeName,
  type GaugeReading,
  type HistogramName,
  type OperationName,
  type Telemetry,
  type TelemetryAttributes,
} from '../domain/ports/telemetry';
import { prepareTelemetryEnvironment, type TelemetrySettings } from './config';
import type { Logger } from './logger';
import type { HostTelemetry, TelemetryRole } from './telemetry';
import { recordedPath, recordedUrl } from './telemetryUrls';

/**
 * Traces kept a second, at most: whole traces, so that a request keeps its calls. A busy bot sends
 * a sample, which Application Insights scales its counts by; the metrics below count everything.
 */
const TRACES_PER_SECOND = 5;
/** What a stop waits for the last telemetry to be sent. */
const SHUTDOWN_MS = 5_000;
/** A gauge read that takes longer is skipped that time. */
const GAUGE_READ_MS = 5_000;
const INSTRUMENTATION_SCOPE = 'ocp-gtm-migration-bot';
/**
 * Their request and query durations are Application Insights' own standard metrics already, and
 * the bot's turn metrics besides: recorded twice they would cost every request and be billed twice.
 */
const DROPPED_METERS = [
  '@opentelemetry/instrumentation-http',
  '@opentelemetry/instrumentation-pg',
  '@opentelemetry/instrumentation-undici',
] as const;

interface InstrumentInfo {
  readonly unit: string;
  readonly description: string;
}

const COUNTERS: Readonly<Record<CounterName, InstrumentInfo>> = {
  'bot.turns': { unit: '{turn}', description: 'Turns that reached the bot, by outcome and input' },
  'bot.sends': { unit: '{request}', description: 'Posts and updates to the Bot Connector, each attempt, by origin and outcome' },
  'bot.throttled': { unit: '{request}', description: 'Posts and updates the Bot Connector refused with 429, by origin' },
  'bot.outbox.jobs': { unit: '{attempt}', description: 'Outbox jobs attempted, by kind and outcome' },
  'bot.imports': { unit: '{import}', description: 'Imports run, by outcome' },
  'bot.import.rows': { unit: '{row}', description: 'Rows imports read, by outcome' },
  'bot.import.problems': { unit: '{problem}', description: 'Problems imports found in their files' },
};

const HISTOGRAMS: Readonly<Record<HistogramName, InstrumentInfo>> = {
  'bot.turn.duration': { unit: 'ms', description: 'Turns from the first middleware to the last, by outcome and input' },
  'bot.import.duration': { unit: 'ms', description: 'Imports from opening their files to their report, by outcome' },
};

const GAUGES: Readonly<Record<GaugeName, InstrumentInfo>> = {
  'bot.outbox.depth': { unit: '{job}', description: 'Outbox jobs still to send' },
  'bot.outbox.oldest_age': { unit: 's', description: 'How long the oldest job still to send has waited' },
};

/**
 * Starts OpenTelemetry through the Azure Monitor distro: requests, the calls made within them and
 * within the bot's own operations (HTTP, fetch, PostgreSQL) as dependencies, and the bot's metrics.
 * Off: live metrics, the SDK's statsbeat, the instrumentations of libraries the bot does not use,
 * and log collection (the log goes to stdout, which App Service sends to Log Analytics). Query
 * strings are dropped from every URL recorded, and the Bot Connector's ids from its paths.
 */
export function startAzureMonitor(settings: TelemetrySettings, role: TelemetryRole, log: Logger): HostTelemetry {
  prepareTelemetryEnvironment(role);
  // Made here, not shared: the distro wraps the hooks of the object it is given.
  const http: HttpInstrumentationConfig = {
    enabled: true,
    // Calls outside any request or operation (token refreshes, the SDK's own) are not recorded.
    requireParentforOutgoingSpans: true,
  };
  // The outbox's and the leases' polls run outside requests: left out, as above. Query texts have
  // placeholders; their values are never recorded (enhancedDatabaseReporting stays off).
  const postgreSql: PgInstrumentationConfig = { enabled: true, requireParentSpan: true };
  const off = { enabled: false };
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: settings.connectionString },
    tracesPerSecond: TRACES_PER_SECOND,
    enableLiveMetrics: false,
    instrumentationOptions: {
      http,
      postgreSql,
      azureSdk: off,
      mongoDb: off,
      mySql: off,
      redis: off,
      redis4: off,
      bunyan: off,
      winston: off,
      console: off,
    },
    spanProcessors: [urlsWithoutSecrets()],
    views: DROPPED_METERS.map((meterName) => ({ meterName, aggregation: { type: AggregationType.DROP } })),
  });
  // Partner Center, Entra and the managed identity are asked with fetch, which is not node:http.
  const stopFetchInstrumentation = registerInstrumentations({
    instrumentations: [new UndiciInstrumentation({ requireParentforSpans: true })],
  });
  // After the distro, which sets its own console logger: what goes wrong in the SDK is in the bot's log.
  diag.setLogger(diagnosticsTo(log), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return {
    telemetry: new AzureMonitorTelemetry(metrics.getMeter(INSTRUMENTATION_SCOPE), trace.getTracer(INSTRUMENTATION_SCOPE)),
    logContext: traceIds,
    shutdown: async () => {
      stopFetchInstrumentation();
      await within(SHUTDOWN_MS, shutdownAzureMonitor()).catch((error: unknown) =>
        log.warn({ source: 'telemetry', err: error }, 'telemetry not all sent before the stop'),
      );
    },
  };
}

class AzureMonitorTelemetry implements Telemetry {
  private readonly counters = new Map<CounterName, Counter>();
  private readonly histograms = new Map<HistogramName, Histogram>();
  private readonly gauges = new Map<GaugeName, ObservableGauge>();

  constructor(
    private readonly meter: Meter,
    private readonly tracer: Tracer,
  ) {}

  count(name: CounterName, value: number, attributes?: TelemetryAttributes): void {
    this.counter(name).add(value, attributes);
  }

  record(name: HistogramName, value: number, attributes?: TelemetryAttributes): void {
    this.histogram(name).record(value, attributes);
  }

  observe(read: () => Promise<GaugeReading>): void {
    const gauges = GAUGE_NAMES.map((name) => this.gauge(name));
    this.meter.addBatchObservableCallback(async (result) => {
      const reading = await within(GAUGE_READ_MS, read()).catch(() => undefined);
      if (!reading) return;
      for (const name of GAUGE_NAMES) {
        const value = reading[name];
        if (value !== undefined) result.observe(this.gauge(name), value);
      }
    }, gauges);
  }

  describe(attributes: TelemetryAttributes, options?: { readonly failed?: boolean }): void {
    const span = trace.getActiveSpan();
    if (!span) return;
    span.setAttributes(attributes);
    if (options?.failed) span.setStatus({ code: SpanStatusCode.ERROR });
  }

  operation<T>(name: OperationName, attributes: TelemetryAttributes, work: () => Promise<T>): Promise<T> {
    const step = trace.getActiveSpan() !== undefined;
    const span = this.tracer.startSpan(name, {
      kind: step ? SpanKind.INTERNAL : SpanKind.CONSUMER,
      // A request of its own in Application Insights is named by this, as an HTTP request is by its route.
      attributes: step ? attributes : { ...attributes, 'ai.operation.name': name },
    });
    return context.with(trace.setSpan(context.active(), span), async () => {
      try {
        return await work();
      } catch (error: unknown) {
        // The error's name only: a message may quote what it failed on.
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  detached<T>(work: () => T): T {
    return context.with(ROOT_CONTEXT, work);
  }

  private counter(name: CounterName): Counter {
    const made = this.counters.get(name) ?? this.meter.createCounter(name, COUNTERS[name]);
    this.counters.set(name, made);
    return made;
  }

  private histogram(name: HistogramName): Histogram {
    const made = this.histograms.get(name) ?? this.meter.createHistogram(name, HISTOGRAMS[name]);
    this.histograms.set(name, made);
    return made;
  }

  private gauge(name: GaugeName): ObservableGauge {
    const made = this.gauges.get(name) ?? this.meter.createObservableGauge(name, GAUGES[name]);
    this.gauges.set(name, made);
    return made;
  }
}

/** The trace and span of the request or operation under way, as log fields: a new object each time, which pino merges into. */
function traceIds(): Record<string, string> {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/** Every URL as telemetryUrls.ts records it, set as each span starts, before anything reads it. */
function urlsWithoutSecrets(): SpanProcessor {
  return {
    onStart: (span) => {
      const full = span.attributes['url.full'];
      if (typeof full === 'string') span.setAttribute('url.full', recordedUrl(full));
      if (span.attributes['url.query'] !== undefined) span.setAttribute('url.query', '');
      const path = span.attributes['url.path'];
      if (typeof path === 'string' && span.kind === SpanKind.CLIENT) span.setAttribute('url.path', recordedPath(path));
    },
    onEnd: () => undefined,
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
}

/** What the distro's own console logger leaves out too: resource detection that is still under way. */
const UNSETTLED_RESOURCE = /async (attributes|detection)|unsettled resource attribute/i;

/** The SDK's warnings and errors, as the bot's warnings: telemetry that cannot be sent does not stop the bot. */
function diagnosticsTo(log: Logger): DiagLogger {
  const write = (message: string, ...args: unknown[]): void => {
    if (UNSETTLED_RESOURCE.test(message)) return;
    const detail = args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : String(arg))).join(' ');
    log.warn({ source: 'telemetry', ...(detail && { detail: detail.slice(0, 500) }) }, message.slice(0, 500));
  };
  const ignore = (): void => undefined;
  return { error: write, warn: write, info: ignore, debug: ignore, verbose: ignore };
}

/** The promise's outcome, or a rejection once `ms` have passed; the timer never keeps the process up. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
