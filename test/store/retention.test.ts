import { LeaseGate } from '../../domain/leaseGate';
import { NotificationService } from '../../domain/notificationService';
import { DEMO_OFFERS, DEMO_PARTNER_ACCOUNT_ID, DEMO_SOLUTIONS } from '../../store/demo/demoData';
import type { PgStores } from '../../store/postgres/pgStores';
import { periodicPruning, Pruner, type RetentionPolicy } from '../../store/retention';
import { describeWithPostgres } from '../support/postgres';
import { instancesOnOneSchema } from '../support/sharedInstances';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2027-03-01T09:00:00Z');
const ago = (days: number): number => NOW - days * DAY;
const now = (): Date => new Date(NOW);
const KEPT_30_DAYS: RetentionPolicy = { outboxMs: 30 * DAY, changesMs: 30 * DAY };
const AUDIT_KEPT_90_DAYS: RetentionPolicy = { ...KEPT_30_DAYS, auditMs: 90 * DAY };

const [OFFER_A, OFFER_B, OFFER_C] = [DEMO_OFFERS[0]!.id, DEMO_OFFERS[1]!.id, DEMO_OFFERS[2]!.id];
const [SOLUTION_A, SOLUTION_B] = [DEMO_SOLUTIONS[0]!.id, DEMO_SOLUTIONS[1]!.id];

type JobState = 'pending' | 'delivered' | 'failed';

async function addJob(
  stores: TestStores,
  label: string,
  state: JobState,
  createdAt: number,
  finishedAt: number | null,
): Promise<void> {
  await stores.sql(
    `INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, state, next_attempt_at, created_at, finished_at,
       pace_conversation, pace_tenant)
     VALUES ('certificationCard', ?, 'conversation:c', '{"changeId":1,"conversationKey":"c"}', ?, ?, ?, ?, 'c', 't')`,
    label,
    state,
    createdAt,
    createdAt,
    finishedAt,
  );
}

async function addChange(stores: TestStores, offerId: string, receivedAt: number, key: string | null = null): Promise<number> {
  await stores.sql(
    `INSERT INTO certification_changes (partner_account_id, offer_id, status, source, idempotency_key, received_at)
     VALUES (?, ?, 'inCertification', 'api', ?, ?)`,
    DEMO_PARTNER_ACCOUNT_ID,
    offerId,
    key,
    receivedAt,
  );
  return (await stores.row<{ id: number }>('SELECT max(id) AS id FROM certification_changes')).id;
}

async function addAuditEntry(stores: TestStores, solutionId: string, at: number, actor: string): Promise<void> {
  await stores.sql(
    `INSERT INTO audit_entries (partner_account_id, solution_id, actor_user_id, actor_name, at, event, from_status, to_status)
     VALUES (?, ?, ?, 'Test', ?, 'discard', 'pendingAction', 'discarded')`,
    DEMO_PARTNER_ACCOUNT_ID,
    solutionId,
    actor,
    at,
  );
}

/** An import run of `changes` rows; returns its id. */
async function addImportRun(stores: TestStores, at: number, changes: number): Promise<number> {
  await stores.sql(`INSERT INTO import_runs (at, actor, files, summary) VALUES (?, 'test', '[]', '{}')`, at);
  const { id } = await stores.row<{ id: number }>('SELECT max(id) AS id FROM import_runs');
  await stores.sql(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO import_changes (run_id, kind, key, outcome, fields, file, line)
     SELECT CAST(? AS INTEGER), 'solutions', 'OCP-' || i, 'added', '[]', 'solutions.csv', i FROM n`,
    changes,
    id,
  );
  return id;
}

/** `count` delivered jobs, one a minute from `from` on, each sent as it was queued. */
async function addDeliveredJobs(stores: TestStores, count: number, from: number): Promise<void> {
  await stores.sql(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, state, next_attempt_at, created_at, finished_at)
     SELECT 'certificationCard', 'bulk:' || i, 'conversation:c', '{}', 'delivered', at, at, at
     FROM (SELECT i, CAST(? AS BIGINT) + i * 60000 AS at FROM n) jobs`,
    count,
    from,
  );
}

const prune = (stores: TestStores, policy: RetentionPolicy) => new Pruner(stores.retention, policy, { now }).run();

