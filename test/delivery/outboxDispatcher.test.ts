import type { JobHandler, QueuedJob } from '../../delivery/outbox';
import { OutboxDispatcher } from '../../delivery/outboxDispatcher';
import type { OutboxKind, SendOutcome } from '../../domain/ports';
import { openDatabase, type SqliteDatabase } from '../../store/sqlite/database';
import { SqliteOutbox } from '../../store/sqlite/sqliteOutbox';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('OutboxDispatcher', () => {
  let db: SqliteDatabase;
  let now: number;
  beforeEach(() => {
    db = openDatabase({ location: ':memory:' });
    now = Date.parse('2026-11-21T09:00:00Z');
  });
  afterEach(() => db.close());

  function queue(key: string, orderingKey: string, kind: OutboxKind = 'supportRequest'): void {
    db.prepare(
      'INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(kind, key, orderingKey, JSON.stringify({ key }), now, now);
  }

  function dispatcher(handler: JobHandler, maxAttempts = 3): OutboxDispatcher {
    return new OutboxDispatcher({
      queue: new SqliteOutbox(db),
      handlers: { supportRequest: handler, requesterNotice: handler, certificationCard: handler, offerLiveNotice: handler },
      log: silent,
      now: () => new Date(now),
      random: () => 0.5,
      retry: { maxAttempts, baseDelayMs: 1000, maxDelayMs: 60_000 },
      concurrency: 2,
    });
  }

  const rows = (): unknown[] =>
    db
      .prepare(
        'SELECT dedupe_key AS key, state, attempts, next_attempt_at - ? AS wait, last_status AS status FROM outbox ORDER BY id',
      )
      .all(now);

  async function run(target: OutboxDispatcher): Promise<void> {
    target.start();
    await target.idle();
    await target.stop();
  }

  test('sends what is pending at start, in order within a key, across keys concurrently but bounded', async () => {
    for (const [key, orderingKey] of [
      ['a1', 'a'],
      ['b1', 'b'],
      ['a2', 'a'],
      ['c1', 'c'],
      ['a3', 'a'],
    ] as const)
      queue(key, orderingKey);
    const order: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    await run(
      dispatcher(async (job: QueuedJob): Promise<SendOutcome> => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(job.payload.key ?? '');
        inFlight--;
        return { ok: true };
      }),
    );
    expect(order.filter((key) => key.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(order).toHaveLength(5);
    expect(mostInFlight).toBeLessThanOrEqual(2);
    expect(rows()).toEqual(expect.arrayContaining([expect.objectContaining({ state: 'delivered', attempts: 1 })]));
  });

  test.each<[string, SendOutcome, Record<string, unknown>]>([
    [
      'a 429 waits for Retry-After',
      { ok: false, status: 429, retryAfterMs: 7000, error: 'throttled' },
      { state: 'pending', attempts: 1, wait: 7000, status: 429 },
    ],
    [
      'a 503 backs off',
      { ok: false, status: 503, error: 'unavailable' },
      { state: 'pending', attempts: 1, wait: 750, status: 503 },
    ],
    [
      'a network error backs off',
      { ok: false, error: 'ECONNREFUSED' },
      { state: 'pending', attempts: 1, wait: 750, status: null },
    ],
    ['a 403 fails at once', { ok: false, status: 403, error: 'forbidden' }, { state: 'failed', attempts: 1, status: 403 }],
    ['a 400 fails at once', { ok: false, status: 400, error: 'bad' }, { state: 'failed', attempts: 1, status: 400 }],
  ])('%s', async (_label, outcome, expected) => {
    queue('x', 'k');
    await run(dispatcher(async () => outcome));
    expect(rows()[0]).toMatchObject(expected);
  });

  test('a job that keeps failing is given up after the last attempt, and the next one in its key goes', async () => {
    queue('first', 'k');
    queue('second', 'k');
    const tries: string[] = [];
    const target = dispatcher(async (job) => {
      tries.push(job.payload.key ?? '');
      return job.payload.key === 'first' ? { ok: false, status: 500, error: 'boom' } : { ok: true };
    });
    for (let round = 0; round < 4; round++) {
      await run(target);
      now += 120_000;
    }
    expect(tries).toEqual(['first', 'first', 'first', 'second']);
    expect(rows()).toEqual([
      expect.objectContaining({ key: 'first', state: 'failed', attempts: 3, status: 500 }),
      expect.objectContaining({ key: 'second', state: 'delivered', attempts: 1 }),
    ]);
  });

  test('a handler that throws is retried like a failure', async () => {
    queue('x', 'k');
    await run(
      dispatcher(async () => {
        throw new Error('unexpected');
      }),
    );
    expect(rows()[0]).toMatchObject({ state: 'pending', attempts: 1 });
  });

  test('backoff doubles, with jitter, up to the cap; Retry-After wins but is capped too', () => {
    const target = dispatcher(async () => ({ ok: true }));
    expect([1, 2, 3, 10].map((attempt) => target.delayFor(attempt))).toEqual([750, 1500, 3000, 45_000]);
    expect(target.delayFor(1, 120_000)).toBe(60_000);
  });

  test('a job queued while idle is sent when woken', async () => {
    const sent: string[] = [];
    const target = dispatcher(async (job) => {
      sent.push(job.payload.key ?? '');
      return { ok: true };
    });
    target.start();
    await target.idle();
    queue('late', 'k');
    target.wake();
    await target.idle();
    await target.stop();
    expect(sent).toEqual(['late']);
  });
});
