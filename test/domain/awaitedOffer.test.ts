import { matchAwaited, sameOfferName } from '../../domain/awaitedOffer';
import { MigrationService } from '../../domain/migrationService';
import type { Actor, ConversationInfo } from '../../domain/model';
import { NotificationService } from '../../domain/notificationService';
import type { AwaitedOfferInput } from '../../domain/awaitedOffer';
import { fixedClock } from '../support/dialogHarness';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

const RETAIL = 'OCP-1042201';
const FLEET = 'OCP-1042173';
const CLINICAL = 'OCP-1042236';
/** Seeded as waiting for the Field Service Companion offer, which is in certification. */
const FIELD_SERVICE = 'OCP-1041950';
const FIELD_SERVICE_OFFER = 'contoso.field-service-companion';

const chat = (key: string): ConversationInfo => ({
  key,
  kind: 'personal',
  address: JSON.stringify({ conversation: { id: key } }),
  locale: 'en-US',
  tenantId: 'tenant-1',
});

describe('matching a live offer to what a solution waits for', () => {
  const offer = { id: 'contoso.retail-insights', name: 'Contoso Retail Insights' };
  test.each([
    ['nothing named', undefined, 'open'],
    ['the offer, by id', { offerId: 'contoso.retail-insights', name: 'Old name' }, 'awaited'],
    ['another offer, by id, of the same name', { offerId: 'contoso.other', name: 'Contoso Retail Insights' }, 'other'],
    ['its name, in another case and spacing', { name: '  contoso   RETAIL insights ' }, 'awaited'],
    ['another name', { name: 'Contoso Field Service Companion' }, 'other'],
  ] as const)('%s: %s', (_what, awaited, match) => {
    expect(matchAwaited(offer, awaited)).toBe(match);
  });

  test('names compare across Unicode forms', () => {
    expect(sameOfferName('Ｃｏｎｔｏｓｏ Café', 'contoso cafe\u0301')).toBe(true);
  });
});

