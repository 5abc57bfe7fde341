import type { Clock } from '../../internal/clock.ts';

interface Entry<V> {
  value: V;
  expiresAt: number;
  tags: string[];
  /** When it last moved to the young end (a counter of sets and moves). */
  tick: number;
}

/**
 * A bounded least-recently-used map whose entries expire (by the injected
 * clock) and carry tags, so every entry of one user (`user:7`) or with one
 * public id (`id:ab12`) can be found without a scan. A `Map` keeps insertion
 * order, so re-inserting on a hit makes its first key the least recently used.
 *
 * `generation` moves on every invalidation (never on eviction or expiry): a
 * reader that loaded from the durable store stores its result only if no
 * invalidation happened meanwhile, or a revocation racing the load would be
 * undone by a stale copy.
 *
 * ```ts
 * const lru = new TaggedLru<string, SessionRecord>({ max: 10_000, clock, tags: (s) => [`user:${s.userId}`] });
 * lru.set(s.keyHash, s, 30_000);
 * lru.deleteTagged('user:7');
 * ```
 */
export class TaggedLru<K, V> {
  readonly #max: number;
  readonly #clock: Clock;
  readonly #tagsOf: (value: V) => string[];
  readonly #entries = new Map<K, Entry<V>>();
  readonly #byTag = new Map<string, Set<K>>();
  #generation = 0;
  #tick = 0;

  constructor(options: { max: number; clock: Clock; tags?: (value: V) => string[] }) {
    this.#max = options.max;
    this.#clock = options.clock;
    this.#tagsOf = options.tags ?? (() => []);
  }

  get size(): number {
    return this.#entries.size;
  }

  get generation(): number {
    return this.#generation;
  }

  /** Whether an entry is held for `key` (perhaps expired): a peek, no reordering. */
  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** The live value (the stored object itself: callers copy), refreshed as most recently used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#clock.now()) {
      this.#remove(key);
      return undefined;
    }
    // Approximate LRU: an entry moves to the young end only when it has aged
    // past a quarter of the capacity, so a hot entry costs no Map rewrite per hit.
    if (this.#tick - entry.tick > this.#max >> 2) {
      entry.tick = ++this.#tick;
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry.value;
  }

  /** Stores for `ttlMs`, evicting the least recently used entry past `max`. */
  set(key: K, value: V, ttlMs: number): void {
    this.#remove(key);
    const entry = {
      value,
      expiresAt: this.#clock.now() + ttlMs,
      tags: this.#tagsOf(value),
      tick: ++this.#tick,
    };
    this.#entries.set(key, entry);
    for (const tag of entry.tags) {
      const keys = this.#byTag.get(tag) ?? new Set<K>();
      keys.add(key);
      this.#byTag.set(tag, keys);
    }
    if (this.#entries.size > this.#max) this.#remove(this.#entries.keys().next().value as K);
  }

  /** Changes a cached value in place (tags must not change); no-op when absent. */
  patch(key: K, change: (value: V) => void): void {
    const entry = this.#entries.get(key);
    if (entry) change(entry.value);
  }

  keysTagged(tag: string): K[] {
    return [...(this.#byTag.get(tag) ?? [])];
  }

  delete(key: K): void {
    this.#generation++;
    this.#remove(key);
  }

  deleteTagged(tag: string): void {
    this.#generation++;
    for (const key of this.keysTagged(tag)) this.#remove(key);
  }

  /** A scan: for rare sweeps only (`deleteExpired`), never for the per-request path. */
  deleteWhere(test: (value: V) => boolean): void {
    this.#generation++;
    for (const [key, entry] of this.#entries) if (test(entry.value)) this.#remove(key);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#byTag.clear();
  }

  #remove(key: K): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    for (const tag of entry.tags) {
      const keys = this.#byTag.get(tag)!;
      keys.delete(key);
      if (keys.size === 0) this.#byTag.delete(tag);
    }
  }
}
