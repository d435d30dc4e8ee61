import http from 'node:http';

/** One turn: the activity to post, and what must be true of the bot's answer for it to count. */
export interface Turn {
  readonly activity: Readonly<Record<string, unknown>>;
  /** Checks the reply the connector received; a string says what was wrong. */
  readonly check?: () => string | undefined;
}

/** A conversation's turns, one after another: `next` gives the turn after `step` turns. */
export type Script = (conversation: number, step: number) => Turn;

export interface LoadOptions {
  readonly botUrl: string;
  readonly conversations: number;
  readonly script: Script;
  readonly warmupMs: number;
  readonly measureMs: number;
}

export interface LoadResult {
  readonly turns: number;
  readonly seconds: number;
  readonly latenciesMs: Float64Array;
  readonly errors: readonly string[];
}

/**
 * A closed loop: each conversation posts its next turn when the last one was answered, on its own
 * keep-alive connection. Turns answered during the warm-up are not counted.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL('/api/messages', options.botUrl);
  const latencies: number[] = [];
  const errors: string[] = [];
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.measureMs;
  let measuredTurns = 0;

  const conversation = async (index: number): Promise<void> => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let step = 0; performance.now() < end; step++) {
        const turn = options.script(index, step);
        const sentAt = performance.now();
        const problem = await post(url, agent, turn.activity).then(
          (status) => (status === 200 ? turn.check?.() : `HTTP ${status}`),
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        );
        const answeredAt = performance.now();
        if (problem && errors.length < 20) errors.push(`conversation ${index}, turn ${step}: ${problem}`);
        if (sentAt >= measureFrom && answeredAt <= end) {
          measuredTurns++;
          latencies.push(answeredAt - sentAt);
        }
      }
    } finally {
      agent.destroy();
    }
  };

  await Promise.all(Array.from({ length: options.conversations }, (_, index) => conversation(index)));
  return { turns: measuredTurns, seconds: options.measureMs / 1000, latenciesMs: Float64Array.from(latencies), errors };
}

/** Runs `count` scripted conversations to their end, `concurrency` at a time, as fast as the bot answers. */
export async function runEach(
  botUrl: string,
  count: number,
  concurrency: number,
  turnsOf: (conversation: number) => readonly Turn[],
): Promise<{ turns: number; seconds: number; errors: readonly string[] }> {
  const url = new URL('/api/messages', botUrl);
  const errors: string[] = [];
  let next = 0;
  let turns = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let index = next++; index < count; index = next++) {
        for (const turn of turnsOf(index)) {
          const problem = await post(url, agent, turn.activity).then(
            (status) => (status === 200 ? turn.check?.() : `HTTP ${status}`),
            (error: unknown) => (error instanceof Error ? error.message : String(error)),
          );
          turns++;
          if (problem && errors.length < 20) errors.push(`conversation ${index}: ${problem}`);
        }
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { turns, seconds: (performance.now() - started) / 1000, errors };
}

export function post(
  url: URL,
  agent: http.Agent | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<number> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** The value at quantile `q` (0..1) of some numbers. */
export function quantile(values: Float64Array, q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
