import { OutboxDispatcher } from '../../delivery/outboxDispatcher';
import { Pacer } from '../../delivery/pacer';
import type { JobHandlers, QueuedJob, SendOutcome } from '../../domain/ports/outbox';
import { PgOutbox } from '../../store/postgres/pgOutbox';
import { describeWithPostgres, TestSchema } from '../support/postgres';
import { TeamsLimits } from '../support/teamsLimits';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const TENANT = 't1';

/**
 * Two instances' senders on one PostgreSQL outbox, on the real clock, sending to a connector that
 * refuses what is over Teams' windows: a tenant that passes from one to the other and back.
 */
describeWithPostgres('pacing a tenant that moves between instances', () => {
  let schema: TestSchema;
  let connector: TeamsLimits;
  let refused: string[];
  let conversations: number;
  beforeEach(async () => {
    schema = await TestSchema.create();
    connector = new TeamsLimits();
    refused = [];
    conversations = 0;
  });
  afterEach(() => schema.drop());

  function send(job: QueuedJob): Promise<SendOutcome> {
    const pacing = job.pacing;
    if (!pacing) return Promise.resolve({ ok: false, error: 'not paced' });
    const waitMs = connector.admit(pacing.conversation, pacing.tenant ?? 'none', Date.now());
    if (waitMs === 0) return Promise.resolve({ ok: true });
    refused.push(pacing.conversation);
    return Promise.resolve({ ok: false, status: 429, error: 'throttled', retryAfterMs: waitMs });
  }
  const handlers: JobHandlers = { supportRequest: send, requesterNotice: send, certificationCard: send, offerLiveNotice: send };

  function instance(holder: string): OutboxDispatcher {
    const queue = new PgOutbox(schema.db, { holder, leaseMs: 30_000 });
    return new OutboxDispatcher({ queue, log: silent, pacer: new Pacer(), concurrency: 8 });
  }

  /** One card to each of `count` new conversations of the tenant, so that only the tenant's window binds. */
  async function queueCards(count: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      const conversation = `c${conversations++}`;
      await schema.db.query(
        `INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, pace_conversation, pace_tenant, next_attempt_at, created_at)
         VALUES ('certificationCard', $1, $1, $2, $1, $3, $4, $4)`,
        [conversation, JSON.stringify({ changeId: 1, conversationKey: conversation }), TENANT, Date.now()],
      );
    }
  }

  /** One instance sends what it can now, then stops, so that no timer of its own sends later. */
  async function sweep(dispatcher: OutboxDispatcher): Promise<void> {
    dispatcher.start(handlers);
    await dispatcher.idle();
    await dispatcher.stop();
  }

  test('an instance that takes a tenant back counts what the other sent there meanwhile', async () => {
    const [a, b] = [instance('a'), instance('b')];
    try {
      // a sends under the tenant, then lets it go: it has nothing left there.
      await queueCards(1);
      await sweep(a);
      // b takes it and sends the tenant's whole second, then lets it go too.
      await queueCards(49);
      await sweep(b);
      // a takes it back within that second: what it remembers of the tenant is from before b.
      await queueCards(5);
      await sweep(a);
      expect(refused).toEqual([]);
      const { rows } = await schema.db.query<{ sender: string; n: number }>(
        "SELECT claimed_by AS sender, count(*) AS n FROM outbox WHERE state = 'delivered' GROUP BY claimed_by ORDER BY claimed_by",
      );
      expect(rows).toEqual([
        { sender: 'a', n: 6 },
        { sender: 'b', n: 49 },
      ]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
