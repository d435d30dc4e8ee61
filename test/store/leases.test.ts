import { LeaseGate } from '../../domain/leaseGate';
import { PgLeases } from '../../store/postgres/pgLeases';
import { describeWithPostgres, TestSchema } from '../support/postgres';

const T0 = Date.parse('2026-11-21T09:00:00Z');
const TTL = 30_000;

/** One-instance work (the Partner Center sync, the simulator) on the shared store. */
describeWithPostgres('leases in the shared store', () => {
  let schema: TestSchema;
  let now: number;
  let leases: PgLeases;
  beforeEach(async () => {
    schema = await TestSchema.create();
    now = T0;
    leases = new PgLeases(schema.db, () => new Date(now));
  });
  afterEach(() => schema.drop());

  const gate = (holder: string): LeaseGate => new LeaseGate(leases, 'partner-center-sync:fabrikam', holder, TTL);

  test.each([
    ['while the lease runs, another instance does not get it, and its holder keeps it', TTL - 1, 'a'],
    ['once it lapses unrenewed, another instance takes it', TTL + 1, 'b'],
  ])('%s', async (_label, later, holder) => {
    const [a, b] = [gate('a'), gate('b')];
    expect([await a.held(), await b.held()]).toEqual([true, false]);
    now += later;
    // The other instance asks first: it gets the lease only if it lapsed.
    const held = { b: await b.held(), a: await a.held() };
    expect(held).toEqual({ a: holder === 'a', b: holder === 'b' });
  });

  test('of instances asking at once, one holds it', async () => {
    const gates = ['a', 'b', 'c', 'd'].map(gate);
    const held = await Promise.all(gates.map((candidate) => candidate.held()));
    expect(held.filter(Boolean)).toHaveLength(1);
  });

  test('a holder that stops lets it go at once, and only its own', async () => {
    const [a, b] = [gate('a'), gate('b')];
    await a.held();
    await b.release();
    expect(await b.held()).toBe(false);
    await a.release();
    expect(await b.held()).toBe(true);
  });

  test('a store that does not answer holds nothing: no run, and no crash', async () => {
    await schema.drop();
    expect(await gate('a').held()).toBe(false);
    schema = await TestSchema.create();
  });
});
