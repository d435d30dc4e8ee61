import { ReadCache } from '../../store/readCache';

/** A cache over a counted source whose value can be changed under it. */
function fixture(options: { readonly maxEntries?: number; readonly ttlMs?: number } = {}) {
  let now = 0;
  const source = new Map<string, string>([
    ['a', 'a1'],
    ['b', 'b1'],
    ['c', 'c1'],
  ]);
  const loads: string[] = [];
  const cache = new ReadCache<string | undefined>({
    maxEntries: options.maxEntries ?? 100,
    ttlMs: options.ttlMs ?? 60_000,
    now: () => now,
  });
  const read = (key: string): Promise<string | undefined> =>
    cache.read(key, async () => {
      loads.push(key);
      return source.get(key);
    });
  return { cache, source, loads, read, advance: (ms: number) => (now += ms) };
}

describe('what a store keeps in memory while it hears of every change', () => {
  test('closed, it keeps nothing: every read goes to the store', async () => {
    const { read, loads, source } = fixture();
    expect([await read('a'), await read('a')]).toEqual(['a1', 'a1']);
    source.set('a', 'a2');
    expect(await read('a')).toBe('a2');
    expect(loads).toEqual(['a', 'a', 'a']);
  });

  test('open, a value is read once, until a change is announced', async () => {
    const { cache, read, loads, source } = fixture();
    cache.setOpen(true);
    expect([await read('a'), await read('a'), await read('b')]).toEqual(['a1', 'a1', 'b1']);
    source.set('a', 'a2');
    expect(await read('a')).toBe('a1');
    cache.invalidate();
    expect(await read('a')).toBe('a2');
    expect(loads).toEqual(['a', 'b', 'a']);
  });

  test('nobody found is kept as well, and forgotten with the rest', async () => {
    const { cache, read, loads, source } = fixture();
    cache.setOpen(true);
    expect([await read('x'), await read('x')]).toEqual([undefined, undefined]);
    source.set('x', 'x1');
    cache.invalidate();
    expect(await read('x')).toBe('x1');
    expect(loads).toEqual(['x', 'x']);
  });

  test.each([
    ['announced', (cache: ReadCache<string | undefined>) => cache.invalidate()],
    ['no longer heard', (cache: ReadCache<string | undefined>) => cache.setOpen(false)],
  ])('a read under way when a change is %s is answered but not kept', async (_label, change) => {
    const { cache } = fixture();
    cache.setOpen(true);
    let finish: (value: string) => void = () => undefined;
    const slow = cache.read('a', () => new Promise<string>((resolve) => (finish = resolve)));
    change(cache);
    cache.setOpen(true);
    finish('a-from-before-the-change');
    expect(await slow).toBe('a-from-before-the-change');
    expect(cache.size).toBe(0);
  });

  test('closing forgets everything, and opening again starts from nothing', async () => {
    const { cache, read, loads } = fixture();
    cache.setOpen(true);
    await read('a');
    cache.setOpen(false);
    expect(cache.size).toBe(0);
    cache.setOpen(true);
    await read('a');
    expect(loads).toEqual(['a', 'a']);
  });

  test('an entry older than its time is read again even when no change was announced', async () => {
    const { cache, read, loads, advance } = fixture({ ttlMs: 1000 });
    cache.setOpen(true);
    await read('a');
    advance(999);
    await read('a');
    advance(1);
    await read('a');
    expect(loads).toEqual(['a', 'a']);
  });

  test('beyond its size, the entry read least recently goes first', async () => {
    const { cache, read, loads } = fixture({ maxEntries: 2 });
    cache.setOpen(true);
    await read('a');
    await read('b');
    await read('a'); // a is now the most recent
    await read('c'); // b goes
    expect(cache.size).toBe(2);
    await read('a');
    await read('b');
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });
});
