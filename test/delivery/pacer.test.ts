import { Pacer } from '../../delivery/pacer';

const chat = { conversation: 'c1', tenant: 't1' };

/** Sends as fast as the pacer allows from `start`, returning the time of each send. */
function schedule(pacer: Pacer, count: number, pacing = chat, start = 0): number[] {
  const times: number[] = [];
  let now = start;
  while (times.length < count) {
    const wait = pacer.delay(pacing, now);
    if (wait > 0) {
      now += wait;
      continue;
    }
    pacer.leaving(pacing);
    pacer.answered(pacing, now);
    times.push(now);
  }
  return times;
}

function most(times: readonly number[], windowMs: number): number {
  return Math.max(...times.map((start) => times.filter((at) => at >= start && at < start + windowMs).length));
}

describe('Pacer', () => {
  test('one conversation: never more than 7 in 1 s, 8 in 2 s, 60 in 30 s', () => {
    const times = schedule(new Pacer({ marginMs: 0 }), 200);
    expect(most(times, 1000)).toBeLessThanOrEqual(7);
    expect(most(times, 2000)).toBeLessThanOrEqual(8);
    expect(most(times, 30_000)).toBeLessThanOrEqual(60);
    // 60 in the first 30 s, then 60 more in each next 30 s: the 30 s window governs.
    expect(times[59]).toBeLessThan(30_000);
    expect(times[60]).toBeGreaterThanOrEqual(30_000);
  });

  test('the hourly window: at most 1,800 in any hour', () => {
    const pacer = new Pacer({ marginMs: 0 });
    const times = schedule(pacer, 1801);
    expect(times[1800]! - times[0]!).toBeGreaterThanOrEqual(3_600_000);
  });

  test('a tenant: at most 50 in 1 s across its conversations, and each conversation still within its own windows', () => {
    const pacer = new Pacer({ marginMs: 0 });
    const sends: { at: number; conversation: string }[] = [];
    let now = 0;
    while (sends.length < 500) {
      let sent = false;
      for (let c = 0; c < 100 && sends.length < 500; c++) {
        const pacing = { conversation: `c${c}`, tenant: 't' };
        if (pacer.delay(pacing, now) === 0) {
          pacer.leaving(pacing);
          pacer.answered(pacing, now);
          sends.push({ at: now, conversation: pacing.conversation });
          sent = true;
        }
      }
      if (!sent) now += 10;
    }
    expect(
      most(
        sends.map((send) => send.at),
        1000,
      ),
    ).toBeLessThanOrEqual(50);
    expect(sends[sends.length - 1]!.at).toBeLessThan(10_000);
  });

  test('the margin widens every window', () => {
    const times = schedule(new Pacer({ marginMs: 100 }), 8);
    expect(times[7]! - times[0]!).toBeGreaterThanOrEqual(1100);
  });

  test('a send in flight fills its place in every window until it is answered, then counts from its answer', () => {
    const pacer = new Pacer({ marginMs: 0 });
    for (let i = 0; i < 6; i++) {
      pacer.leaving(chat);
      pacer.answered(chat, 0);
    }
    pacer.leaving(chat);
    expect(pacer.delay(chat, 10)).toBeGreaterThan(0);
    pacer.answered(chat, 400);
    expect(pacer.delay(chat, 500)).toBe(500);
    expect(pacer.delay(chat, 1000)).toBe(0);
  });

  test('conversations and tenants are independent of one another', () => {
    const pacer = new Pacer({ marginMs: 0 });
    schedule(pacer, 7, { conversation: 'a', tenant: 'x' });
    expect(pacer.delay({ conversation: 'a', tenant: 'x' }, 0)).toBeGreaterThan(0);
    expect(pacer.delay({ conversation: 'b', tenant: 'x' }, 0)).toBe(0);
    expect(pacer.delay({ conversation: 'b', tenant: 'y' }, 0)).toBe(0);
  });

  test('what was counted in one term of a sending lease is replaced, not kept, when another term begins', () => {
    const pacer = new Pacer({ marginMs: 0 });
    const times = Array.from({ length: 50 }, (_, index) => new Date(index));
    pacer.seed('tenant', 't1', [], 1);
    expect(pacer.knows('tenant', 't1', 1)).toBe(true);
    expect(pacer.delay({ conversation: 'c', tenant: 't1' }, 100)).toBe(0);
    // Another instance sent 50 there while this one did not hold the tenant.
    expect(pacer.knows('tenant', 't1', 2)).toBe(false);
    pacer.seed('tenant', 't1', times, 2);
    expect(pacer.knows('tenant', 't1', 2)).toBe(true);
    expect(pacer.delay({ conversation: 'c', tenant: 't1' }, 100)).toBe(900);
    // Without terms (a store one process owns) what is counted stays.
    pacer.seed('tenant', 't2', []);
    expect(pacer.knows('tenant', 't2')).toBe(true);
    expect(pacer.knows('tenant', 't2', 1)).toBe(false);
  });
});
