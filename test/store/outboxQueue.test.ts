import type { QueuedJob } from '../../domain/ports/outbox';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

const T0 = Date.parse('2026-11-21T09:00:00Z');

describeEachStore('the outbox as a queue', (kind) => {
  let stores: TestStores;
  beforeEach(async () => {
    stores = await openTestStores(kind);
  });
  afterEach(() => stores.close());

  /** A certification card for `conversation` of tenant-1, due at `at`. */
  async function queue(key: string, orderingKey: string, at = T0, conversation = 'c1'): Promise<void> {
    await stores.sql(
      `INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, pace_conversation, pace_tenant, next_attempt_at, created_at)
       VALUES ('certificationCard', ?, ?, ?, ?, 'tenant-1', ?, ?)`,
      key,
      orderingKey,
      JSON.stringify({ changeId: 1, conversationKey: key }),
      conversation,
      at,
      at,
    );
  }

  const keys = (jobs: readonly QueuedJob[]): string[] =>
    jobs.map((job) => (job.kind === 'certificationCard' ? job.payload.conversationKey : job.kind));

  test('only the head of each ordering key is due, oldest first, and only once it is due', async () => {
    await queue('a1', 'a');
    await queue('b1', 'b', T0 - 1000);
    await queue('a2', 'a');
    await queue('c1', 'c', T0 + 60_000);
    expect(await stores.outbox.nextDueAt()).toEqual(new Date(T0 - 1000));
    expect(keys(await stores.outbox.due(new Date(T0), 10))).toEqual(['b1', 'a1']);
  });

  test('a delivered head lets the next of its key go; the limit bounds a sweep', async () => {
    await queue('a1', 'a');
    await queue('a2', 'a');
    await queue('b1', 'b');
    const [first] = await stores.outbox.due(new Date(T0), 1);
    expect(keys(first ? [first] : [])).toEqual(['a1']);
    if (first) await stores.outbox.delivered(first.id, new Date(T0 + 10));
    expect(keys(await stores.outbox.due(new Date(T0 + 20), 10))).toEqual(['a2', 'b1']);
  });

  test('a retry waits until its time, counting the attempt; a failure is final', async () => {
    await queue('a1', 'a');
    await queue('b1', 'b');
    const due = await stores.outbox.due(new Date(T0), 10);
    const [a1, b1] = due;
    if (!a1 || !b1) throw new Error('expected two jobs');
    await stores.outbox.retryAt(a1.id, new Date(T0 + 5000), { status: 429, error: 'throttled' });
    await stores.outbox.failed(b1.id, new Date(T0), { status: 403, error: 'forbidden' });
    expect(await stores.outbox.due(new Date(T0 + 4999), 10)).toEqual([]);
    expect(await stores.outbox.due(new Date(T0 + 5000), 10)).toEqual([expect.objectContaining({ id: a1.id, attempts: 1 })]);
    expect(await stores.sql('SELECT dedupe_key, state, last_status, last_error FROM outbox ORDER BY id')).toEqual([
      { dedupe_key: 'a1', state: 'pending', last_status: 429, last_error: 'throttled' },
      { dedupe_key: 'b1', state: 'failed', last_status: 403, last_error: 'forbidden' },
    ]);
  });

  test('the backlog counts what is pending and says since when the oldest waits', async () => {
    expect(await stores.outbox.backlog()).toEqual({ pending: 0 });
    await queue('a1', 'a', T0 - 3000);
    await queue('b1', 'b');
    const [first] = await stores.outbox.due(new Date(T0), 1);
    if (first) await stores.outbox.delivered(first.id, new Date(T0));
    expect(await stores.outbox.backlog()).toEqual({ pending: 1, oldestCreatedAt: new Date(T0) });
  });

  test('what was answered under a conversation or a tenant since a moment is read back, in order', async () => {
    await queue('a1', 'a', T0, 'c1');
    await queue('b1', 'b', T0, 'c2');
    await queue('c1', 'c', T0, 'c1');
    const due = await stores.outbox.due(new Date(T0), 10);
    for (const [index, job] of due.entries()) await stores.outbox.delivered(job.id, new Date(T0 + 100 * (index + 1)));
    expect(await stores.outbox.answeredSince('conversation', 'c1', new Date(T0))).toEqual([
      new Date(T0 + 100),
      new Date(T0 + 300),
    ]);
    expect(await stores.outbox.answeredSince('tenant', 'tenant-1', new Date(T0 + 150))).toEqual([
      new Date(T0 + 200),
      new Date(T0 + 300),
    ]);
  });

  test('a row no code can read fails, saying why, and the next job of its key is due instead', async () => {
    await stores.sql(
      `INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, next_attempt_at, created_at)
       VALUES ('supportRequest', 'broken', 'k', '{}', ?, ?)`,
      T0,
      T0,
    );
    await queue('next', 'k');
    expect(keys(await stores.outbox.due(new Date(T0), 10))).toEqual(['next']);
    expect(await stores.row("SELECT state, last_error FROM outbox WHERE dedupe_key = 'broken'")).toEqual({
      state: 'failed',
      last_error: expect.stringMatching(/^unreadable job: requestId: /),
    });
  });
});
