import { noTelemetry, type Telemetry } from '../domain/ports/telemetry';
import type { TelemetrySettings } from './config';
import type { LogContext, Logger } from './logger';

/** The telemetry as the process entry point holds it. */
export interface HostTelemetry {
  /** What the bot records with. */
  readonly telemetry: Telemetry;
  /** The trace and span ids of the request under way, for each log line; absent with telemetry off. */
  readonly logContext?: LogContext;
  /** Sends what is still buffered, waiting a few seconds at most, and stops. */
  shutdown(): Promise<void>;
}

export const NO_HOST_TELEMETRY: HostTelemetry = Object.freeze({
  telemetry: noTelemetry,
  shutdown: async (): Promise<void> => undefined,
});

/** Whose telemetry it is: the cloud role name in Application Insights, unless OTEL_SERVICE_NAME names another. */
export type TelemetryRole = 'ocp-gtm-migration-bot' | 'ocp-gtm-migration-bot-import';

/**
 * Telemetry to Application Insights when its connection string is set, nothing otherwise. The SDK
 * is loaded here, and only then: without the setting none of it is read, which keeps the start as
 * quick as it was. It instruments http, fetch and pg as they are loaded after this: the process
 * entry point calls it before it loads the rest of the bot.
 */
export async function startTelemetry(
  settings: TelemetrySettings | undefined,
  role: TelemetryRole,
  log: Logger,
): Promise<HostTelemetry> {
  if (!settings) return NO_HOST_TELEMETRY;
  const { startAzureMonitor } = await import('./azureMonitor');
  return startAzureMonitor(settings, role, log);
}
