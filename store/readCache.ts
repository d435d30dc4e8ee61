export interface ReadCacheOptions {
  /** Entries kept at most; the least recently read goes first. */
  readonly maxEntries: number;
  /** How long an entry is trusted even when no change was announced: a backstop, not the mechanism. */
  readonly ttlMs: number;
  readonly now: () => number;
}

interface Entry<V> {
  readonly value: V;
  readonly until: number;
}

/**
 * Reads kept in memory while something announces every change to what they read. Closed (the
 * announcements cannot be heard), it keeps nothing and every read goes to the store. A read that
 * was under way when a change was announced is returned but not kept: it may have seen the store
 * from before the change.
 */
export class ReadCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private generation = 0;
  private open = false;

  constructor(private readonly options: ReadCacheOptions) {}

  async read(key: string, load: () => Promise<V>): Promise<V> {
    if (!this.open) return load();
    const entry = this.entries.get(key);
    const now = this.options.now();
    if (entry && entry.until > now) {
      // Read again: moved to the back, last in line to be dropped.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.value;
    }
    const generation = this.generation;
    const value = await load();
    if (this.open && generation === this.generation) this.keep(key, { value, until: now + this.options.ttlMs });
    return value;
  }

  /** Something changed: nothing kept so far, nor being read now, is trusted. */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Whether changes can be heard now; opening or closing forgets what was kept. */
  setOpen(open: boolean): void {
    this.open = open;
    this.invalidate();
  }

  get size(): number {
    return this.entries.size;
  }

  private keep(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size <= this.options.maxEntries) return;
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }
}
