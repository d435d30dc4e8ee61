import { randomBytes } from 'node:crypto';
import { PgDatabase } from '../../store/postgres/database';
import { StoreUnavailableError } from '../../store/storeErrors';
import { describeWithPostgres, testDatabaseUrl } from '../support/postgres';
import { TcpProxy } from '../support/tcpProxy';

/**
 * Pooled connections that die while idle, unseen (a fail-over, a network device dropping idle
 * connections, an administrator's cut whose notice has not arrived): reads and transactions go on
 * on new connections, a lone write is not sent twice, and a connection lost mid-transaction fails
 * that transaction only.
 */
describeWithPostgres('PostgreSQL connections lost while idle', () => {
  let proxy: TcpProxy;
  let database: PgDatabase;
  const schema = `test_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    const real = new URL(testDatabaseUrl());
    proxy = await TcpProxy.start({ host: real.hostname, port: Number(real.port || 5432) });
    const url = new URL(real);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    database = await PgDatabase.open({ url: url.toString(), schema, poolSize: 3 });
  });

  afterAll(async () => {
    await database.query(`DROP SCHEMA ${schema} CASCADE`);
    await database.close();
    await proxy.close();
  });

  /** Every connection of the pool made and served once, then all of them dropped without a word. */
  async function servedThenDropped(): Promise<void> {
    await Promise.all([1, 2, 3].map(() => database.transaction((client) => client.query('SELECT pg_sleep(0.02)'))));
    expect(proxy.dropSilently()).toBe(3);
  }

  async function accounts(): Promise<number> {
    const { rows } = await database.query<{ count: number }>('SELECT count(*) AS count FROM partner_accounts');
    return rows[0]?.count ?? -1;
  }

  test('a read is answered from a new connection', async () => {
    await servedThenDropped();
    expect(await accounts()).toBe(0);
  });

  test('a transaction starts again on a new connection, and commits once', async () => {
    await servedThenDropped();
    await database.transaction((client) =>
      client.query('INSERT INTO partner_accounts VALUES ($1, $2, $3, 1, 1)', ['p-once', 'Contoso', '[]']),
    );
    expect(await accounts()).toBe(1);
  });

  test('a lone write on a dropped connection fails as unavailable and is not sent again', async () => {
    await servedThenDropped();
    await expect(
      database.query('INSERT INTO partner_accounts VALUES ($1, $2, $3, 1, 1)', ['p-never', 'Fabrikam', '[]']),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await accounts()).toBe(1);
  });

  test('a connection lost inside a transaction fails that transaction, and the process goes on', async () => {
    await expect(
      database.transaction(async (client) => {
        await client.query('SELECT 1');
        proxy.interrupt();
        proxy.restore();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await client.query('INSERT INTO partner_accounts VALUES ($1, $2, $3, 1, 1)', ['p-lost', 'Litware', '[]']);
      }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await accounts()).toBe(1);
  });
});
