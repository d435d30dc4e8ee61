import type { WorkGate } from '../../domain/leaseGate';
import type { OfferSync, SyncOutcome } from '../../domain/offerSync';
import { PeriodicRun } from '../../domain/periodicRun';
import { noTelemetry, type Telemetry } from '../../domain/ports/telemetry';

export interface SyncLog {
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
}

/**
 * Runs the sync at start and then every interval; a run never overlaps the one before it. With a
 * gate, only the instance that holds it runs the sync; the others ask again at their next tick.
 */
export function periodicSync(
  sync: OfferSync,
  intervalMs: number,
  log: SyncLog,
  gate?: WorkGate,
  telemetry: Telemetry = noTelemetry,
): PeriodicRun {
  return new PeriodicRun(async () => report(await sync.run(), log, telemetry), {
    name: 'Partner Center sync',
    intervalMs,
    atStart: true,
    log,
    ...(gate && { gate }),
    telemetry: { recorder: telemetry, operation: 'partnerCenter.sync' },
  });
}

function report(outcome: SyncOutcome, log: SyncLog, telemetry: Telemetry): void {
  if (!outcome.ok) {
    telemetry.describe({ 'bot.outcome': 'failed' }, { failed: true });
    log.warn({ error: outcome.error }, 'Partner Center sync failed; nothing was changed');
    return;
  }
  const { failures, ...counts } = outcome;
  telemetry.describe({ 'bot.outcome': failures.length > 0 ? 'partial' : 'ok' }, { failed: failures.length > 0 });
  if (failures.length > 0)
    log.warn({ ...counts, failures }, 'Partner Center sync read part of the catalog; the rest is left as it was');
  else log.info(counts, 'Partner Center sync');
}