describeEachStore('retention', (kind) => {
  let stores: TestStores;
  beforeEach(async () => {
    stores = await openTestStores(kind, { seed: new Date(ago(400)) });
  });
  afterEach(() => stores.close());

  test.each<[string, JobState, number, number | null, boolean]>([
    ['delivered 31 days ago goes', 'delivered', 31, 31, false],
    ['given up 31 days ago goes', 'failed', 32, 31, false],
    ['pending for 60 days stays: it is still to send', 'pending', 60, null, true],
    ['queued 40 days ago and delivered yesterday stays: kept from when it finished', 'delivered', 40, 1, true],
    ['delivered 29 days ago stays', 'delivered', 29, 29, true],
  ])('an outbox job %s', async (label, state, createdDaysAgo, finishedDaysAgo, stays) => {
    // Another job on either side, as old: the walk by id reaches the job, and ends beyond it.
    await addJob(stores, 'before', 'delivered', ago(70), ago(70));
    await addJob(stores, label, state, ago(createdDaysAgo), finishedDaysAgo === null ? null : ago(finishedDaysAgo));
    await addJob(stores, 'after', 'delivered', ago(1), ago(1));
    const pruned = await prune(stores, KEPT_30_DAYS);
    const left = await stores.sql<{ key: string }>('SELECT dedupe_key AS key FROM outbox ORDER BY id');
    expect(left.map((row) => row.key)).toEqual(stays ? [label, 'after'] : ['after']);
    expect(pruned.outbox).toBe(stays ? 1 : 2);
  });

  test('old certification changes go with their keys; the newest of each offer and those pending jobs read stay', async () => {
    const goes = [await addChange(stores, OFFER_A, ago(50), 'api:release-1'), await addChange(stores, OFFER_A, ago(40))];
    const newestOfB = await addChange(stores, OFFER_B, ago(45), 'api:release-2');
    const readByPending = await addChange(stores, OFFER_C, ago(44));
    await addJob(stores, 'card of an old change, still pending', 'pending', ago(44), null);
    goes.push(await addChange(stores, OFFER_C, ago(35)));
    const recent = [await addChange(stores, OFFER_A, ago(10)), await addChange(stores, OFFER_C, ago(5))];

    const pruned = await prune(stores, KEPT_30_DAYS);
    const left = await stores.sql<{ id: number }>('SELECT id FROM certification_changes ORDER BY id');
    expect(left.map((row) => row.id)).toEqual([newestOfB, readByPending, ...recent]);
    expect(pruned.certificationChanges).toBe(goes.length);

    // A key goes with its change: posted again, it is a new change; a kept change's key still repeats it.
    const notifications = new NotificationService({
      store: stores.notifications,
      references: stores.references,
      partners: stores.partners,
      clock: { now },
    });
    const post = async (offerId: string, key: string) =>
      notifications.recordChange({
        offerId,
        status: 'inCertification',
        source: 'api',
        idempotency: { key, digest: `digest-${key}` },
      });
    expect(await post(OFFER_A, 'release-1')).toMatchObject({ ok: true, value: { repeated: false } });
    expect(await post(OFFER_B, 'release-2')).toMatchObject({ ok: true, value: { repeated: true, change: { id: newestOfB } } });
  });

  test.each<[string, RetentionPolicy, readonly string[]]>([
    ['is kept for ever by default', KEPT_30_DAYS, ['old', 'A, 100 days ago', 'newest of B', 'recent']],
    [
      'goes when a retention is set, but for the entry a solution shows as its last',
      AUDIT_KEPT_90_DAYS,
      ['newest of B', 'recent'],
    ],
  ])('the audit trail of decisions %s', async (_label, policy, kept) => {
    await addAuditEntry(stores, SOLUTION_A, ago(300), 'old');
    await addAuditEntry(stores, SOLUTION_B, ago(200), 'newest of B');
    await addAuditEntry(stores, SOLUTION_A, ago(100), 'A, 100 days ago');
    await addAuditEntry(stores, SOLUTION_A, ago(10), 'recent');
    await prune(stores, policy);
    // The demo's own entries are left out: they are only there to show the cards.
    const left = await stores.sql<{ actor: string }>(
      `SELECT actor_user_id AS actor FROM audit_entries WHERE actor_user_id IN ('old', 'A, 100 days ago', 'newest of B', 'recent') ORDER BY id`,
    );
    expect(left.map((row) => row.actor).sort()).toEqual([...kept].sort());
  });

  test.each<[string, RetentionPolicy, number]>([
    ['are kept for ever by default', KEPT_30_DAYS, 3],
    ['go with their changes when the audit trail has a retention', AUDIT_KEPT_90_DAYS, 1],
  ])('import runs %s', async (_label, policy, runsLeft) => {
    await addImportRun(stores, ago(200), 30);
    await addImportRun(stores, ago(100), 20);
    const recent = await addImportRun(stores, ago(10), 5);
    await prune(stores, policy);
    expect(await stores.row('SELECT count(*) AS n FROM import_runs')).toEqual({ n: runsLeft });
    const changesLeft = await stores.sql<{ run: number }>('SELECT DISTINCT run_id AS run FROM import_changes');
    expect(changesLeft.length).toBe(runsLeft);
    if (runsLeft === 1) expect(changesLeft).toEqual([{ run: recent }]);
  });

  test('a batch deletes at most its rows, and a run pauses between batches', async () => {
    await addDeliveredJobs(stores, 530, ago(60));
    await addImportRun(stores, ago(200), 250);
    const before = new Date(ago(30));
    let cursor = 0;
    const deleted: number[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const done = await stores.retention.pruneBatch('outbox', before, cursor, 100);
      deleted.push(done.deleted);
      cursor = done.cursor;
      if (done.done) break;
    }
    expect(deleted.every((rows) => rows <= 100)).toBe(true);
    expect(deleted.reduce((sum, rows) => sum + rows, 0)).toBe(530);

    let pauses = 0;
    const pruner = new Pruner(stores.retention, AUDIT_KEPT_90_DAYS, {
      now,
      batchRows: 100,
      pause: async () => void pauses++,
    });
    // What is left: the import run, 250 changes and the run itself, in batches of 100, 100, then 50 and the run.
    expect(await pruner.run()).toMatchObject({ outbox: 0, importRuns: 251 });
    expect(pauses).toBeGreaterThanOrEqual(3);
    expect(await stores.row('SELECT count(*) AS n FROM import_changes')).toEqual({ n: 0 });
  });

  test('a run ends between two batches once the bot stops', async () => {
    await addDeliveredJobs(stores, 250, ago(60));
    const stopping = new AbortController();
    const pruner = new Pruner(stores.retention, KEPT_30_DAYS, {
      now,
      batchRows: 50,
      pause: async () => stopping.abort(),
    });
    expect((await pruner.run(stopping.signal)).outbox).toBe(50);
  });

  test('a run stops after its batches and leaves the rest for the next', async () => {
    await addDeliveredJobs(stores, 250, ago(60));
    const pruner = new Pruner(stores.retention, KEPT_30_DAYS, {
      now,
      batchRows: 50,
      maxBatches: 2,
      pause: async () => undefined,
    });
    expect((await pruner.run()).outbox).toBe(100);
    expect((await pruner.run()).outbox).toBe(100);
    expect(await stores.row('SELECT count(*) AS n FROM outbox')).toEqual({ n: 50 });
  });
});

