/** A bounded map that forgets the least recently used entry first and entries older than their TTL. */
export class LruCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  hits = 0;
  misses = 0;
  evictions = 0;
  expirations = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (e === undefined) {
      this.misses += 1;
      return undefined;
    }
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      this.expirations += 1;
      this.misses += 1;
      return undefined;
    }
    // Re-insert: Map iteration order is the recency order.
    this.entries.delete(key);
    this.entries.set(key, e);
    this.hits += 1;
    return e.value;
  }

  /** Whether a live entry exists, without counting a hit or a miss. */
  peek(key: string): V | undefined {
    const e = this.entries.get(key);
    return e && e.expires > this.now() ? e.value : undefined;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.evictions += 1;
    }
  }

  stats(): { entries: number; max_entries: number; ttl_ms: number; hits: number; misses: number; evictions: number; expirations: number } {
    return { entries: this.entries.size, max_entries: this.maxEntries, ttl_ms: this.ttlMs, hits: this.hits, misses: this.misses, evictions: this.evictions, expirations: this.expirations };
  }
}
