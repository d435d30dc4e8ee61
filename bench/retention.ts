import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CertificationStatus } from '../domain/model';
import { NotificationService } from '../domain/notificationService';
import { DEMO_OFFERS, DEMO_PARTNER_ACCOUNT_ID } from '../store/demo/demoData';
import { PRUNE_INTERVAL_MS, Pruner, type RetentionPolicy, type RetentionStore } from '../store/retention';
import { DATABASE_FILE, openDatabase } from '../store/sqlite/database';
import { sqliteStores } from '../store/sqlite/sqliteStores';
import { quantile } from './load';

export interface RetentionPlan {
  readonly notifications: number;
  /** Where the first size is taken. */
  readonly checkpoint: number;
  /** Subscribed channels: each change is a card to each. */
  readonly channels: number;
  /** Retention periods the notifications span. */
  readonly periods: number;
}

export interface RetentionFigures {
  readonly mbAtCheckpoint: number;
  readonly mbAtEnd: number;
  readonly rowsAtCheckpoint: StoreRows;
  readonly rowsAtEnd: StoreRows;
  readonly simulatedDays: number;
  readonly seconds: number;
  /** The pruner's batches, hourly as it runs: how many, and how long they took. */
  readonly batches: number;
  readonly batchP99Ms: number;
  readonly batchMaxMs: number;
  /** Catching up on a month at once (retention shortened to a day): full batches. */
  readonly catchUpBatches: number;
  readonly catchUpBatchMaxMs: number;
  readonly catchUpRows: number;
}

