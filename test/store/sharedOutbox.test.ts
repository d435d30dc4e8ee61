import type { QueuedJob } from '../../domain/ports/outbox';
import { PgOutbox } from '../../store/postgres/pgOutbox';
import { describeWithPostgres, TestSchema } from '../support/postgres';

const T0 = Date.parse('2026-11-21T09:00:00Z');
const LEASE_MS = 10_000;

/** Several instances on one PostgreSQL outbox: who sends what, and when another takes over. */
describeWithPostgres('the shared outbox, with several instances', () => {
  let schema: TestSchema;
  let a: PgOutbox;
  let b: PgOutbox;
  beforeEach(async () => {
    schema = await TestSchema.create();
    a = new PgOutbox(schema.db, { holder: 'a', leaseMs: LEASE_MS });
    b = new PgOutbox(schema.db, { holder: 'b', leaseMs: LEASE_MS });
  });
  afterEach(() => schema.drop());

  /** A certification card; paced under `tenant` when given, else only by ordering key. */
  async function queue(key: string, orderingKey: string, pacing?: { conversation: string; tenant?: string }): Promise<void> {
    await schema.db.query(
      `INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, pace_conversation, pace_tenant, next_attempt_at, created_at)
       VALUES ('certificationCard', $1, $2, $3, $4, $5, $6, $6)`,
      [
        key,
        orderingKey,
        JSON.stringify({ changeId: 1, conversationKey: key }),
        pacing?.conversation ?? null,
        pacing?.tenant ?? null,
        T0,
      ],
    );
  }

  const keys = (jobs: readonly QueuedJob[]): string[] =>
    jobs.map((job) => (job.kind === 'certificationCard' ? job.payload.conversationKey : job.kind)).sort();

  test('two instances sweeping at once claim every job exactly once between them', async () => {
    const all = Array.from({ length: 40 }, (_, index) => `j${String(index).padStart(2, '0')}`);
    for (const key of all) await queue(key, `k-${key}`);
    const [fromA, fromB] = await Promise.all([a.due(new Date(T0), 25), b.due(new Date(T0), 25)]);
    expect([...keys(fromA), ...keys(fromB)].sort()).toEqual(all);
    expect(keys(fromA).filter((key) => keys(fromB).includes(key))).toEqual([]);
    const [againA, againB] = [await a.due(new Date(T0), 40), await b.due(new Date(T0), 40)];
    // An instance's own claims come back to it (what its pacer held back); nothing of the other's.
    expect(keys(againA)).toEqual(keys(fromA));
    expect(keys(againB)).toEqual(keys(fromB));
  });

  test('a job claimed by an instance that died is taken over once its claim lapses, and not before', async () => {
    await queue('x', 'k');
    expect(keys(await a.due(new Date(T0), 10))).toEqual(['x']);
    expect(await b.due(new Date(T0 + LEASE_MS - 1), 10)).toEqual([]);
    expect(await b.nextDueAt()).toEqual(new Date(T0 + LEASE_MS));
    const taken = await b.due(new Date(T0 + LEASE_MS + 1), 10);
    expect(keys(taken)).toEqual(['x']);
    // The dead instance, if it was only slow, cannot undo what the one that took over recorded.
    const [job] = taken;
    if (job) await b.delivered(job.id, new Date(T0 + LEASE_MS + 2));
    if (job) await a.retryAt(job.id, new Date(T0 + LEASE_MS + 3), { error: 'late' });
    expect((await schema.db.query('SELECT state, attempts FROM outbox')).rows).toEqual([{ state: 'delivered', attempts: 1 }]);
  });

  test('order per ordering key holds across instances: the next job waits for the head, wherever it is sent', async () => {
    await queue('first', 'k');
    await queue('second', 'k');
    const [head] = await a.due(new Date(T0), 10);
    expect(await b.due(new Date(T0), 10)).toEqual([]);
    if (head) await a.delivered(head.id, new Date(T0 + 1));
    expect(keys(await b.due(new Date(T0 + 2), 10))).toEqual(['second']);
  });

  test("one instance at a time sends under a tenant's pacing key; it lets the key go once it has sent all", async () => {
    await queue('t1-c1', 'conversation:c1', { conversation: 'c1', tenant: 't1' });
    await queue('t1-c2', 'conversation:c2', { conversation: 'c2', tenant: 't1' });
    await queue('t2-c3', 'conversation:c3', { conversation: 'c3', tenant: 't2' });
    const fromA = await a.due(new Date(T0), 10);
    // The first sweep takes one key, and every job due under it.
    expect(keys(fromA)).toEqual(['t1-c1', 't1-c2']);
    expect(keys(await b.due(new Date(T0), 10))).toEqual(['t2-c3']);
    for (const job of fromA) await a.delivered(job.id, new Date(T0 + 1));
    expect((await schema.db.query('SELECT pace_key, holder FROM sender_leases ORDER BY pace_key')).rows).toEqual([
      { pace_key: 'tenant:t1', holder: 'a' },
      { pace_key: 'tenant:t2', holder: 'b' },
    ]);
    expect(await a.due(new Date(T0 + 2), 10)).toEqual([]);
    await queue('t1-c1-again', 'conversation:c1', { conversation: 'c1', tenant: 't1' });
    expect(keys(await b.due(new Date(T0 + 3), 10))).toEqual(['t1-c1-again', 't2-c3']);
  });

  test('a pacing key held by an instance that died goes to another once its lease lapses', async () => {
    await queue('one', 'conversation:c1', { conversation: 'c1', tenant: 't1' });
    await queue('two', 'conversation:c2', { conversation: 'c2', tenant: 't1' });
    const [first] = await a.due(new Date(T0), 1);
    expect(first).toBeDefined();
    expect(await b.due(new Date(T0 + 1), 10)).toEqual([]);
    expect(await b.nextDueAt()).toEqual(new Date(T0 + LEASE_MS));
    expect(keys(await b.due(new Date(T0 + LEASE_MS + 1), 10))).toEqual(['one', 'two']);
  });

  test('a lapsed pacing key stays untaken for the grace its holder may still be sending in', async () => {
    const GRACE_MS = 5_000;
    const late = new PgOutbox(schema.db, { holder: 'b', leaseMs: LEASE_MS, takeoverGraceMs: GRACE_MS });
    await queue('one', 'conversation:c1', { conversation: 'c1', tenant: 't1' });
    await queue('two', 'conversation:c2', { conversation: 'c2', tenant: 't1' });
    expect(await a.due(new Date(T0), 1)).toHaveLength(1);
    expect(await late.nextDueAt()).toEqual(new Date(T0 + LEASE_MS + GRACE_MS));
    expect(await late.due(new Date(T0 + LEASE_MS + 1), 10)).toEqual([]);
    expect(await late.due(new Date(T0 + LEASE_MS + GRACE_MS), 10)).toEqual([]);
    expect(keys(await late.due(new Date(T0 + LEASE_MS + GRACE_MS + 1), 10))).toEqual(['one', 'two']);
  });

  test('jobs come with the term of the holding they were claimed under: the same while held, a new one when taken back', async () => {
    const pacing = { conversation: 'c1', tenant: 't1' };
    const terms = (jobs: readonly QueuedJob[]): (number | undefined)[] => jobs.map((job) => job.pacingTerm);
    await queue('first', 'conversation:c1', pacing);
    await queue('unpaced', 'k');
    const [held] = await a.due(new Date(T0), 10);
    const term = held?.pacingTerm;
    expect(term).toEqual(expect.any(Number));
    // Renewed by the next sweep, the holding keeps its term; a job paced by nothing has none.
    const again = await a.due(new Date(T0 + 1), 10);
    expect(terms(again).sort()).toEqual([term, undefined]);
    for (const job of again) await a.delivered(job.id, new Date(T0 + 2));
    expect(await a.due(new Date(T0 + 3), 10)).toEqual([]);
    // Let go, then taken back by the same instance: another may have sent there in between.
    await queue('second', 'conversation:c1', pacing);
    const back = await a.due(new Date(T0 + 4), 10);
    expect(keys(back)).toEqual(['second']);
    expect(terms(back)).not.toContain(term);
    expect(terms(back)).toEqual([expect.any(Number)]);
  });
});
