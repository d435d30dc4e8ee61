import { addressOf } from '../../delivery/conversationAddress';
import { ConnectorSender } from '../../delivery/connectorSender';
import { OutboxDispatcher } from '../../delivery/outboxDispatcher';
import type { JobHandlers, SendOutcome } from '../../domain/ports/outbox';
import { Pacer } from '../../delivery/pacer';
import { openDatabase, type SqliteDatabase } from '../../store/sqlite/database';
import { SqliteOutbox } from '../../store/sqlite/sqliteOutbox';
import { LoopbackConnector } from '../support/loopbackConnector';
import { settle } from '../support/waitFor';

/**
 * The outbox, the REST sender and the pacer against a connector that throttles exactly as Teams
 * does: what a real burst of notifications meets.
 */
describe('sending to Teams conversations through the outbox', () => {
  let db: SqliteDatabase;
  let connector: LoopbackConnector;
  const logged: { level: string; fields: Record<string, unknown> }[] = [];
  const log = {
    info: () => undefined,
    warn: (fields: Readonly<Record<string, unknown>>) => void logged.push({ level: 'warn', fields: { ...fields } }),
    error: (fields: Readonly<Record<string, unknown>>) => void logged.push({ level: 'error', fields: { ...fields } }),
  };

  beforeEach(async () => {
    db = openDatabase({ location: ':memory:' });
    connector = await LoopbackConnector.start({ teamsLimits: true });
    logged.length = 0;
  });
  afterEach(async () => {
    db.close();
    await connector.close();
  });

  function queue(conversation: string, sequence: number): void {
    db.prepare(
      `INSERT INTO outbox (kind, dedupe_key, ordering_key, payload, pace_conversation, pace_tenant, next_attempt_at, created_at)
       VALUES ('certificationCard', ?, ?, ?, ?, 'tenant-1', 0, 0)`,
    ).run(
      `${conversation}:${sequence}`,
      `conversation:${conversation}`,
      JSON.stringify({ changeId: sequence, conversationKey: conversation }),
      conversation,
    );
  }

  function dispatcher(options: { paced: boolean; maxAttempts?: number }): OutboxDispatcher {
    return new OutboxDispatcher({
      queue: new SqliteOutbox(db),
      log,
      concurrency: 8,
      ...(options.paced && { pacer: new Pacer() }),
      retry: { maxAttempts: options.maxAttempts ?? 10, baseDelayMs: 100, maxDelayMs: 2000 },
    });
  }

  const sender = new ConnectorSender();
  const notSent = async (): Promise<SendOutcome> => ({ ok: false, status: 400, error: 'not in this test' });
  /** Each certification card job posts its change number to its conversation. */
  const handlers: JobHandlers = {
    certificationCard: (job) =>
      sender.send(
        addressOf({
          serviceUrl: connector.url,
          channelId: 'msteams',
          conversation: { id: job.payload.conversationKey, tenantId: 'tenant-1' },
        }),
        { text: `change ${job.payload.changeId}` },
      ),
    offerLiveNotice: notSent,
    supportRequest: notSent,
    requesterNotice: notSent,
  };

  async function drain(target: OutboxDispatcher, until: () => boolean, timeoutMs: number): Promise<void> {
    target.start(handlers);
    await settle(until, timeoutMs);
    await target.stop();
  }

  const sent = (): { conversation: string; text: string }[] =>
    connector.deliveries.map((delivery) => ({ conversation: delivery.conversationId, text: String(delivery.activity.text) }));

  test('a burst to 20 conversations arrives whole, once each, in order, without a single 429', async () => {
    const conversations = Array.from({ length: 20 }, (_, i) => `19:channel-${i}@thread.tacv2`);
    for (let sequence = 1; sequence <= 10; sequence++) for (const conversation of conversations) queue(conversation, sequence);
    await drain(dispatcher({ paced: true }), () => connector.deliveries.length >= 200, 20_000);

    expect(connector.throttled).toBe(0);
    expect(sent()).toHaveLength(200);
    expect(new Set(sent().map((message) => `${message.conversation}|${message.text}`)).size).toBe(200);
    for (const conversation of conversations) {
      expect(
        sent()
          .filter((message) => message.conversation === conversation)
          .map((message) => message.text),
      ).toEqual(Array.from({ length: 10 }, (_, i) => `change ${i + 1}`));
    }
    expect(db.prepare("SELECT count(*) AS n FROM outbox WHERE state = 'delivered'").get()).toEqual({ n: 200 });
  });

  test('unpaced, the same burst bounces off the limits; the outbox still delivers every message once', async () => {
    const conversations = Array.from({ length: 5 }, (_, i) => `19:busy-${i}@thread.tacv2`);
    for (let sequence = 1; sequence <= 10; sequence++) for (const conversation of conversations) queue(conversation, sequence);
    await drain(dispatcher({ paced: false }), () => connector.deliveries.length >= 50, 20_000);
    expect(connector.throttled).toBeGreaterThan(0);
    expect(new Set(sent().map((message) => `${message.conversation}|${message.text}`)).size).toBe(50);
    expect(sent()).toHaveLength(50);
  });

  test('three 429s in a row still end in exactly one message', async () => {
    connector.failNext('19:a@thread.tacv2', [429, 429, 429]);
    queue('19:a@thread.tacv2', 1);
    await drain(dispatcher({ paced: true }), () => connector.deliveries.length >= 1, 10_000);
    expect(sent()).toEqual([{ conversation: '19:a@thread.tacv2', text: 'change 1' }]);
    expect(db.prepare('SELECT state, attempts FROM outbox').get()).toEqual({ state: 'delivered', attempts: 4 });
  });

  test.each([412, 502, 503, 504])('a %i is retried', async (status) => {
    connector.failNext('19:a@thread.tacv2', [status]);
    queue('19:a@thread.tacv2', 1);
    await drain(dispatcher({ paced: true }), () => connector.deliveries.length >= 1, 10_000);
    expect(sent()).toHaveLength(1);
  });

  test('after the last attempt a job fails, logged with the status and Retry-After it got', async () => {
    connector.failNext('19:a@thread.tacv2', [429, 429, 429]);
    queue('19:a@thread.tacv2', 1);
    await drain(dispatcher({ paced: true, maxAttempts: 3 }), () => logged.some((entry) => entry.level === 'error'), 10_000);
    expect(sent()).toEqual([]);
    expect(db.prepare('SELECT state, attempts, last_status FROM outbox').get()).toEqual({
      state: 'failed',
      attempts: 3,
      last_status: 429,
    });
    expect(logged.find((entry) => entry.level === 'error')?.fields).toMatchObject({
      status: 429,
      retryAfterMs: 1000,
      attempt: 3,
    });
  });
});
