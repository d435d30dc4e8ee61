import path from 'node:path';
import { NotificationService } from '../../domain/notificationService';
import { OfferSync, type SyncOutcome } from '../../domain/offerSync';
import type { PublishingState } from '../../domain/model';
import { PartnerCenterApis } from '../../sources/partnerCenter/catalog';
import { EntraTokens } from '../../sources/partnerCenter/entraTokens';
import { ApiClient } from '../../sources/partnerCenter/http';
import { InventoryImporter } from '../../sources/import/importer';
import { Pruner } from '../../store/retention';
import { fixedClock, TEST_NOW } from '../support/dialogHarness';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_TENANT, FakePartnerCenter, type FakeApi } from '../support/fakePartnerCenter';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

const EXAMPLES = path.resolve(__dirname, '../../sources/import/examples');
const ACCOUNT = 'fabrikam';
const DAY = 24 * 60 * 60 * 1000;

describeEachStore('the Partner Center sync', (kind) => {
  let fake: FakePartnerCenter;
  let stores: TestStores;
  let store: TestStores['offerSync'];
  let sync: OfferSync;

  beforeEach(async () => {
    fake = await FakePartnerCenter.start({ pageSize: 3 });
    stores = await openTestStores(kind);
    await new InventoryImporter(stores.inventory, fixedClock).run(
      ['partners.csv', 'members.csv', 'offers.csv'].map((name) => ({ path: path.join(EXAMPLES, name), name })),
      { dryRun: false, actor: 'test' },
    );
    store = stores.offerSync;
    sync = syncFor(ACCOUNT, FAKE_CLIENT_SECRET);
  });

  /** A sync of `account` signing in with `secret`, retrying quickly: the tests' clock is not a real one. */
  function syncFor(account: string, secret: string): OfferSync {
    const { partners } = stores;
    const notifications = new NotificationService({
      store: stores.notifications,
      references: stores.references,
      partners,
      clock: fixedClock,
      syncStates: store,
    });
    const credentials = { authorityUrl: fake.url, tenantId: FAKE_TENANT, clientId: FAKE_CLIENT_ID, clientSecret: secret };
    const client = (): ApiClient =>
      new ApiClient(new EntraTokens(credentials, `${fake.url}/.default`, 2000), {
        // Loose enough for a loaded CI machine: at 300 ms a slow answer was once retried where no fault was injected.
        timeoutMs: 1_500,
        backoffMs: 10,
        attempts: 3,
        maxWaitMs: 2000,
      });
    const catalog = new PartnerCenterApis({
      productIngestionUrl: `${fake.url}/rp/product-ingestion`,
      partnerIngestionUrl: `${fake.url}/v1.0/ingestion`,
      productIngestion: client(),
      partnerIngestion: client(),
    });
    return new OfferSync({ catalog, store, notifications, partners, clock: fixedClock }, { partnerAccountId: account });
  }

  afterEach(async () => {
    await stores.close();
    await fake.close();
  });

  const changes = (): Promise<{ offer_id: string; status: string; source: string }[]> =>
    stores.sql('SELECT offer_id, status, source FROM certification_changes ORDER BY id');
  const stateOf = async (offerId: string): Promise<string | undefined> =>
    (await stores.sql<{ state: string }>('SELECT publishing_state AS state FROM offers WHERE id = ?', offerId))[0]?.state;

  function product(api: FakeApi, offerId: string, state: PublishingState = 'draft'): string {
    const type = api === 'productIngestion' ? 'softwareAsAService' : 'AzureApplication';
    return fake.addProduct({ api, offerId, name: `Fabrikam ${offerId}`, type, state });
  }

  async function ok(run: Promise<SyncOutcome>): Promise<Extract<SyncOutcome, { ok: true }>> {
    const outcome = await run;
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome;
  }

  test('the first read takes the offers as they are, without a single notification', async () => {
    product('productIngestion', 'route-optimizer', 'live');
    product('partnerIngestion', 'azure-connector', 'inCertification');
    for (let i = 0; i < 7; i++) product('productIngestion', `extra-${i}`, 'draft');
    const outcome = await ok(sync.run());
    expect(outcome).toMatchObject({ read: 9, added: 8, baseline: true, changes: 0, failures: [] });
    expect(await changes()).toEqual([]);
    // The imported offer is matched by its offer id, and keeps its publisher id and listing.
    expect(await stateOf('fabrikam.route-optimizer')).toBe('live');
    expect(await stateOf('fabrikam.azure-connector')).toBe('inCertification');
    expect(await store.syncState(ACCOUNT)).toMatchObject({
      baselineAt: expect.any(Date),
      lastSuccessAt: expect.any(Date),
      offers: 9,
    });
    // Pages of three: four pages of products, one of the ingestion API's, and one submissions request a product.
    expect(fake.requests).toMatchObject({ products: 4, submissions: 9 });
    expect(new Set(fake.scopes)).toEqual(new Set([`${fake.url}/.default`]));
  });

  test.each<[FakeApi]>([['productIngestion'], ['partnerIngestion']])(
    'through the %s API, each move of a submission is one certification change, and a read without a move is none',
    async (api) => {
      const id = product(api, 'azure-connector');
      await ok(sync.run());
      const moves: PublishingState[] = ['inCertification', 'certificationFailed', 'inCertification', 'previewReady', 'live'];
      for (const state of moves) {
        fake.setState(id, state);
        expect((await ok(sync.run())).changes).toBe(1);
        expect((await ok(sync.run())).changes).toBe(0);
      }
      expect(await changes()).toEqual(
        moves.map((status) => ({ offer_id: 'fabrikam.azure-connector', status, source: 'partnerCenter' })),
      );
      expect(await stores.sql('SELECT listing_url AS url FROM offers WHERE id = ?', 'fabrikam.azure-connector')).toEqual([
        {
          url: 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/fabrikam.azure-connector',
        },
      ]);
    },
  );

  test('two reads at once record a move once', async () => {
    const id = product('partnerIngestion', 'azure-connector');
    await ok(sync.run());
    fake.setState(id, 'inCertification');
    const [first, second] = await Promise.all([sync.run(), syncFor(ACCOUNT, FAKE_CLIENT_SECRET).run()]);
    expect([first.ok && first.changes, second.ok && second.changes].sort()).toEqual([0, 1]);
    expect(await changes()).toHaveLength(1);
  });

  test('after retention removed older changes of an offer, each move is still recorded, once', async () => {
    const id = product('partnerIngestion', 'azure-connector');
    await ok(sync.run());
    const moves: PublishingState[] = ['inCertification', 'certificationFailed'];
    for (const state of [...moves, ...moves, ...moves]) {
      fake.setState(id, state);
      await ok(sync.run());
    }
    // The first two changes are past their retention; the other four are not.
    const aged = TEST_NOW.getTime() - 60 * DAY;
    await stores.sql(
      'UPDATE certification_changes SET received_at = ? WHERE id IN (SELECT id FROM certification_changes ORDER BY id LIMIT 2)',
      aged,
    );
    const retention = new Pruner(stores.retention, { outboxMs: 30 * DAY, changesMs: 30 * DAY }, { now: () => TEST_NOW });
    expect(await retention.run()).toMatchObject({ certificationChanges: 2 });
    for (const state of moves) {
      fake.setState(id, state);
      expect((await ok(sync.run())).changes).toBe(1);
      expect((await ok(sync.run())).changes).toBe(0);
    }
    expect(await changes()).toHaveLength(6);
  });

  test('an offer that appears after the first read arrives as a change from draft', async () => {
    await ok(sync.run());
    product('productIngestion', 'new-thing', 'inCertification');
    expect(await ok(sync.run())).toMatchObject({ added: 1, changes: 1 });
    expect(await changes()).toEqual([{ offer_id: 'fabrikam.new-thing', status: 'inCertification', source: 'partnerCenter' }]);
  });

  test.each<[string, () => void, Record<string, number>]>([
    ['a 429 with Retry-After', () => fake.failNext('products', { status: 429, retryAfter: '0' }), { products: 3 }],
    ['a 503', () => fake.failNext('submissions', { status: 503, retryAfter: '0' }), { submissions: 3 }],
    ['a 500', () => fake.failNext('products', { status: 500 }), { products: 3 }],
    ['an expired token', () => fake.expireTokens(), { token: 2 }],
    ['an answer slower than the timeout', () => fake.failNext('submissions', { delayMs: 3_000 }), { submissions: 3 }],
    ['malformed JSON', () => fake.failNext('products', { malformed: true }), { products: 3 }],
  ])('%s is retried, and the read completes', async (_label, fault, requests) => {
    product('productIngestion', 'route-optimizer', 'live');
    product('partnerIngestion', 'azure-connector', 'draft');
    await ok(sync.run());
    fault();
    fake.requests.products = fake.requests.submissions = fake.requests.token = 0;
    expect(await ok(sync.run())).toMatchObject({ read: 2, failures: [] });
    expect(fake.requests).toMatchObject(requests);
  });

  test('what keeps failing is left as it was, and said', async () => {
    const id = product('partnerIngestion', 'azure-connector');
    product('productIngestion', 'route-optimizer', 'live');
    await ok(sync.run());
    fake.setState(id, 'inCertification');
    fake.failNext(
      'submissions',
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
    );
    const outcome = await ok(sync.run());
    expect(outcome.failures).toHaveLength(2);
    expect(outcome.failures.join(' ')).toMatch(/submissions of (azure-connector|route-optimizer) \(GET .* answered 500: fault\)/);
    expect(await stateOf('fabrikam.azure-connector')).toBe('draft');
    expect(await changes()).toEqual([]);
    expect(await store.syncState(ACCOUNT)).toMatchObject({
      lastError: expect.stringMatching(/^could not read the submissions of/),
    });
    expect((await ok(sync.run())).changes).toBe(1);
  });

  test('a wrong secret or an account not imported stops the sync, changes nothing, and is recorded', async () => {
    product('productIngestion', 'route-optimizer', 'inCertification');
    const wrongSecret = await syncFor(ACCOUNT, 'not-the-secret').run();
    expect(wrongSecret).toEqual({ ok: false, error: expect.stringMatching(/no token: Entra answered 401 invalid_client/) });
    expect(wrongSecret.ok || wrongSecret.error).not.toContain('not-the-secret');
    expect(await stateOf('fabrikam.route-optimizer')).toBe('live');
    expect(await syncFor('tailspin', FAKE_CLIENT_SECRET).run()).toEqual({
      ok: false,
      error: 'no partner account tailspin in the store: import it first',
    });
    expect(await store.syncState('tailspin')).toMatchObject({
      lastError: 'no partner account tailspin in the store: import it first',
    });
  });
});
