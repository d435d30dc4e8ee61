import { MigrationService } from '../../domain/migrationService';
import type { Actor, ConversationInfo } from '../../domain/model';
import { NotificationService } from '../../domain/notificationService';
import { CertificationSimulator } from '../../store/demo/certificationSimulator';
import { fixedClock } from '../support/dialogHarness';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

const channel = (key: string, teamId?: string): ConversationInfo => ({
  key,
  kind: 'channel',
  address: JSON.stringify({ conversation: { id: key } }),
  locale: 'en-US',
  tenantId: 'tenant-1',
  ...(teamId && { teamId }),
});

describeEachStore('NotificationService', (kind) => {
  let stores: TestStores;
  let notifications: NotificationService;
  let migration: MigrationService;
  let manager: Actor;

  beforeEach(async () => {
    stores = await openTestStores(kind, { seed: fixedClock.now() });
    const { partners } = stores;
    notifications = new NotificationService({
      store: stores.notifications,
      references: stores.references,
      partners,
      clock: fixedClock,
    });
    migration = new MigrationService({ store: stores.migrations, partners, clock: fixedClock });
    manager = (await migration.actorFor({ userId: 'demo-manager' }))!;
  });
  afterEach(() => stores.close());

  const jobs = (): Promise<unknown[]> =>
    stores.sql('SELECT kind, dedupe_key, ordering_key, pace_conversation, pace_tenant FROM outbox ORDER BY id');

  test('subscribing twice keeps the first subscription; a personal chat cannot subscribe', async () => {
    expect(await notifications.subscribe(manager, channel('msteams:19:a'))).toMatchObject({ ok: true, value: { created: true } });
    expect(await notifications.subscribe(manager, channel('msteams:19:a'))).toMatchObject({
      ok: true,
      value: { created: false },
    });
    expect(await notifications.subscribe(manager, { ...channel('emulator:c1'), kind: 'personal' })).toEqual({
      ok: false,
      refusal: { code: 'subscriptionNeedsChannel' },
    });
  });

  test('a change queues one paced card per subscribed conversation of its partner, in order per conversation', async () => {
    await notifications.subscribe(manager, channel('msteams:19:a'));
    await notifications.subscribe(manager, channel('msteams:19:b'));
    const recorded = await notifications.recordChange({
      offerId: 'contoso.managed-soc',
      status: 'inCertification',
      source: 'api',
    });
    expect(recorded).toMatchObject({
      ok: true,
      value: { deliveries: 2, repeated: false, change: { status: 'inCertification', offerId: 'contoso.managed-soc' } },
    });
    const id = recorded.ok ? recorded.value.change.id : 0;
    expect(await jobs()).toEqual([
      {
        kind: 'certificationCard',
        dedupe_key: `certification:${id}:msteams:19:a`,
        ordering_key: 'conversation:msteams:19:a',
        pace_conversation: 'msteams:19:a',
        pace_tenant: 'tenant-1',
      },
      {
        kind: 'certificationCard',
        dedupe_key: `certification:${id}:msteams:19:b`,
        ordering_key: 'conversation:msteams:19:b',
        pace_conversation: 'msteams:19:b',
        pace_tenant: 'tenant-1',
      },
    ]);
    expect(await stores.row("SELECT publishing_state FROM offers WHERE id = 'contoso.managed-soc'")).toEqual({
      publishing_state: 'inCertification',
    });
  });

  test('going live gives an unlisted offer its listing URL and tells those waiting for a new offer', async () => {
    await migration.awaitNewOffer(manager, 'OCP-1042173', { ...channel('emulator:chat'), kind: 'personal' });
    await migration.awaitNewOffer(manager, 'OCP-1042188', { ...channel('emulator:chat'), kind: 'personal' });
    const recorded = await notifications.recordChange({ offerId: 'contoso.managed-soc', status: 'live', source: 'simulator' });
    expect(recorded).toMatchObject({ ok: true, value: { deliveries: 1 } });
    expect(await stores.row("SELECT listing_url FROM offers WHERE id = 'contoso.managed-soc'")).toEqual({
      listing_url: 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.managed-soc',
    });
    const queued = await stores.outbox.due(new Date(8.64e15), 100);
    expect(queued.find((job) => job.kind === 'offerLiveNotice')?.payload).toMatchObject({
      solutionIds: ['OCP-1042173', 'OCP-1042188'],
    });
  });

  test('forgetting a team removes its channels and nothing else', async () => {
    await notifications.subscribe(manager, channel('msteams:19:a', 'team-1'));
    await notifications.subscribe(manager, channel('msteams:19:b', 'team-1'));
    await notifications.subscribe(manager, channel('msteams:19:c', 'team-2'));
    expect(await notifications.forgetTeam('team-1')).toBe(2);
    expect(await notifications.subscriptionsOf('msteams:19:c')).toHaveLength(1);
  });

  test('idempotency keys are scoped by source: the same key from two sources is two changes', async () => {
    const idempotency = { key: 'release-1', digest: 'sha256:one' };
    const fromApi = await notifications.recordChange({
      offerId: 'contoso.managed-soc',
      status: 'live',
      source: 'api',
      idempotency,
    });
    const fromSimulator = await notifications.recordChange({
      offerId: 'contoso.managed-soc',
      status: 'inCertification',
      source: 'simulator',
      idempotency,
    });
    expect(fromApi).toMatchObject({ ok: true, value: { repeated: false } });
    expect(fromSimulator).toMatchObject({ ok: true, value: { repeated: false } });
    expect(await stores.sql('SELECT idempotency_key AS key FROM certification_changes ORDER BY id')).toEqual([
      { key: 'api:release-1' },
      { key: 'simulator:release-1' },
    ]);
  });

  test.each([
    ['the state it was imported with', [], 'previewReady', undefined, true],
    ['what its newest change says', [{ status: 'live' }], 'live', undefined, true],
    ['a new status', [{ status: 'live' }], 'certificationFailed', undefined, false],
    [
      'a failure again, with another report',
      [{ status: 'certificationFailed', reportUrl: 'https://partner.microsoft.com/r/1' }],
      'certificationFailed',
      'https://partner.microsoft.com/r/2',
      false,
    ],
  ] as const)(
    'an offer told %s: unchanged only when it says nothing new',
    async (_label, before, status, reportUrl, unchanged) => {
      await notifications.subscribe(manager, channel('msteams:19:a'));
      for (const change of before) {
        await notifications.recordChange({ offerId: 'contoso.energy-analytics', source: 'api', ...change });
      }
      const outcome = await notifications.recordChange({
        offerId: 'contoso.energy-analytics',
        status,
        source: 'api',
        ...(reportUrl && { reportUrl }),
      });
      if (!outcome.ok) throw new Error(outcome.refusal.code);
      expect(outcome.value.unchanged).toBe(unchanged);
      expect(outcome.value.deliveries === 0).toBe(unchanged);
      const repeatedAgain = await notifications.recordChange({
        offerId: 'contoso.energy-analytics',
        status,
        source: 'api',
        ...(reportUrl && { reportUrl }),
      });
      expect(repeatedAgain).toMatchObject({
        ok: true,
        value: { unchanged: true, deliveries: 0, change: { id: outcome.value.change.id } },
      });
    },
  );

  test('a key given again with another digest is refused, naming the change it stands for', async () => {
    const first = await notifications.recordChange({
      offerId: 'contoso.managed-soc',
      status: 'live',
      source: 'api',
      idempotency: { key: 'release-2', digest: 'sha256:one' },
    });
    const again = await notifications.recordChange({
      offerId: 'contoso.managed-soc',
      status: 'previewReady',
      source: 'api',
      idempotency: { key: 'release-2', digest: 'sha256:two' },
    });
    expect(again).toEqual({
      ok: false,
      refusal: { code: 'idempotencyKeyReused', key: 'release-2', change: first.ok ? first.value.change : undefined },
    });
    expect(await stores.row("SELECT publishing_state FROM offers WHERE id = 'contoso.managed-soc'")).toEqual({
      publishing_state: 'live',
    });
  });

  test('an unknown offer is refused and stores nothing', async () => {
    expect(await notifications.recordChange({ offerId: 'fabrikam.x', status: 'live', source: 'api' })).toEqual({
      ok: false,
      refusal: { code: 'offerNotFound', offerId: 'fabrikam.x' },
    });
    expect(await stores.row('SELECT count(*) AS n FROM certification_changes')).toEqual({ n: 0 });
  });
});

