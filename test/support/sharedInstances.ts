import { PgDatabase } from '../../store/postgres/database';
import { pgStores, type PgStores } from '../../store/postgres/pgStores';
import { TestSchema, testDatabaseUrl } from './postgres';

export interface SharedInstances {
  /** This test's schema. */
  readonly schema: TestSchema;
  /** An instance's id: unique on the server, which other test files share. */
  instanceId(name: string): string;
  /** Another instance of the bot on the schema. */
  instance(name: string, listenRetryMs?: { readonly first: number; readonly max: number }): Promise<PgStores>;
}

/**
 * Instances of the bot on one schema, for each test of the describe block that calls this: each on
 * a pool of its own, as separate processes would be (the first on the schema's); all closed, and the
 * schema dropped, after the test.
 */
export function instancesOnOneSchema(now: () => Date): SharedInstances {
  let schema: TestSchema | undefined;
  let instances: PgStores[] = [];
  beforeEach(async () => {
    schema = await TestSchema.create();
    instances = [];
  });
  afterEach(async () => {
    const [first, ...others] = instances;
    for (const other of others) await other.close();
    // The first instance's pool is the schema's: closed with the drop.
    await schema?.drop(first ? () => first.close() : undefined);
    schema = undefined;
  });
  const current = (): TestSchema => {
    if (!schema) throw new Error('instancesOnOneSchema is for use inside a test');
    return schema;
  };
  const instanceId = (name: string): string => `${name}-${current().name}`;
  return {
    get schema() {
      return current();
    },
    instanceId,
    instance: async (name, listenRetryMs = { first: 50, max: 50 }) => {
      const { db, name: schemaName } = current();
      const pool =
        instances.length === 0 ? db : await PgDatabase.open({ url: testDatabaseUrl(), schema: schemaName, poolSize: 2 });
      const stores = await pgStores(pool, { instanceId: instanceId(name), leaseMs: 60_000, now, listenRetryMs });
      instances.push(stores);
      return stores;
    },
  };
}