describeEachStore('the offer a waiting solution waits for', (kind) => {
  let stores: TestStores;
  let service: MigrationService;
  let notifications: NotificationService;
  let manager: Actor;

  beforeEach(async () => {
    stores = await openTestStores(kind, { seed: fixedClock.now() });
    service = new MigrationService({ store: stores.migrations, partners: stores.partners, clock: fixedClock });
    notifications = new NotificationService({
      store: stores.notifications,
      references: stores.references,
      partners: stores.partners,
      clock: fixedClock,
    });
    manager = (await service.actorFor({ userId: 'demo-manager' }))!;
  });
  afterEach(() => stores.close());

  const solution = async (id: string) => (await stores.migrations.getSolution('demo-contoso', id))!;

  test.each<[string, AwaitedOfferInput, object | undefined]>([
    [
      'one of the partner’s offers that is not live yet',
      { offerId: 'contoso.managed-soc' },
      { offerId: 'contoso.managed-soc', name: 'Contoso Managed SOC' },
    ],
    [
      'a name Partner Center does not have yet',
      { offerName: '  Contoso  Retail Insights ' },
      { name: 'Contoso Retail Insights' },
    ],
    [
      'the name of an offer that is not live yet, in other case',
      { offerName: 'contoso energy analytics' },
      { offerId: 'contoso.energy-analytics', name: 'Contoso Energy Analytics' },
    ],
    ['nothing: left open', {}, undefined],
    ['empty inputs: left open', { offerId: '', offerName: ' ' }, undefined],
  ])('no similar offer yet, naming %s, records it on the solution and in the audit trail', async (_what, awaited, expected) => {
    const result = await service.awaitNewOffer(manager, RETAIL, chat('emulator:chat'), awaited);
    expect(result).toMatchObject({ ok: true, value: { solution: { status: 'awaitingNewOffer' } } });
    const stored = await solution(RETAIL);
    expect(stored.status).toBe('awaitingNewOffer');
    expect(stored.awaitedOffer).toEqual(expected);
    const audit = await stores.migrations.latestAuditEntry('demo-contoso', RETAIL);
    expect(audit).toMatchObject({
      event: 'awaitNewOffer',
      from: 'pendingAction',
      to: 'awaitingNewOffer',
      actorName: 'Jordan Park',
    });
    expect(audit?.awaitedOffer).toEqual(expected);
  });

  test.each<[string, AwaitedOfferInput, string]>([
    ['a live offer', { offerId: 'contoso.crm-connect' }, 'awaitedOfferLive'],
    ['the name of a live offer', { offerName: 'CONTOSO CRM CONNECT' }, 'awaitedOfferLive'],
    ['an offer that is not the partner’s', { offerId: 'fabrikam.thing' }, 'awaitedOfferNotFound'],
    [
      'an offer and another name beside it',
      { offerId: 'contoso.managed-soc', offerName: 'Something else' },
      'awaitedOfferAmbiguous',
    ],
    ['a name over 200 characters', { offerName: 'x'.repeat(201) }, 'invalidAwaitedOfferName'],
  ])('naming %s is refused and changes nothing', async (_what, awaited, code) => {
    const before = await solution(RETAIL);
    expect(await service.awaitNewOffer(manager, RETAIL, chat('emulator:chat'), awaited)).toMatchObject({
      ok: false,
      refusal: { code },
    });
    expect(await solution(RETAIL)).toEqual(before);
    expect(await stores.sql('SELECT solution_id FROM new_offer_watchers')).toEqual([]);
  });

  test('the awaited offer can be changed and cleared later, each change in the audit trail', async () => {
    await service.awaitNewOffer(manager, RETAIL, chat('emulator:chat'));
    expect((await solution(RETAIL)).awaitedOffer).toBeUndefined();

    const named = await service.setAwaitedOffer(manager, RETAIL, { offerName: 'Contoso Retail Insights' });
    expect(named).toMatchObject({ ok: true, value: { solution: { awaitedOffer: { name: 'Contoso Retail Insights' } } } });
    const version = (await solution(RETAIL)).version;

    // Saying it again changes nothing.
    expect(await service.setAwaitedOffer(manager, RETAIL, { offerName: 'contoso retail insights' })).toMatchObject({ ok: true });
    expect((await solution(RETAIL)).version).toBe(version);

    // The form shows the name waited for; choosing an offer beside it changes to that offer.
    await service.setAwaitedOffer(manager, RETAIL, { offerId: 'contoso.managed-soc', offerName: 'Contoso Retail Insights' });
    expect((await solution(RETAIL)).awaitedOffer).toEqual({ offerId: 'contoso.managed-soc', name: 'Contoso Managed SOC' });

    const cleared = await service.setAwaitedOffer(manager, RETAIL, {});
    expect(cleared.ok && cleared.value.solution.awaitedOffer).toBeUndefined();
    expect((await solution(RETAIL)).awaitedOffer).toBeUndefined();
    expect(
      await stores.sql(
        "SELECT event, awaited_offer_id, awaited_offer_name FROM audit_entries WHERE solution_id = 'OCP-1042201' ORDER BY id",
      ),
    ).toEqual([
      { event: 'awaitNewOffer', awaited_offer_id: null, awaited_offer_name: null },
      { event: 'setAwaitedOffer', awaited_offer_id: null, awaited_offer_name: 'Contoso Retail Insights' },
      { event: 'setAwaitedOffer', awaited_offer_id: 'contoso.managed-soc', awaited_offer_name: 'Contoso Managed SOC' },
      { event: 'setAwaitedOffer', awaited_offer_id: null, awaited_offer_name: null },
    ]);
  });

  test('only a waiting solution has an offer to name, and only a member who may change it names it', async () => {
    expect(await service.setAwaitedOffer(manager, FLEET, { offerName: 'X' })).toMatchObject({
      ok: false,
      refusal: { code: 'illegalTransition', event: 'setAwaitedOffer' },
    });
    const marketer = (await service.actorFor({ userId: 'demo-marketer' }))!;
    expect(await service.setAwaitedOffer(marketer, FIELD_SERVICE, {})).toMatchObject({
      ok: false,
      refusal: { code: 'notPermitted' },
    });
    expect((await solution(FIELD_SERVICE)).awaitedOffer).toEqual({
      offerId: FIELD_SERVICE_OFFER,
      name: 'Contoso Field Service Companion',
    });
  });

  test('the offers to choose from are those not live yet', async () => {
    const choices = await service.awaitedOfferChoices(manager, FIELD_SERVICE);
    expect(choices.ok && choices.value.offers.map((offer) => offer.publishingState).sort()).toEqual([
      'draft',
      'inCertification',
      'previewReady',
    ]);
  });

  test('a merge request leaves the awaited offer behind', async () => {
    const requested = await service.requestMerge(manager, FIELD_SERVICE, {
      offerType: 'saas',
      offerName: 'Contoso CRM Connect',
      ocpSolutionId: FIELD_SERVICE,
      listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect',
    });
    expect(requested).toMatchObject({ ok: true, value: { solution: { status: 'mergeRequested' } } });
    expect((await solution(FIELD_SERVICE)).awaitedOffer).toBeUndefined();
  });

  test('an offer going live tells only those waiting for it, or for no offer in particular', async () => {
    await service.awaitNewOffer(manager, RETAIL, chat('emulator:retail'), { offerName: 'Contoso Retail Insights' });
    await service.awaitNewOffer(manager, FLEET, chat('emulator:fleet'), { offerId: FIELD_SERVICE_OFFER });
    await service.awaitNewOffer(manager, CLINICAL, chat('emulator:clinical'));

    const recorded = await notifications.recordChange({ offerId: FIELD_SERVICE_OFFER, status: 'live', source: 'simulator' });
    expect(recorded).toMatchObject({ ok: true, value: { deliveries: 2 } });
    const notices = (await stores.outbox.due(new Date(8.64e15), 100)).flatMap((job) =>
      job.kind === 'offerLiveNotice' ? [job.payload.solutionIds] : [],
    );
    expect(notices.sort()).toEqual([[FLEET], [CLINICAL]]);

    // Renamed to what Retail Insights waits for, an offer going live reaches it, by name.
    await stores.sql("UPDATE offers SET name = 'contoso retail INSIGHTS' WHERE id = 'contoso.managed-soc'");
    const renamed = await notifications.recordChange({ offerId: 'contoso.managed-soc', status: 'live', source: 'simulator' });
    expect(renamed).toMatchObject({ ok: true, value: { deliveries: 2 } });
  });
});