describeEachStore('CertificationSimulator', (kind) => {
  test('moves every demo offer through certification to live, failing once with feedback, then stops', async () => {
    const stores = await openTestStores(kind, { seed: fixedClock.now() });
    const { partners } = stores;
    const notifications = new NotificationService({
      store: stores.notifications,
      references: stores.references,
      partners,
      clock: fixedClock,
    });
    const log = { info: () => undefined, error: () => undefined };
    const simulator = new CertificationSimulator(notifications, partners, log, {
      intervalMs: 1000,
      failureRate: 1,
      random: () => 0,
    });
    let steps = 0;
    while (await simulator.step()) steps++;
    const history = await stores.sql<{ offer_id: string; status: string; reported: number }>(
      'SELECT offer_id, status, CASE WHEN report_url IS NULL THEN 0 ELSE 1 END AS reported FROM certification_changes ORDER BY id',
    );
    const soc = history.filter((change) => change.offer_id === 'contoso.managed-soc').map((change) => change.status);
    expect(soc).toEqual(['inCertification', 'certificationFailed', 'inCertification', 'previewReady', 'live']);
    expect(history.filter((change) => change.status === 'certificationFailed').every((change) => change.reported === 1)).toBe(
      true,
    );
    expect(await stores.row("SELECT count(*) AS n FROM offers WHERE publishing_state <> 'live'")).toEqual({ n: 0 });
    expect(steps).toBe(history.length);
    await stores.close();
  });
});
