import { MigrationService } from '../../domain/migrationService';
import type { Actor } from '../../domain/model';
import type { MigrationStore } from '../../domain/ports/migration';
import { DEMO_PARTNER_ACCOUNT_ID } from '../../store/demo/demoData';
import { fixedClock, TEST_NOW } from '../support/dialogHarness';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

const PENDING = 'OCP-1042173';
const DISCARDED = 'OCP-1041983';
const MERGED = 'OCP-1041977';

describeEachStore('MigrationService', (kind) => {
  let stores: TestStores;
  let store: MigrationStore;
  let service: MigrationService;

  beforeEach(async () => {
    stores = await openTestStores(kind, { seed: TEST_NOW });
    store = stores.migrations;
    service = new MigrationService({ store, partners: stores.partners, clock: fixedClock });
  });
  afterEach(() => stores.close());

  async function actor(userId: string): Promise<Actor> {
    const found = await service.actorFor({ userId });
    if (!found) throw new Error(`no demo member ${userId}`);
    return found;
  }

  function auditRows(solutionId: string): Promise<unknown[]> {
    return stores.sql(
      'SELECT actor_user_id, event, from_status, to_status, at FROM audit_entries WHERE solution_id = ? ORDER BY id',
      solutionId,
    );
  }

  test('an unknown user is no actor outside development mode', async () => {
    await expect(service.actorFor({ userId: 'stranger' })).resolves.toBeUndefined();
  });

  test.each(['demo-owner', 'demo-manager', 'demo-developer'])('%s discards and undoes, each change audited', async (userId) => {
    const who = await actor(userId);
    const discarded = await service.discard(who, PENDING);
    expect(discarded).toMatchObject({ ok: true, value: { solution: { status: 'discarded', version: 1 } } });
    const undone = await service.undoDiscard(who, PENDING);
    expect(undone).toMatchObject({ ok: true, value: { solution: { status: 'pendingAction', version: 2 } } });
    expect(await auditRows(PENDING)).toEqual([
      { actor_user_id: userId, event: 'discard', from_status: 'pendingAction', to_status: 'discarded', at: TEST_NOW.getTime() },
      {
        actor_user_id: userId,
        event: 'undoDiscard',
        from_status: 'discarded',
        to_status: 'pendingAction',
        at: TEST_NOW.getTime(),
      },
    ]);
  });

  test.each(['demo-marketer', 'demo-business', 'demo-finance'])(
    '%s may read but is refused a discard, and nothing changes',
    async (userId) => {
      const who = await actor(userId);
      await expect(service.getSolution(who, PENDING)).resolves.toMatchObject({ ok: true });
      const result = await service.discard(who, PENDING);
      expect(result).toEqual({ ok: false, refusal: { code: 'notPermitted', role: who.member.role } });
      expect((await store.getSolution(DEMO_PARTNER_ACCOUNT_ID, PENDING))?.status).toBe('pendingAction');
      expect(await auditRows(PENDING)).toEqual([]);
    },
  );

  test.each([
    ['discard', MERGED, 'merged'],
    ['discard', DISCARDED, 'discarded'],
    ['undoDiscard', PENDING, 'pendingAction'],
  ] as const)('%s of a %s solution is refused with its current state', async (event, solutionId, status) => {
    const who = await actor('demo-manager');
    const result = event === 'discard' ? await service.discard(who, solutionId) : await service.undoDiscard(who, solutionId);
    expect(result).toMatchObject({
      ok: false,
      refusal: { code: 'illegalTransition', event, solution: { id: solutionId, status } },
    });
    expect(await auditRows(solutionId)).toHaveLength(status === 'pendingAction' ? 0 : 1);
  });

  test("another partner's solution is not found, and is not touched", async () => {
    await stores.sql("INSERT INTO partner_accounts VALUES ('other', 'Fabrikam', '[\"7000001\"]', 1, 1)");
    await stores.sql(
      "INSERT INTO solutions (id, partner_account_id, partner_id, name, co_sell_status, open_referrals, collateral_documents, status, status_changed_at) VALUES ('OCP-OTHER', 'other', '7000001', 'Fabrikam Thing', 'coSellReady', 0, 0, 'pendingAction', 0)",
    );
    const who = await actor('demo-owner');
    await expect(service.discard(who, 'OCP-OTHER')).resolves.toEqual({
      ok: false,
      refusal: { code: 'solutionNotFound', solutionId: 'OCP-OTHER' },
    });
    await expect(service.getSolution(who, 'OCP-OTHER')).resolves.toMatchObject({ ok: false });
    expect(await stores.sql("SELECT status FROM solutions WHERE id = 'OCP-OTHER'")).toEqual([{ status: 'pendingAction' }]);
  });

  test('of two racing discards, one wins and the other is told where the solution stands', async () => {
    const who = await actor('demo-manager');
    const results = await Promise.all([service.discard(who, PENDING), service.discard(who, PENDING)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toMatchObject({
      refusal: { code: 'illegalTransition', solution: { status: 'discarded' } },
    });
    expect(await auditRows(PENDING)).toHaveLength(1);
  });

  test('a change made against an old version is refused by the store and writes no audit entry', async () => {
    const applied = await store.applyStatusChange({
      partnerAccountId: DEMO_PARTNER_ACCOUNT_ID,
      solutionId: PENDING,
      expectedVersion: 7,
      event: 'discard',
      from: 'pendingAction',
      to: 'discarded',
      actorUserId: 'demo-owner',
      actorName: 'Morgan Lee',
      at: TEST_NOW,
    });
    expect(applied).toBe(false);
    expect(await auditRows(PENDING)).toEqual([]);
  });

  test('pages hold ten solutions, pending action first, and clamp to the pages that exist', async () => {
    const who = await actor('demo-marketer');
    const first = await service.listSolutions(who, 1);
    expect(first).toMatchObject({ page: 1, pageCount: 2, total: 15 });
    expect(first.items).toHaveLength(10);
    expect(first.items.every((solution) => solution.status === 'pendingAction')).toBe(true);
    const last = await service.listSolutions(who, 99);
    expect(last.page).toBe(2);
    expect(last.items.map((solution) => solution.status)).toEqual([
      'migratedAsDraft',
      'awaitingNewOffer',
      'mergeRequested',
      'merged',
      'discarded',
    ]);
    expect((await service.listSolutions(who, 0)).page).toBe(1);
  });

  test('status counts follow every change', async () => {
    const who = await actor('demo-owner');
    const before = await store.countByStatus(DEMO_PARTNER_ACCOUNT_ID);
    await service.discard(who, PENDING);
    const after = await store.countByStatus(DEMO_PARTNER_ACCOUNT_ID);
    expect(after.pendingAction).toBe(before.pendingAction - 1);
    expect(after.discarded).toBe(before.discarded + 1);
  });
});