export interface StoreRows {
  readonly outbox: number;
  readonly changes: number;
  readonly freePages: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const STATUSES: readonly CertificationStatus[] = ['inCertification', 'certificationFailed', 'previewReady'];

/**
 * A million notifications through the embedded store as the bot writes them: each change through
 * NotificationService (the change, its idempotency key, a card job per subscribed channel), each
 * job taken by the outbox's own `due` and marked delivered (one in a hundred given up), under a
 * clock that moves on so that they span many retention periods, with the pruner run hourly on that
 * clock as the bot runs it, at the default retention. What is measured is the file and its WAL;
 * durability is not (synchronous=OFF: a million fsyncs would measure the disk).
 */
export async function retentionRound(dataDir: string, plan: RetentionPlan): Promise<RetentionFigures> {
  const policy: RetentionPolicy = { outboxMs: 30 * DAY_MS, changesMs: 30 * DAY_MS };
  const changes = Math.ceil(plan.notifications / plan.channels);
  const stepMs = (plan.periods * policy.outboxMs) / changes;
  let now = Date.parse('2027-01-01T00:00:00Z');
  const clock = { now: () => new Date(now) };

  const db = openDatabase({ location: dataDir, exclusive: true });
  db.pragma('synchronous = OFF');
  const stores = sqliteStores(db);
  const file = path.join(dataDir, DATABASE_FILE);
  try {
    await stores.seedDemoData(clock.now());
    const { notifications: store } = stores.queueing({ jobsQueued: () => undefined });
    for (let channel = 0; channel < plan.channels; channel++) {
      await store.subscribe({
        conversationKey: `msteams:19:bench-${channel}@thread.tacv2`,
        partnerAccountId: DEMO_PARTNER_ACCOUNT_ID,
        address: JSON.stringify({ conversation: { id: `19:bench-${channel}@thread.tacv2` } }),
        locale: 'en-US',
        tenantId: 'bench-tenant',
        subscribedBy: { userId: 'demo-manager', name: 'Jordan Park' },
        subscribedAt: clock.now(),
      });
    }
    const service = new NotificationService({ store, references: stores.references, partners: stores.partners, clock });
    // How long each batch holds the one thread: what a turn waiting behind it waits.
    let batchMs: number[] = [];
    const timed: Pick<RetentionStore, 'pruneBatch'> = {
      pruneBatch: async (...args) => {
        const started = performance.now();
        const outcome = await stores.retention.pruneBatch(...args);
        batchMs.push(performance.now() - started);
        return outcome;
      },
    };
    const pruner = new Pruner(timed, policy, { now: clock.now });
    const sizeMb = (): number =>
      [file, `${file}-wal`].reduce((sum, name) => sum + (fs.existsSync(name) ? fs.statSync(name).size : 0), 0) / 2 ** 20;
    const rows = (): StoreRows => ({
      outbox: count(db, 'SELECT count(*) AS n FROM outbox'),
      changes: count(db, 'SELECT count(*) AS n FROM certification_changes'),
      freePages: Number(db.pragma('freelist_count', { simple: true })),
    });

    const started = performance.now();
    const startedAt = now;
    let nextPrune = now + PRUNE_INTERVAL_MS;
    let sent = 0;
    let checkpoint: { mb: number; rows: StoreRows } | undefined;
    // Each change moves its offer somewhere else: one that restates where the offer stands is not recorded.
    const standing = new Map<string, string>(DEMO_OFFERS.map((offer) => [offer.id, offer.publishingState]));
    for (let change = 0; change < changes; change++) {
      const offer = DEMO_OFFERS[change % DEMO_OFFERS.length];
      if (!offer) throw new Error('no demo offer');
      const status = [0, 1, 2]
        .map((step) => STATUSES[(change + step) % STATUSES.length])
        .find((candidate) => candidate !== standing.get(offer.id));
      if (!status) throw new Error('no status to move to');
      standing.set(offer.id, status);
      const recorded = await service.recordChange({
        offerId: offer.id,
        status,
        source: 'api',
        idempotency: { key: `release-${change}`, digest: `bench-${change}` },
      });
      if (!recorded.ok || recorded.value.deliveries !== plan.channels) throw new Error(`change ${change} was not recorded`);
      // Sent a second later, as the outbox would under Teams' limits. The marks of one change go in
      // one transaction, which the bot does not do (it commits each), for the bench's time: what the
      // store then holds is the same.
      const at = new Date(now + 1000);
      db.exec('BEGIN');
      for (let due = await stores.outbox.due(at, 64); due.length > 0; due = await stores.outbox.due(at, 64)) {
        for (const job of due) {
          if (++sent % 100 === 0) await stores.outbox.failed(job.id, at, { status: 403, error: 'the bot was removed' });
          else await stores.outbox.delivered(job.id, at);
        }
      }
      db.exec('COMMIT');
      now += stepMs;
      if (now >= nextPrune) {
        await pruner.run();
        nextPrune += PRUNE_INTERVAL_MS * Math.ceil((now - nextPrune + 1) / PRUNE_INTERVAL_MS);
      }
      if (!checkpoint && sent >= plan.checkpoint) checkpoint = { mb: sizeMb(), rows: rows() };
    }
    const end = { mb: sizeMb(), rows: rows() };
    const simulatedDays = (now - startedAt) / DAY_MS;
    const seconds = (performance.now() - started) / 1000;

    const hourly = batchMs;
    // A month to catch up at once, as when retention is shortened: full batches.
    batchMs = [];
    const caughtUp = await new Pruner(timed, { outboxMs: DAY_MS, changesMs: DAY_MS }, { now: clock.now }).run();
    return {
      mbAtCheckpoint: checkpoint?.mb ?? Number.NaN,
      mbAtEnd: end.mb,
      rowsAtCheckpoint: checkpoint?.rows ?? { outbox: 0, changes: 0, freePages: 0 },
      rowsAtEnd: end.rows,
      simulatedDays,
      seconds,
      batches: hourly.length,
      batchP99Ms: quantile(Float64Array.from(hourly), 0.99),
      batchMaxMs: Math.max(...hourly),
      catchUpBatches: batchMs.length,
      catchUpBatchMaxMs: Math.max(...batchMs),
      catchUpRows: caughtUp.outbox + caughtUp.certificationChanges,
    };
  } finally {
    await stores.close();
  }
}

function count(db: ReturnType<typeof openDatabase>, sql: string): number {
  return db.prepare<[], { n: number }>(sql).get()?.n ?? 0;
}

/** A million notifications, the first size after 100,000: three retention periods in, and thirty by the end. */
export const RETENTION_PLAN: RetentionPlan = { notifications: 1_000_000, checkpoint: 100_000, channels: 20, periods: 30 };

/** The figures of the round, as the bench's JSON line names them. */
export function retentionFigures(figures: RetentionFigures) {
  const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
  return {
    store_mb_after_100k_notifications: round(figures.mbAtCheckpoint, 2),
    store_mb_after_1m_notifications: round(figures.mbAtEnd, 2),
    store_mb_1m_vs_100k: round(figures.mbAtEnd / figures.mbAtCheckpoint, 4),
    prune_batch_p99_ms: round(figures.batchP99Ms, 2),
  };
}

/** The round's lines of the bench's table. */
export function retentionRows(figures: RetentionFigures, plan: RetentionPlan): [string, string][] {
  const rows = (at: StoreRows): string =>
    `${at.outbox.toLocaleString('en-US')} jobs, ${at.changes.toLocaleString('en-US')} changes, ${at.freePages} free pages`;
  return [
    [
      'retention, SQLite store',
      `${plan.notifications.toLocaleString('en-US')} notifications to ${plan.channels} channels over ${Math.round(figures.simulatedDays)} days, 30 days kept, pruned hourly`,
    ],
    ['  MiB (file and WAL) after 100,000 / 1,000,000', `${figures.mbAtCheckpoint.toFixed(2)} / ${figures.mbAtEnd.toFixed(2)}`],
    ['  rows after 100,000', rows(figures.rowsAtCheckpoint)],
    ['  rows after 1,000,000', rows(figures.rowsAtEnd)],
    [
      '  prune batches: count, p99 / max ms',
      `${figures.batches.toLocaleString('en-US')}, ${figures.batchP99Ms.toFixed(2)} / ${figures.batchMaxMs.toFixed(2)}`,
    ],
    [
      '  catching up a month: batches, rows, max ms',
      `${figures.catchUpBatches}, ${figures.catchUpRows.toLocaleString('en-US')}, ${figures.catchUpBatchMaxMs.toFixed(2)}`,
    ],
    ['  seconds', figures.seconds.toFixed(1)],
  ];
}
