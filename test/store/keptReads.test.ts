import type { UserIdentity } from '../../domain/model';
import { pgStores, type PgStores } from '../../store/postgres/pgStores';
import { describeWithPostgres, TestSchema } from '../support/postgres';
import { instancesOnOneSchema } from '../support/sharedInstances';

const T0 = new Date('2026-11-21T09:00:00Z');
const MANAGER: UserIdentity = { userId: 'demo-manager' };
const USER_KEY = 'emulator:demo-manager';

/** Polls until `check` holds, or fails saying what was last seen. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, withinMs = 3000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)} after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Several instances on one schema keep members, accounts and languages in memory (pgStores.ts):
 * a change made by another instance, an import or an operator's SQL reaches every instance through
 * the store's announcements, and an instance that cannot hear them reads from the store every time.
 */
describeWithPostgres('what instances keep of the shared store', () => {
  const shared = instancesOnOneSchema(() => T0);
  const { instance, instanceId } = shared;
  const listenerName = (name: string): string => `ocp-gtm-migration-bot changes ${instanceId(name)}`;

  /** Ends the instance's listening connection, as a network cut or a server restart would. */
  const cutListener = async (name: string): Promise<void> => {
    const { rows } = await shared.schema.db.query<{ ended: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1',
      [listenerName(name)],
    );
    expect(rows).toEqual([{ ended: true }]);
  };

  const role = async (stores: PgStores): Promise<string | undefined> => (await stores.partners.findMember(MANAGER))?.role;

  test.each([
    [
      'a language set on one instance',
      async (a: PgStores) => a.preferences.setLanguage(USER_KEY, 'ko', T0),
      (b: PgStores) => b.preferences.language(USER_KEY),
      'ko',
    ],
    [
      "a channel's language set on one instance",
      async (a: PgStores) => a.conversationPreferences.setLanguage('msteams:19:general', 'ko', T0),
      (b: PgStores) => b.conversationPreferences.language('msteams:19:general'),
      'ko',
    ],
    [
      "a member's role changed by an operator's SQL",
      async () => void (await shared.schema.db.query("UPDATE members SET role = 'marketer' WHERE user_id = 'demo-manager'")),
      (b: PgStores) => role(b),
      'marketer',
    ],
    [
      "an account's name changed by an operator's SQL",
      async () =>
        void (await shared.schema.db.query("UPDATE partner_accounts SET name = 'Contoso Ltd' WHERE id = 'demo-contoso'")),
      async (b: PgStores) => (await b.partners.getAccount('demo-contoso'))?.name,
      'Contoso Ltd',
    ],
  ])('%s reaches the other instance, which had kept the old value', async (_label, change, read, expected) => {
    const a = await instance('a');
    const b = await instance('b');
    await a.seedDemoData(T0);
    const before = await read(b);
    expect(before).not.toBe(expected);
    await change(a);
    expect(
      await eventually(
        () => read(b),
        (value) => value === expected,
      ),
    ).toBe(expected);
  });

  test('the instance that sets a language answers in it at once, without waiting for the announcement', async () => {
    const a = await instance('a');
    expect(await a.preferences.language(USER_KEY)).toBeUndefined();
    await a.preferences.setLanguage(USER_KEY, 'ko', T0);
    expect(await a.preferences.language(USER_KEY)).toBe('ko');
  });

  test('somebody not registered yet, then added around the bot, is found', async () => {
    const a = await instance('a');
    const b = await instance('b');
    await a.seedDemoData(T0);
    const newcomer: UserIdentity = { userId: 'newcomer' };
    expect(await b.partners.findMember(newcomer)).toBeUndefined();
    await shared.schema.db.query(
      `INSERT INTO members (user_id, partner_account_id, display_name, role) VALUES ('newcomer', 'demo-contoso', 'New Comer', 'manager')`,
    );
    const found = await eventually(
      () => b.partners.findMember(newcomer),
      (member) => member !== undefined,
    );
    expect(found).toMatchObject({ userId: 'newcomer', role: 'manager' });
  });

  test("another schema's changes are not taken for this one's", async () => {
    const a = await instance('a');
    await a.seedDemoData(T0);
    const other = await TestSchema.create();
    const elsewhere = await pgStores(other.db, { instanceId: 'elsewhere', leaseMs: 60_000, now: () => T0 });
    try {
      await elsewhere.seedDemoData(T0);
      expect(await role(a)).toBe('manager');
      // A change in the other schema only, which this instance must not hear as its own...
      await other.db.query("UPDATE members SET role = 'marketer' WHERE user_id = 'demo-manager'");
      // ...and one of its own in this schema, which shows that the announcements before it were heard.
      await shared.schema.db.query("UPDATE partner_accounts SET name = 'Contoso Ltd' WHERE id = 'demo-contoso'");
      await eventually(
        async () => (await a.partners.getAccount('demo-contoso'))?.name,
        (name) => name === 'Contoso Ltd',
      );
      expect(await role(a)).toBe('manager');
    } finally {
      await other.drop(() => elsewhere.close());
    }
  });

  test('an instance that lost its listener reads from the store every time, and keeps again once it listens', async () => {
    const a = await instance('a', { first: 60_000, max: 60_000 });
    await a.seedDemoData(T0);
    expect(await role(a)).toBe('manager');
    await cutListener('a');
    // Not listening, and not about to (the retry is a minute away): a change nobody announces to it
    // shows once it knows the listener is gone...
    await shared.schema.db.query("UPDATE members SET role = 'marketer' WHERE user_id = 'demo-manager'");
    expect(
      await eventually(
        () => role(a),
        (value) => value === 'marketer',
      ),
    ).toBe('marketer');
    // ...and from then on at the very next read.
    await shared.schema.db.query("UPDATE members SET role = 'developer' WHERE user_id = 'demo-manager'");
    expect(await role(a)).toBe('developer');
  });

  test('listening again after a cut, changes reach it as before', async () => {
    const a = await instance('a');
    await a.seedDemoData(T0);
    expect(await role(a)).toBe('manager');
    await cutListener('a');
    // Listening again within the retry (50 ms here): the listener is back under its name.
    await eventually(
      async () =>
        (
          await shared.schema.db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
            [listenerName('a')],
          )
        ).rows[0]?.n,
      (n) => n === 1,
    );
    expect(await role(a)).toBe('manager');
    await shared.schema.db.query("UPDATE members SET role = 'developer' WHERE user_id = 'demo-manager'");
    expect(
      await eventually(
        () => role(a),
        (value) => value === 'developer',
      ),
    ).toBe('developer');
  });
});
