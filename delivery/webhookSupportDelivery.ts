import { createHmac } from 'node:crypto';
import type { SupportCase } from '../domain/model';
import type { SupportDelivery } from '../domain/ports/migration';
import type { SendOutcome } from '../domain/ports/outbox';
import { HttpClient } from './http';

export const SIGNATURE_HEADER = 'x-signature-256';
export const TIMESTAMP_HEADER = 'x-signature-timestamp';

export interface WebhookOptions {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
  /** The bot's kept-alive connections; one of its own when not given. */
  readonly http?: HttpClient;
}

/**
 * `sha256=` and the HMAC-SHA256, keyed with the shared secret, of `{timestamp}.{body}`: a receiver
 * recomputes it to know the request came from this bot, and rejects old timestamps to stop replays.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The JSON partner support's system receives for a merge request. */
export function webhookBody({ request, solution, account }: SupportCase): string {
  return JSON.stringify({
    type: 'mergeRequest',
    requestId: request.id,
    requestedAt: request.requestedAt.toISOString(),
    dueAt: request.dueAt.toISOString(),
    partner: { accountId: account.id, name: account.name, partnerIds: account.partnerIds },
    requester: request.requestedBy,
    solution: {
      ocpSolutionId: solution.id,
      name: solution.name,
      partnerId: solution.partnerId,
      coSellStatus: solution.coSellStatus,
      openReferrals: solution.carriedOver.openReferrals,
      collateralDocuments: solution.carriedOver.collateralDocuments,
    },
    issueDetails: {
      offerType: request.offerType,
      offerName: request.offerName,
      ocpSolutionId: request.ocpSolutionId,
      listingUrl: request.listingUrl,
    },
    offerId: request.offerId ?? null,
  });
}

/** Posts merge requests to partner support's HTTPS endpoint, signed. */
export class WebhookSupportDelivery implements SupportDelivery {
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly http: HttpClient;

  constructor(private readonly options: WebhookOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? (() => new Date());
    this.http = options.http ?? new HttpClient();
  }

  async deliver(supportCase: SupportCase): Promise<SendOutcome> {
    const body = webhookBody(supportCase);
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    const answer = await this.http.send('POST', this.options.url, {
      headers: {
        'content-type': 'application/json',
        'idempotency-key': supportCase.request.id,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: webhookSignature(this.options.secret, timestamp, body),
      },
      body,
      timeoutMs: this.timeoutMs,
      peer: 'webhook',
      now: this.now,
    });
    return answer.ok ? { ok: true } : answer;
  }
}