/** Two instances of the bot on one schema: only the one holding the lease prunes; another takes over when it stops. */
describeWithPostgres('retention on the shared store', () => {
  const shared = instancesOnOneSchema(now);

  test('only the instance that holds the lease prunes', async () => {
    const [a, b] = [await shared.instance('a'), await shared.instance('b')];
    const oldJobs = async (count: number, at: number): Promise<void> => {
      await shared.schema.db.query(
        `INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, state, next_attempt_at, created_at, finished_at)
         SELECT 'certificationCard', 'bulk:' || $2::bigint || ':' || i, 'conversation:c', '{}', 'delivered', $2, $2, $2
         FROM generate_series(1, $1::int) i`,
        [count, at],
      );
    };
    await oldJobs(10, ago(60));
    const logged: Record<string, unknown[]> = { a: [], b: [] };
    const run = (name: 'a' | 'b', stores: PgStores) =>
      periodicPruning(stores.retention, KEPT_30_DAYS, {
        now,
        log: { info: (fields) => logged[name]?.push(fields), error: (fields) => logged[name]?.push(fields) },
        gate: new LeaseGate(stores.leases, 'retention', shared.instanceId(name), 60_000),
      });
    const [first, second] = [run('a', a), run('b', b)];
    const pruned = (outbox: number) => [{ pruned: { outbox, certificationChanges: 0, auditEntries: 0, importRuns: 0 } }];
    await first.tick();
    await oldJobs(3, ago(55));
    await second.tick();
    expect(logged).toEqual({ a: pruned(10), b: [] });
    expect((await shared.schema.db.query('SELECT 1 FROM outbox')).rowCount).toBe(3);

    // The holder stops and lets the lease go: the other instance prunes from its next tick on.
    await first.stop();
    await oldJobs(5, ago(50));
    await second.tick();
    expect(logged.b).toEqual(pruned(8));
    await second.stop();
    expect((await shared.schema.db.query('SELECT 1 FROM outbox')).rowCount).toBe(0);
  });
});
