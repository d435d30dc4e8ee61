import { retryAfter } from '../../delivery/http';
import { WebhookSupportDelivery } from '../../delivery/webhookSupportDelivery';
import type { SupportCase } from '../../domain/model';
import { DEMO_ACCOUNT } from '../../store/demo/demoData';
import { WebhookReceiver } from '../support/webhookReceiver';

const SECRET = 'a-shared-secret-of-at-least-32-characters';

const supportCase: SupportCase = {
  account: DEMO_ACCOUNT,
  solution: {
    id: 'OCP-1042173',
    partnerAccountId: DEMO_ACCOUNT.id,
    partnerId: '6104213',
    name: 'Contoso Fleet Telematics',
    coSellStatus: 'coSellReady',
    carriedOver: { openReferrals: 4, collateralDocuments: 6 },
    status: 'mergeRequested',
    statusChangedAt: new Date('2026-11-21T09:00:00Z'),
    version: 1,
  },
  request: {
    id: 'MR-20261121-ABCDE',
    partnerAccountId: DEMO_ACCOUNT.id,
    solutionId: 'OCP-1042173',
    offerType: 'saas',
    offerName: "${if(true,'a','b')}",
    ocpSolutionId: 'OCP-1042173',
    listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect',
    requestedBy: { userId: 'demo-manager', name: 'Jordan Park' },
    requestedAt: new Date('2026-11-21T09:00:00Z'),
    dueAt: new Date('2026-11-24T09:00:00Z'),
    state: 'open',
  },
};

describe('the signed webhook to partner support', () => {
  test('posts the request as JSON with a signature the receiver verifies', async () => {
    const endpoint = await WebhookReceiver.start(SECRET, [200]);
    try {
      const outcome = await new WebhookSupportDelivery({ url: endpoint.url, secret: SECRET }).deliver(supportCase);
      expect(outcome).toEqual({ ok: true });
      expect(endpoint.received).toEqual([
        {
          verified: true,
          body: expect.objectContaining({
            type: 'mergeRequest',
            requestId: 'MR-20261121-ABCDE',
            dueAt: '2026-11-24T09:00:00.000Z',
            partner: { accountId: DEMO_ACCOUNT.id, name: DEMO_ACCOUNT.name, partnerIds: ['6104213', '6104588'] },
            issueDetails: {
              offerType: 'saas',
              offerName: "${if(true,'a','b')}",
              ocpSolutionId: 'OCP-1042173',
              listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect',
            },
          }),
        },
      ]);
    } finally {
      await endpoint.close();
    }
  });

  test('a signature made with another secret does not verify', async () => {
    const endpoint = await WebhookReceiver.start(SECRET, [200]);
    try {
      await new WebhookSupportDelivery({ url: endpoint.url, secret: 'x'.repeat(40) }).deliver(supportCase);
      expect(endpoint.received[0]?.verified).toBe(false);
    } finally {
      await endpoint.close();
    }
  });

  test.each([
    [429, { ok: false, status: 429, retryAfterMs: 2000 }],
    [503, { ok: false, status: 503 }],
    [400, { ok: false, status: 400 }],
  ])('an answer of %i is reported with its status', async (status, expected) => {
    const endpoint = await WebhookReceiver.start(SECRET, [status]);
    try {
      expect(await new WebhookSupportDelivery({ url: endpoint.url, secret: SECRET }).deliver(supportCase)).toMatchObject(
        expected,
      );
    } finally {
      await endpoint.close();
    }
  });

  test('an endpoint that cannot be reached is a failure without a status, to retry', async () => {
    const outcome = await new WebhookSupportDelivery({ url: 'http://127.0.0.1:9/x', secret: SECRET, timeoutMs: 2000 }).deliver(
      supportCase,
    );
    expect(outcome).toMatchObject({ ok: false, error: expect.stringMatching(/unreachable/) });
    expect(outcome).not.toHaveProperty('status');
  });

  test.each([
    ['120', 120_000],
    ['0', 0],
    ['Sat, 21 Nov 2026 09:00:30 GMT', 30_000],
    ['soon', undefined],
    [null, undefined],
  ])('Retry-After %p is %p ms', (header, ms) => {
    expect(retryAfter(header, new Date('2026-11-21T09:00:00Z'))).toBe(ms);
  });
});
