import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  FAN_OUT_NOTIFY_TOKEN,
  fanOutCards,
  fanOutChannels,
  fanOutOfferRows,
  fanOutOutcome,
  postChanges,
  subscribeChannels,
  type FanOutOutcome,
} from '../test/support/fanOut';
import type { LoopbackConnector } from '../test/support/loopbackConnector';
import { BotProcess } from './processes';

/** The database the bench's PostgreSQL round uses; read here, as the bench's own knob, not a bot setting. */
export function benchDatabaseUrl(): string {
  // eslint-disable-next-line no-restricted-properties -- the bench's database, not a bot setting
  return process.env.BENCH_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
}

/** A schema of the bench's own on the database, dropped afterwards. */
export class BenchSchema {
  private constructor(
    private readonly client: pg.Client,
    readonly name: string,
  ) {}

  /** Connects, or says why the database cannot be used. */
  static async create(url: string): Promise<BenchSchema | { readonly unavailable: string }> {
    const address = new URL(url);
    if (address.username === '') address.username = os.userInfo().username;
    const client = new pg.Client({ connectionString: address.toString(), connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
    } catch (error: unknown) {
      await client.end().catch(() => undefined);
      return { unavailable: error instanceof Error ? error.message : String(error) };
    }
    const name = `bench_${randomBytes(5).toString('hex')}`;
    await client.query(`CREATE SCHEMA ${name}`);
    return new BenchSchema(client, name);
  }

  settings(url: string): Record<string, string> {
    return { DATABASE_URL: url, DATABASE_SCHEMA: this.name };
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<void> {
    await this.client.query(`SET search_path TO ${this.name}`);
    await this.client.query(sql, [...params]);
  }

  async drop(): Promise<void> {
    await this.client.query(`DROP SCHEMA ${this.name} CASCADE`);
    await this.client.end();
  }
}

export interface TwoInstanceFanOut extends FanOutOutcome {
  readonly throttled: number;
  /** What Teams allows the channels' tenants together, messages a second. */
  readonly limit: number;
}

const TENANT_RATE = 50;

/**
 * Two instances on one schema, each given half the subscriptions and half the changes: 100 channels
 * in `tenants` tenants, `changes` cards each, against a connector that enforces Teams' limits.
 */
export async function twoInstanceFanOut(
  workDir: string,
  url: string,
  connector: LoopbackConnector,
  plan: { readonly channels: number; readonly tenants: number; readonly changes: number; readonly deadlineMs: number },
  errors: string[],
): Promise<TwoInstanceFanOut> {
  const schema = await BenchSchema.create(url);
  if ('unavailable' in schema) throw new Error(`PostgreSQL went away: ${schema.unavailable}`);
  const settings = { ...schema.settings(url), NOTIFY_TOKEN: FAN_OUT_NOTIFY_TOKEN };
  const bots: BotProcess[] = [];
  try {
    for (const index of [0, 1]) bots.push(await BotProcess.migrationBot(path.join(workDir, `pg-fan-out-${index}`), settings));
    for (const { sql, params } of fanOutOfferRows(plan.changes)) await schema.query(sql, params);
    const channels = fanOutChannels(plan.channels, plan.tenants);
    const halves = [0, 1].map((half) => channels.filter((_, index) => index % 2 === half));
    for (const [index, bot] of bots.entries()) {
      const failed = await subscribeChannels(bot.url, connector, halves[index] ?? []);
      errors.push(...failed.map((channel) => `${channel} was not subscribed`));
    }

    connector.teamsLimits = true;
    connector.throttled = 0;
    connector.keepAll = true;
    const mark = connector.deliveries.length;
    // Each change to the instance its turn falls to, as a load balancer spreads them.
    for (let change = 0; change < plan.changes; change++) {
      const bot = bots[change % 2];
      if (!bot) continue;
      const [status] = await postChanges(bot.url, 1, change);
      if (status !== 202) errors.push(`certification change ${change}: HTTP ${status}`);
    }
    const deadline = Date.now() + plan.deadlineMs;
    while (Date.now() < deadline && fanOutCards(connector.since(mark)) < plan.channels * plan.changes) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Anything sent twice shows up shortly after the last message; give it that time.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const outcome = fanOutOutcome(connector.since(mark), channels, plan.changes);
    if (outcome.outOfOrder.length > 0) errors.push(`${outcome.outOfOrder.length} channels got their cards out of order`);
    const throttled = connector.throttled;
    connector.keepAll = false;
    connector.deliveries.length = 0;
    connector.teamsLimits = false;
    return { ...outcome, throttled, limit: plan.tenants * TENANT_RATE };
  } finally {
    for (const bot of bots) await bot.stop();
    await schema.drop();
  }
}
