import fs from 'node:fs';
import { MIGRATION_STATUSES } from '../../domain/model';
import { LIST_ORDER } from '../../domain/status';
import { DEMO_OFFERS, DEMO_SOLUTIONS } from '../../store/demo/demoData';
import { demoSeed } from '../../store/demo/seedDemoData';
import { seedDemoData } from '../../store/sqlite/sqliteSeed';
import { applyMigrations, openDatabase } from '../../store/sqlite/database';
import { MIGRATIONS } from '../../store/sqlite/migrations';
import { SqliteNotificationStore } from '../../store/sqlite/sqliteNotificationStore';
import { temporaryDataDir } from '../support/testApp';
import { TEST_NOW } from '../support/dialogHarness';

describe('the SQLite schema', () => {
  test('ranks statuses in the domain list order', () => {
    const db = openDatabase({ location: ':memory:' });
    seedDemoData(db, TEST_NOW);
    const ranks = db
      .prepare<[], { status: string; rank: number }>('SELECT DISTINCT status, list_rank AS rank FROM solutions')
      .all();
    expect(ranks).toHaveLength(MIGRATION_STATUSES.length);
    for (const { status, rank } of ranks) expect(LIST_ORDER.findIndex((ordered) => ordered === status)).toBe(rank);
    db.close();
  });

  test('applies each migration once, however often the store is opened', () => {
    const db = openDatabase({ location: ':memory:' });
    expect(applyMigrations(db, MIGRATIONS)).toEqual([]);
    const versions = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all();
    expect(versions.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
    db.close();
  });

  test('a failing migration leaves no part of itself behind', () => {
    const db = openDatabase({ location: ':memory:' });
    const broken = { version: 999, name: 'broken', sql: 'CREATE TABLE half_done (x INTEGER); SELECT * FROM no_such_table;' };
    expect(() => applyMigrations(db, [...MIGRATIONS, broken])).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  test('demo data loads once, keeps what was changed, and survives closing the file', () => {
    const dir = temporaryDataDir();
    const first = openDatabase({ location: dir });
    expect(seedDemoData(first, TEST_NOW)).toBe(true);
    first.prepare("UPDATE solutions SET status = 'discarded' WHERE id = ?").run(DEMO_SOLUTIONS[0]!.id);
    first.close();
    const second = openDatabase({ location: dir });
    expect(seedDemoData(second, TEST_NOW)).toBe(false);
    expect(second.prepare('SELECT status FROM solutions WHERE id = ?').get(DEMO_SOLUTIONS[0]!.id)).toEqual({
      status: 'discarded',
    });
    const counts = second.prepare<[], { n: number }>('SELECT sum(n) AS n FROM solution_status_counts').get();
    expect(counts?.n).toBe(DEMO_SOLUTIONS.length);
    second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the demo data covers what the contract promises', () => {
    const statuses = new Set(DEMO_SOLUTIONS.map((solution) => solution.status));
    expect(DEMO_SOLUTIONS.length).toBeGreaterThanOrEqual(12);
    expect([...statuses].sort()).toEqual([...MIGRATION_STATUSES].sort());
    expect(DEMO_SOLUTIONS.filter((solution) => solution.status === 'pendingAction').length).toBeGreaterThanOrEqual(8);
    const live = DEMO_OFFERS.filter((offer) => offer.publishingState === 'live');
    expect(live.length).toBeGreaterThanOrEqual(5);
    expect(new Set(live.map((offer) => offer.type)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(live.map((offer) => offer.storefront))).toEqual(new Set(['appSource', 'azureMarketplace']));
    expect(DEMO_OFFERS.some((offer) => offer.publishingState === 'inCertification')).toBe(true);
    expect(live.every((offer) => offer.listingUrl?.startsWith('https://'))).toBe(true);
  });

  test('version 9 scopes the keys stored before it by source, and keeps them working without a digest', async () => {
    const db = openDatabase({ location: ':memory:', migrations: MIGRATIONS.filter((migration) => migration.version < 9) });
    // The demo partner and its offers as a store of that time holds them: solutions have grown columns since.
    for (const { table, columns, rows } of demoSeed(TEST_NOW).filter((seed) =>
      ['partner_accounts', 'offers'].includes(seed.table),
    )) {
      const insert = db.prepare(
        `INSERT INTO ${table} (${columns}) VALUES (${columns
          .split(',')
          .map(() => '?')
          .join(', ')})`,
      );
      for (const row of rows) insert.run(...row);
    }
    db.prepare(
      `INSERT INTO certification_changes (partner_account_id, offer_id, status, detail, source, idempotency_key, received_at)
       VALUES ('demo-contoso', 'contoso.energy-analytics', 'live', 'Go live', 'api', 'release-1', 0)`,
    ).run();
    expect(applyMigrations(db, MIGRATIONS).filter((version) => version === 9)).toEqual([9]);
    expect(db.prepare('SELECT idempotency_key, idempotency_digest FROM certification_changes').get()).toEqual({
      idempotency_key: 'api:release-1',
      idempotency_digest: null,
    });

    const store = new SqliteNotificationStore(db, { jobsQueued: () => undefined });
    const given = {
      partnerAccountId: 'demo-contoso',
      offerId: 'contoso.energy-analytics',
      status: 'live',
      detail: 'Go live',
      source: 'api',
      receivedAt: TEST_NOW,
      idempotencyKey: 'api:release-1',
      idempotencyDigest: 'sha256:new',
    } as const;
    expect(await store.recordChange(given, () => [])).toMatchObject({ kind: 'repeated' });
    expect(await store.recordChange({ ...given, status: 'certificationFailed' }, () => [])).toMatchObject({ kind: 'conflict' });
    expect(db.prepare('SELECT count(*) AS n FROM certification_changes').get()).toEqual({ n: 1 });
    db.close();
  });
});
