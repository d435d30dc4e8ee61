import { TEST_NOW } from '../support/dialogHarness';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

interface Count {
  partner_account_id: string;
  status: string;
  n: number;
}

/** The counters the list turn reads, beside what counting the solutions themselves gives. */
async function countsOf(stores: TestStores): Promise<{ kept: Count[]; counted: Count[] }> {
  const kept = await stores.sql<Count>(
    'SELECT partner_account_id, status, n FROM solution_status_counts WHERE n <> 0 ORDER BY partner_account_id, status',
  );
  const counted = await stores.sql<Count>(
    'SELECT partner_account_id, status, count(*) AS n FROM solutions GROUP BY partner_account_id, status ORDER BY partner_account_id, status',
  );
  const numbers = (rows: Count[]) => rows.map((row) => ({ ...row, n: Number(row.n) }));
  return { kept: numbers(kept), counted: numbers(counted) };
}

describeEachStore('status counters', (kind) => {
  let stores: TestStores;
  beforeEach(async () => (stores = await openTestStores(kind, { seed: TEST_NOW })));
  afterEach(() => stores.close());

  test.each<[string, string[]]>([
    ['as seeded', []],
    ['after one solution moves', ["UPDATE solutions SET status = 'discarded' WHERE id = (SELECT min(id) FROM solutions)"]],
    ['after an update that moves nothing', ['UPDATE solutions SET name = name || ?, version = version + 1']],
    [
      'after one statement swaps two statuses',
      [
        `UPDATE solutions SET status = CASE status WHEN 'pendingAction' THEN 'merged' WHEN 'merged' THEN 'pendingAction' ELSE status END`,
      ],
    ],
    ['after every solution moves at once', ["UPDATE solutions SET status = 'discarded'"]],
    [
      'after rows come and go',
      [
        `INSERT INTO solutions (id, partner_account_id, partner_id, name, co_sell_status, open_referrals, collateral_documents,
           status, status_changed_at)
         SELECT id || '-copy', partner_account_id, partner_id, name, co_sell_status, open_referrals, collateral_documents,
           status, status_changed_at FROM solutions`,
        "DELETE FROM solutions WHERE id LIKE '%-copy' AND status = 'pendingAction'",
      ],
    ],
  ])('match the solutions %s', async (_label, statements) => {
    for (const statement of statements) {
      await (statement.includes('?') ? stores.sql(statement, ' (renamed)') : stores.sql(statement));
    }
    const { kept, counted } = await countsOf(stores);
    expect(counted.length).toBeGreaterThan(0);
    expect(kept).toEqual(counted);
  });
});
