import type { OutboxJob, OutboxMessage } from '../../domain/ports/outbox';
import { decodeMessage, encodePayload } from '../../store/outboxPayloads';
import { DEMO_PARTNER_ACCOUNT_ID as PARTNER } from '../../store/demo/demoData';
import { TEST_NOW } from '../support/dialogHarness';
import type { CountingSignal } from '../support/outboxSignal';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

const MESSAGES: readonly OutboxMessage[] = [
  { kind: 'supportRequest', payload: { requestId: 'MR-20261121-ABCDE' } },
  { kind: 'requesterNotice', payload: { requestId: 'MR-20261121-ABCDE', notice: 'infoRequested' } },
  { kind: 'certificationCard', payload: { changeId: 42, conversationKey: 'msteams:19:a@thread.tacv2' } },
  {
    kind: 'offerLiveNotice',
    payload: { changeId: 7, userId: 'u1', address: '{"a":1}', locale: 'ko-KR', solutionIds: ['OCP-1', 'OCP-2'] },
  },
];

describe('outbox payloads in the store', () => {
  test.each(MESSAGES.map((message) => [message.kind, message] as const))('a %s job reads back as written', (_kind, message) => {
    expect(decodeMessage(message.kind, encodePayload(message))).toEqual({ ok: true, message });
  });

  test.each([
    [
      'a certification card with its change id as a string',
      'certificationCard',
      { changeId: '42', conversationKey: 'msteams:19:a@thread.tacv2' },
      { changeId: 42, conversationKey: 'msteams:19:a@thread.tacv2' },
    ],
    [
      'an offer-live notice with its solutions joined by commas',
      'offerLiveNotice',
      { changeId: '7', userId: 'u1', address: '{}', locale: 'en-US', solutionIds: 'OCP-1,OCP-2' },
      { changeId: 7, userId: 'u1', address: '{}', locale: 'en-US', solutionIds: ['OCP-1', 'OCP-2'] },
    ],
  ])('a row queued before payloads were typed still reads: %s', (_label, kind, stored, payload) => {
    expect(decodeMessage(kind, JSON.stringify(stored))).toEqual({ ok: true, message: { kind, payload } });
  });

  test.each([
    ['an unknown kind', 'fax', '{}', /unknown kind "fax"/],
    ['a payload that is not JSON', 'supportRequest', '{', /not JSON/],
    ['a missing field', 'supportRequest', '{}', /^requestId: /],
    ['a notice of no known kind', 'requesterNotice', '{"requestId":"MR-1","notice":"lost"}', /^notice: /],
    ['a change id that is no number', 'certificationCard', '{"changeId":"x","conversationKey":"k"}', /^changeId: /],
  ])('%s is refused with the reason', (_label, kind, payload, reason) => {
    const decoded = decodeMessage(kind, payload);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problem).toMatch(reason);
  });
});

describeEachStore('stores signal the outbox after a commit that queued jobs', (kind) => {
  let stores: TestStores;
  let signal: CountingSignal;
  beforeEach(async () => {
    stores = await openTestStores(kind, { seed: TEST_NOW });
    signal = stores.signal;
  });
  afterEach(() => stores.close());

  const job = (dedupeKey: string): OutboxJob => ({
    kind: 'certificationCard',
    dedupeKey,
    orderingKey: 'conversation:c',
    payload: { changeId: 1, conversationKey: 'c' },
  });

  test('a certification change rings once per commit with jobs, and not for a repeat or a change with none', async () => {
    const store = stores.notifications;
    const input = {
      partnerAccountId: PARTNER,
      offerId: 'contoso.energy-analytics',
      status: 'live',
      source: 'api',
      receivedAt: TEST_NOW,
      idempotencyKey: 'release-1',
    } as const;
    await store.recordChange(input, () => [job('a'), job('b')]);
    expect(signal.rung).toBe(1);
    await store.recordChange(input, () => [job('c')]);
    await store.recordChange({ ...input, idempotencyKey: 'release-2' }, () => []);
    expect(signal.rung).toBe(1);
    expect((await stores.outbox.due(TEST_NOW, 10)).map((queued) => queued.payload)).toEqual([
      { changeId: 1, conversationKey: 'c' },
    ]);
  });

  test('a merge request that loses its race rings nothing', async () => {
    const store = stores.migrations;
    const solution = await store.getSolution(PARTNER, 'OCP-1042173');
    expect(solution).toBeDefined();
    const at = TEST_NOW;
    const change = {
      partnerAccountId: PARTNER,
      solutionId: 'OCP-1042173',
      expectedVersion: (solution?.version ?? 0) + 1,
      event: 'requestMerge',
      from: 'pendingAction',
      to: 'mergeRequested',
      actorUserId: 'u',
      actorName: 'U',
      at,
    } as const;
    const request = {
      id: 'MR-1',
      partnerAccountId: PARTNER,
      solutionId: 'OCP-1042173',
      offerType: 'saas',
      offerName: 'x',
      ocpSolutionId: 'OCP-1042173',
      listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.x',
      requestedBy: { userId: 'u', name: 'U' },
      requestedAt: at,
      dueAt: at,
      state: 'open',
    } as const;
    const jobs = [
      { kind: 'supportRequest', dedupeKey: 'support:MR-1', orderingKey: 'support', payload: { requestId: 'MR-1' } },
    ] as const;
    expect(await store.createMergeRequest({ request, change, jobs })).toBe(false);
    expect(signal.rung).toBe(0);
    expect(
      await store.createMergeRequest({ request, change: { ...change, expectedVersion: solution?.version ?? 0 }, jobs }),
    ).toBe(true);
    expect(signal.rung).toBe(1);
  });
});
