import type { WorkGate } from '../../domain/leaseGate';
import { PeriodicRun, type PeriodicRunOptions } from '../../domain/periodicRun';

/** Work that runs until the test lets it finish. */
class HeldWork {
  runs = 0;
  /** What the last run was given to end early on. */
  signal: AbortSignal | undefined;
  private finish: (() => void) | undefined;
  private fail: ((error: Error) => void) | undefined;

  readonly work = (signal: AbortSignal): Promise<void> => {
    this.runs++;
    this.signal = signal;
    return new Promise<void>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
  };

  done(): void {
    this.finish?.();
  }

  throws(message: string): void {
    this.fail?.(new Error(message));
  }
}

/** A gate another instance may hold; counts how often this one let it go. */
class Gate implements WorkGate {
  releases = 0;
  constructor(public holds: boolean) {}
  async held(): Promise<boolean> {
    return this.holds;
  }
  async release(): Promise<void> {
    this.releases++;
  }
}

const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('a periodic run', () => {
  let errors: { fields: Readonly<Record<string, unknown>>; message: string }[];
  let runners: PeriodicRun[];
  const runner = (work: (signal: AbortSignal) => Promise<unknown>, options: Partial<PeriodicRunOptions> = {}): PeriodicRun => {
    const made = new PeriodicRun(work, {
      name: 'test work',
      intervalMs: 60_000,
      log: { error: (fields, message) => errors.push({ fields, message }) },
      ...options,
    });
    runners.push(made);
    return made;
  };
  beforeEach(() => {
    errors = [];
    runners = [];
  });
  afterEach(async () => {
    jest.useRealTimers();
    for (const made of runners) await made.stop();
  });

  test('runs one at a time: a tick while a run is under way is that run, not another', async () => {
    const held = new HeldWork();
    const periodic = runner(held.work);
    const first = periodic.tick();
    const second = periodic.tick();
    expect(second).toBe(first);
    await settled();
    expect(held.runs).toBe(1);
    held.done();
    await first;
    const third = periodic.tick();
    await settled();
    expect(held.runs).toBe(2);
    held.done();
    await third;
  });

  test('stop asks the run under way to end, waits for it, lets the gate go, and runs nothing after', async () => {
    const held = new HeldWork();
    const gate = new Gate(true);
    const periodic = runner(held.work, { gate });
    void periodic.tick();
    await settled();
    let stopped = false;
    const stopping = periodic.stop().then(() => (stopped = true));
    await settled();
    expect({ stopped, releases: gate.releases, asked: held.signal?.aborted }).toEqual({
      stopped: false,
      releases: 0,
      asked: true,
    });
    held.done();
    await stopping;
    expect(gate.releases).toBe(1);
    await periodic.tick();
    expect(held.runs).toBe(1);
  });

  test('a run that throws is logged, not thrown, and the next tick runs again', async () => {
    const held = new HeldWork();
    const periodic = runner(held.work);
    const failing = periodic.tick();
    await settled();
    held.throws('store gone');
    await expect(failing).resolves.toBeUndefined();
    expect(errors).toEqual([
      { fields: { err: new Error('store gone') }, message: 'test work failed; it runs again at its next tick' },
    ]);
    const next = periodic.tick();
    await settled();
    expect(held.runs).toBe(2);
    held.done();
    await next;
  });

  test.each<[string, boolean, number]>([
    ['runs where this instance holds the gate', true, 1],
    ['does not run where another instance holds it', false, 0],
  ])('%s', async (_label, holds, runs) => {
    let ran = 0;
    const periodic = runner(async () => void ran++, { gate: new Gate(holds) });
    await periodic.tick();
    expect(ran).toBe(runs);
  });

  test.each<[string, boolean, number[]]>([
    ['without a run at start, first after an interval', false, [0, 1, 2]],
    ['with a run at start, then every interval', true, [1, 2, 3]],
  ])('started: %s', async (_label, atStart, expected) => {
    jest.useFakeTimers();
    let ran = 0;
    const periodic = runner(async () => void ran++, { intervalMs: 1000, atStart });
    periodic.start();
    const seen: number[] = [];
    for (let interval = 0; interval < 3; interval++) {
      await jest.advanceTimersByTimeAsync(interval === 0 ? 0 : 1000);
      seen.push(ran);
    }
    expect(seen).toEqual(expected);
  });
});
