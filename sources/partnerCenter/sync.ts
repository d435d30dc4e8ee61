import type { WorkGate } from '../../domain/leaseGate';
import type { PeriodicRun } from '../../domain/periodicRun';
import { OfferSync } from '../../domain/offerSync';
import type { NotificationService } from '../../domain/notificationService';
import type { Clock } from '../../domain/ports/clock';
import type { OfferSyncStore } from '../../domain/ports/partnerCenter';
import type { PartnerDataSource } from '../../domain/ports/partners';
import type { Telemetry } from '../../domain/ports/telemetry';
import { PartnerCenterApis } from './catalog';
import { EntraTokens } from './entraTokens';
import { ApiClient } from './http';
import { periodicSync, type SyncLog } from './periodicSync';

/** What the sync needs to know of Partner Center: the app it signs in as, and where the APIs are. */
export interface PartnerCenterSettings {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The partner account the synced offers belong to. */
  readonly account: string;
  readonly publisherId?: string;
  readonly authorityUrl: string;
  readonly productIngestionUrl: string;
  readonly partnerIngestionUrl: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

export interface PartnerCenterSyncDeps {
  readonly store: OfferSyncStore;
  readonly notifications: NotificationService;
  readonly partners: PartnerDataSource;
  readonly clock: Clock;
  readonly log: SyncLog;
  /** With several instances on one store, the one instance that syncs. */
  readonly gate?: WorkGate;
  /** Each run an operation, its calls to Entra and Partner Center within it. */
  readonly telemetry?: Telemetry;
}

/**
 * The sync as the bot runs it. Each API gets tokens for its own resource: the `/.default` scope of
 * its origin, which is Microsoft Graph's and Partner Center's in the public cloud, and follows the
 * base URLs to a sovereign cloud or a test's fake.
 */
export function partnerCenterSync(settings: PartnerCenterSettings, deps: PartnerCenterSyncDeps): PeriodicRun {
  const now = (): Date => deps.clock.now();
  const clientFor = (baseUrl: string): ApiClient =>
    new ApiClient(new EntraTokens(settings, `${new URL(baseUrl).origin}/.default`, settings.timeoutMs, now), {
      timeoutMs: settings.timeoutMs,
      now,
    });
  const catalog = new PartnerCenterApis({
    productIngestionUrl: settings.productIngestionUrl,
    partnerIngestionUrl: settings.partnerIngestionUrl,
    productIngestion: clientFor(settings.productIngestionUrl),
    partnerIngestion: clientFor(settings.partnerIngestionUrl),
  });
  const sync = new OfferSync(
    { catalog, store: deps.store, notifications: deps.notifications, partners: deps.partners, clock: deps.clock },
    { partnerAccountId: settings.account, ...(settings.publisherId && { publisherId: settings.publisherId }) },
  );
  return periodicSync(sync, settings.intervalMs, deps.log, deps.gate, deps.telemetry);
}
