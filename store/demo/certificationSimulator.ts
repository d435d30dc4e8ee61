import type { WorkGate } from '../../domain/leaseGate';
import { PeriodicRun } from '../../domain/periodicRun';
import type { Offer, PublishingState } from '../../domain/model';
import type { ChangeInput, NotificationService } from '../../domain/notificationService';
import type { PartnerDataSource } from '../../domain/ports/partners';
import { DEMO_PARTNER_ACCOUNT_ID } from './demoData';

export interface SimulatorLog {
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export interface SimulatorOptions {
  /** Time between two steps of certification. */
  readonly intervalMs: number;
  /** How often a first certification fails with actionable feedback. */
  readonly failureRate?: number;
  readonly random?: () => number;
  /** With several instances on one store, the one instance that steps. */
  readonly gate?: WorkGate;
}

/** What partner feedback from certification reads like; the source's own words, not the bot's. */
const FEEDBACK = [
  'The privacy policy link on the Properties tab returns 404. Update it and publish again.',
  'The offer listing screenshots must be 1280 x 720 pixels. Replace the two smaller ones.',
  'The support contact email on the Offer setup tab is not reachable. Provide a monitored address.',
];
const REPORT_URL = 'https://partner.microsoft.com/dashboard/marketplace-offers/overview';

/**
 * Development mode: moves the demo partner's offers through certification on its own, one step at
 * a time (automated validation and certification, sometimes failing with feedback, preview, live),
 * through the same path as changes posted by release pipelines.
 */
export class CertificationSimulator {
  private readonly failedOnce = new Set<string>();
  private turn = 0;
  /** Instances sharing a store take turns by lease: only the one that holds it steps. */
  private readonly periodic: PeriodicRun;

  constructor(
    private readonly notifications: NotificationService,
    private readonly partners: PartnerDataSource,
    private readonly log: SimulatorLog,
    private readonly options: SimulatorOptions,
  ) {
    this.periodic = new PeriodicRun(() => this.step(), {
      name: 'certification simulator',
      intervalMs: options.intervalMs,
      log,
      ...(options.gate && { gate: options.gate }),
    });
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** Moves the next offer that is not live yet one step on; false once every offer is live. */
  async step(): Promise<boolean> {
    try {
      const waiting = (await this.partners.listOffers(DEMO_PARTNER_ACCOUNT_ID)).filter(
        (offer) => offer.publishingState !== 'live',
      );
      const offer = waiting[this.turn++ % Math.max(waiting.length, 1)];
      if (!offer) return false;
      const change = this.nextChange(offer);
      const recorded = await this.notifications.recordChange(change);
      if (recorded.ok)
        this.log.info(
          { offerId: offer.id, status: change.status, deliveries: recorded.value.deliveries },
          'simulated certification step',
        );
      return true;
    } catch (error: unknown) {
      this.log.error({ err: error }, 'certification simulator step failed');
      return false;
    }
  }

  private nextChange(offer: Offer): ChangeInput {
    const base = { offerId: offer.id, source: 'simulator' as const };
    const next: Record<Exclude<PublishingState, 'live'>, () => ChangeInput> = {
      draft: () => ({ ...base, status: 'inCertification' }),
      certificationFailed: () => ({ ...base, status: 'inCertification' }),
      inCertification: () => {
        const random = this.options.random ?? Math.random;
        if (!this.failedOnce.has(offer.id) && random() < (this.options.failureRate ?? 0.5)) {
          this.failedOnce.add(offer.id);
          const detail = FEEDBACK[Math.floor(random() * FEEDBACK.length)] ?? FEEDBACK[0];
          return { ...base, status: 'certificationFailed', ...(detail && { detail }), reportUrl: REPORT_URL };
        }
        return { ...base, status: 'previewReady' };
      },
      previewReady: () => ({ ...base, status: 'live' }),
    };
    return offer.publishingState === 'live' ? { ...base, status: 'live' } : next[offer.publishingState]();
  }
}
