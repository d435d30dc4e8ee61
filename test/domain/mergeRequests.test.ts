import { MigrationService } from '../../domain/migrationService';
import type { Actor, SupportChannel } from '../../domain/model';
import { fixedClock } from '../support/dialogHarness';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

const PENDING = 'OCP-1042173';
const AWAITING = 'OCP-1041950';
const LISTING = 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect';
const DETAILS = {
  offerType: 'saas',
  offerName: 'Contoso CRM Connect',
  ocpSolutionId: PENDING,
  listingUrl: `${LISTING}?tab=Overview`,
};
const AGENT = { userId: 'agent-1', name: 'Pat Support' };

describeEachStore('merge requests', (kind) => {
  let stores: TestStores;
  let service: MigrationService;
  let manager: Actor;

  function withChannel(supportChannel: SupportChannel): MigrationService {
    let n = 0;
    return new MigrationService({
      store: stores.migrations,
      partners: stores.partners,
      clock: fixedClock,
      supportChannel,
      newRequestId: () => `MR-TEST-${++n}`,
    });
  }

  beforeEach(async () => {
    stores = await openTestStores(kind, { seed: fixedClock.now() });
    service = withChannel('webhook');
    manager = (await service.actorFor({ userId: 'demo-manager' }))!;
  });
  afterEach(() => stores.close());

  const count = async (sql: string, ...args: unknown[]): Promise<number> => (await stores.row<{ n: number }>(sql, ...args)).n;

  test('Action 1 offers the live offers only', async () => {
    const start = await service.startMerge(manager, PENDING);
    if (!start.ok) throw new Error(start.refusal.code);
    expect(start.value.liveOffers.map((offer) => offer.publishingState)).toEqual(Array(6).fill('live'));
  });

  test.each([
    [
      'a live offer by id',
      { offerId: 'contoso.crm-connect' },
      { offerType: 'saas', offerName: 'Contoso CRM Connect', ocpSolutionId: PENDING, listingUrl: LISTING },
    ],
    [
      'a listing URL of a known offer',
      { listingUrl: `${LISTING}?tab=Reviews` },
      { offerType: 'saas', offerName: 'Contoso CRM Connect', ocpSolutionId: PENDING, listingUrl: LISTING },
    ],
    [
      'a listing URL of an offer the bot does not know',
      { listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.other' },
      { ocpSolutionId: PENDING, listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.other' },
    ],
  ])('identifying %s fills in what it can', async (_label, choice, details) => {
    const draft = await service.identifyOffer(manager, PENDING, choice);
    expect(draft).toMatchObject({ ok: true, value: { details } });
  });

  test.each([
    ['an offer in certification', { offerId: 'contoso.field-service-companion' }, 'offerNotLive'],
    ['an unknown offer', { offerId: 'contoso.nope' }, 'offerNotFound'],
    ['a bad URL', { listingUrl: 'http://appsource.microsoft.com/x' }, 'invalidListingUrl'],
    [
      "another publisher's listing",
      { listingUrl: 'https://appsource.microsoft.com/en-us/product/saas/fabrikam.crm' },
      'otherPublisher',
    ],
  ])('identifying %s is refused', async (_label, choice, code) => {
    expect(await service.identifyOffer(manager, PENDING, choice)).toMatchObject({ ok: false, refusal: { code } });
  });

  test('a request is stored with the status change, an audit entry, a due date and one delivery job', async () => {
    const outcome = await service.requestMerge(manager, PENDING, DETAILS, { requesterAddress: '{"x":1}' });
    expect(outcome).toMatchObject({
      ok: true,
      value: {
        created: true,
        solution: { status: 'mergeRequested' },
        request: {
          id: 'MR-TEST-1',
          offerType: 'saas',
          offerName: 'Contoso CRM Connect',
          ocpSolutionId: PENDING,
          listingUrl: LISTING,
          offerId: 'contoso.crm-connect',
          requestedBy: { userId: 'demo-manager', name: 'Jordan Park' },
          dueAt: new Date('2026-11-24T09:00:00Z'),
          state: 'open',
        },
      },
    });
    expect(await count("SELECT count(*) AS n FROM audit_entries WHERE solution_id = ? AND event = 'requestMerge'", PENDING)).toBe(
      1,
    );
    expect(await stores.sql('SELECT kind, dedupe_key, payload FROM outbox')).toEqual([
      { kind: 'supportRequest', dedupe_key: 'support:MR-TEST-1', payload: '{"requestId":"MR-TEST-1"}' },
    ]);
  });

  test('stored-only delivery queues nothing', async () => {
    await withChannel('stored').requestMerge(manager, PENDING, DETAILS);
    expect(await count('SELECT count(*) AS n FROM outbox')).toBe(0);
  });

  test("a request for another publisher's listing is refused with the partner's publishers, and nothing is stored", async () => {
    const outcome = await service.requestMerge(manager, PENDING, {
      ...DETAILS,
      listingUrl: 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/fabrikam.crm',
    });
    expect(outcome).toEqual({ ok: false, refusal: { code: 'otherPublisher', publisherId: 'fabrikam', publishers: ['contoso'] } });
    expect(await count('SELECT count(*) AS n FROM support_requests WHERE solution_id = ?', PENDING)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM outbox')).toBe(0);
  });

  test('a second submit gets the same request back and makes no second one', async () => {
    const first = await service.requestMerge(manager, PENDING, DETAILS);
    const second = await service.requestMerge(manager, PENDING, { ...DETAILS, offerName: 'Another name' });
    expect(second).toMatchObject({
      ok: true,
      value: { created: false, request: { id: first.ok ? first.value.request.id : '', offerName: 'Contoso CRM Connect' } },
    });
    expect(await count('SELECT count(*) AS n FROM support_requests WHERE solution_id = ?', PENDING)).toBe(1);
  });

  test('two clients racing make one request between them', async () => {
    const owner = (await service.actorFor({ userId: 'demo-owner' }))!;
    const results = await Promise.all([
      service.requestMerge(manager, PENDING, DETAILS),
      service.requestMerge(owner, PENDING, DETAILS),
    ]);
    expect(results.map((result) => result.ok && result.value.created).sort()).toEqual([false, true]);
    expect(await count('SELECT count(*) AS n FROM support_requests WHERE solution_id = ?', PENDING)).toBe(1);
    expect(await count('SELECT count(*) AS n FROM outbox')).toBe(1);
    expect(await count("SELECT count(*) AS n FROM audit_entries WHERE solution_id = ? AND event = 'requestMerge'", PENDING)).toBe(
      1,
    );
  });

  test('invalid details are refused with each problem, keeping the valid ones, and change nothing', async () => {
    const outcome = await service.requestMerge(manager, PENDING, { ...DETAILS, offerName: '   ', ocpSolutionId: 'OCP-1042188' });
    expect(outcome).toEqual({
      ok: false,
      refusal: {
        code: 'invalidMergeDetails',
        valid: { offerType: 'saas', listingUrl: LISTING },
        problems: [
          { field: 'offerName', reason: 'missing' },
          { field: 'ocpSolutionId', reason: 'notThisSolution' },
        ],
      },
    });
    expect(await count('SELECT count(*) AS n FROM support_requests WHERE solution_id = ?', PENDING)).toBe(0);
  });

  test('a solution awaiting a new offer can be merged; a marketer cannot request', async () => {
    const marketer = (await service.actorFor({ userId: 'demo-marketer' }))!;
    expect(await service.requestMerge(marketer, AWAITING, { ...DETAILS, ocpSolutionId: AWAITING })).toMatchObject({
      ok: false,
      refusal: { code: 'notPermitted' },
    });
    expect(await service.requestMerge(manager, AWAITING, { ...DETAILS, ocpSolutionId: AWAITING })).toMatchObject({
      ok: true,
      value: { created: true },
    });
  });

  test('a discarded solution cannot be merged', async () => {
    expect(await service.requestMerge(manager, 'OCP-1041983', { ...DETAILS, ocpSolutionId: 'OCP-1041983' })).toMatchObject({
      ok: false,
      refusal: { code: 'illegalTransition', event: 'requestMerge' },
    });
  });

  test('no similar offer yet: pending becomes awaiting a new offer, once', async () => {
    expect(await service.awaitNewOffer(manager, PENDING)).toMatchObject({
      ok: true,
      value: { solution: { status: 'awaitingNewOffer' } },
    });
    expect(await service.awaitNewOffer(manager, PENDING)).toMatchObject({ ok: false, refusal: { code: 'illegalTransition' } });
  });

  test('support marks a request merged: the solution is merged, the requester is told once', async () => {
    const requested = await service.requestMerge(manager, PENDING, DETAILS, { requesterAddress: '{"conversation":{"id":"c"}}' });
    const requestId = requested.ok ? requested.value.request.id : '';
    const merged = await service.completeMerge(AGENT, requestId);
    expect(merged).toMatchObject({
      ok: true,
      value: { created: true, solution: { status: 'merged' }, request: { state: 'completed' } },
    });
    expect(await service.completeMerge(AGENT, requestId)).toMatchObject({ ok: true, value: { created: false } });
    expect(await stores.sql("SELECT kind, dedupe_key FROM outbox WHERE kind = 'requesterNotice'")).toEqual([
      { kind: 'requesterNotice', dedupe_key: `notice:${requestId}:merged` },
    ]);
    expect(
      await stores.sql(
        "SELECT actor_user_id, from_status, to_status FROM audit_entries WHERE solution_id = ? AND event = 'completeMerge'",
        PENDING,
      ),
    ).toEqual([{ actor_user_id: 'agent-1', from_status: 'mergeRequested', to_status: 'merged' }]);
  });

  test('support asks for more information: the requester is told, and the request is not overdue any more', async () => {
    const requested = await service.requestMerge(manager, PENDING, DETAILS, { requesterAddress: '{}' });
    const requestId = requested.ok ? requested.value.request.id : '';
    expect(await service.requestMoreInfo(AGENT, requestId, '  ')).toEqual({ ok: false, refusal: { code: 'invalidInfoNeeded' } });
    expect(await service.requestMoreInfo(AGENT, requestId, 'Which plan should carry the co-sell status?')).toMatchObject({
      ok: true,
      value: { state: 'infoRequested', infoNeeded: 'Which plan should carry the co-sell status?' },
    });
    expect(await count("SELECT count(*) AS n FROM outbox WHERE kind = 'requesterNotice'")).toBe(1);
    expect((await service.getSolution(manager, PENDING)).ok && (await service.getSolution(manager, PENDING))).toMatchObject({
      value: { solution: { mergeRequest: { id: requestId, state: 'infoRequested' } } },
    });
  });

  test('an unknown request is refused to support', async () => {
    expect(await service.completeMerge(AGENT, 'MR-NOPE')).toEqual({
      ok: false,
      refusal: { code: 'requestNotFound', requestId: 'MR-NOPE' },
    });
  });
});
