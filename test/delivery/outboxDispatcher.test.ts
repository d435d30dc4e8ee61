import { OutboxDispatcher } from '../../delivery/outboxDispatcher';
import type { JobHandlers, QueuedJob, SendOutcome } from '../../domain/ports/outbox';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describeEachStore('OutboxDispatcher', (kind) => {
  let stores: TestStores;
  let now: number;
  beforeEach(async () => {
    stores = await openTestStores(kind);
    now = Date.parse('2026-11-21T09:00:00Z');
  });
  afterEach(() => stores.close());

  /** A merge request job whose request id is `key`. */
  async function queue(key: string, orderingKey: string, payload = JSON.stringify({ requestId: key })): Promise<void> {
    await stores.sql(
      'INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      'supportRequest',
      key,
      orderingKey,
      payload,
      now,
      now,
    );
  }

  const keyOf = (job: QueuedJob): string => (job.kind === 'supportRequest' ? job.payload.requestId : '');

  type Handler = (job: QueuedJob) => Promise<SendOutcome>;
  let handler: Handler;
  const handlers: JobHandlers = {
    supportRequest: (job) => handler(job),
    requesterNotice: (job) => handler(job),
    certificationCard: (job) => handler(job),
    offerLiveNotice: (job) => handler(job),
  };

  function dispatcher(sends: Handler, maxAttempts = 3): OutboxDispatcher {
    handler = sends;
    return new OutboxDispatcher({
      queue: stores.outbox,
      log: silent,
      now: () => new Date(now),
      random: () => 0.5,
      retry: { maxAttempts, baseDelayMs: 1000, maxDelayMs: 60_000 },
      concurrency: 2,
    });
  }

  const rows = (): Promise<Record<string, unknown>[]> =>
    stores.sql(
      'SELECT dedupe_key AS key, state, attempts, next_attempt_at - ? AS wait, last_status AS status FROM outbox ORDER BY id',
      now,
    );

  async function run(target: OutboxDispatcher): Promise<void> {
    target.start(handlers);
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
      await queue(key, orderingKey);
    const order: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    await run(
      dispatcher(async (job: QueuedJob): Promise<SendOutcome> => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(keyOf(job));
        inFlight--;
        return { ok: true };
      }),
    );
    expect(order.filter((key) => key.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(order).toHaveLength(5);
    expect(mostInFlight).toBeLessThanOrEqual(2);
    expect(await rows()).toEqual(expect.arrayContaining([expect.objectContaining({ state: 'delivered', attempts: 1 })]));
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
    await queue('x', 'k');
    await run(dispatcher(async () => outcome));
    expect((await rows())[0]).toMatchObject(expected);
  });

  test('a job that keeps failing is given up after the last attempt, and the next one in its key goes', async () => {
    await queue('first', 'k');
    await queue('second', 'k');
    const tries: string[] = [];
    const target = dispatcher(async (job) => {
      tries.push(keyOf(job));
      return keyOf(job) === 'first' ? { ok: false, status: 500, error: 'boom' } : { ok: true };
    });
    for (let round = 0; round < 4; round++) {
      await run(target);
      now += 120_000;
    }
    expect(tries).toEqual(['first', 'first', 'first', 'second']);
    expect(await rows()).toEqual([
      expect.objectContaining({ key: 'first', state: 'failed', attempts: 3, status: 500 }),
      expect.objectContaining({ key: 'second', state: 'delivered', attempts: 1 }),
    ]);
  });

  test('a handler that throws is retried like a failure', async () => {
    await queue('x', 'k');
    await run(
      dispatcher(async () => {
        throw new Error('unexpected');
      }),
    );
    expect((await rows())[0]).toMatchObject({ state: 'pending', attempts: 1 });
  });

  test('backoff doubles, with jitter, up to the cap; Retry-After wins but is capped too', () => {
    const target = dispatcher(async () => ({ ok: true }));
    expect([1, 2, 3, 10].map((attempt) => target.delayFor(attempt))).toEqual([750, 1500, 3000, 45_000]);
    expect(target.delayFor(1, 120_000)).toBe(60_000);
  });

  test('a job queued while idle is sent when woken', async () => {
    const sent: string[] = [];
    const target = dispatcher(async (job) => {
      sent.push(keyOf(job));
      return { ok: true };
    });
    target.start(handlers);
    await target.idle();
    await queue('late', 'k');
    target.wake();
    await target.idle();
    await target.stop();
    expect(sent).toEqual(['late']);
  });

  test('a job that cannot be read fails, saying why, and does not hold up the jobs behind it', async () => {
    await queue('broken', 'k', JSON.stringify({ request: 'no id' }));
    await queue('next', 'k');
    const sent: string[] = [];
    await run(
      dispatcher(async (job) => {
        sent.push(keyOf(job));
        return { ok: true };
      }),
    );
    expect(sent).toEqual(['next']);
    expect(await stores.sql('SELECT dedupe_key AS key, state, last_error AS error FROM outbox ORDER BY id')).toEqual([
      { key: 'broken', state: 'failed', error: expect.stringMatching(/^unreadable job: requestId: /) },
      { key: 'next', state: 'delivered', error: null },
    ]);
  });

  test('a job is not sent before the dispatcher is started with its handlers', async () => {
    await queue('early', 'k');
    const sent: string[] = [];
    const target = dispatcher(async (job) => {
      sent.push(keyOf(job));
      return { ok: true };
    });
    target.jobsQueued();
    await target.idle();
    expect(sent).toEqual([]);
    await run(target);
    expect(sent).toEqual(['early']);
  });
});
