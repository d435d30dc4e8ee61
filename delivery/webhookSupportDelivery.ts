import { createHmac } from 'node:crypto';
import type { SupportCase } from '../domain/model';
import type { SendOutcome, SupportDelivery } from '../domain/ports';

export const SIGNATURE_HEADER = 'x-signature-256';
export const TIMESTAMP_HEADER = 'x-signature-timestamp';

export interface WebhookOptions {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
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

  constructor(private readonly options: WebhookOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? (() => new Date());
  }

  async deliver(supportCase: SupportCase): Promise<SendOutcome> {
    const body = webhookBody(supportCase);
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': supportCase.request.id,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: webhookSignature(this.options.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error: unknown) {
      return { ok: false, error: `webhook unreachable: ${error instanceof Error ? error.message : String(error)}` };
    }
    await response.body?.cancel();
    if (response.ok) return { ok: true };
    const retryAfterMs = retryAfter(response.headers.get('retry-after'), this.now());
    return {
      ok: false,
      status: response.status,
      error: `webhook answered ${response.status}`,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    };
  }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfter(header: string | null | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
