import type { Clock } from '../../internal/clock.ts';
import type { RevocationBus, RevocationMessage, SessionRecord, TokenRecord, User } from '../types.ts';
import { TaggedLru } from './tagged-lru.ts';

/**
 * What keeps a cache true: the revocations to apply, and `healthy`, read on
 * every lookup, which is true only while nothing can have been missed. A
 * revocation bus is one (`RedisRevocationBus`: a lease renewed through
 * Redis); `VersionWatch` is another (one SQLite file: PRAGMA data_version).
 */
export type CacheSignal = Pick<RevocationBus, 'healthy' | 'subscribe'> & {
  onHealthChange?(listener: (healthy: boolean) => void): () => void;
  /**
   * For a signal that must be read to be known (a change counter): resolves
   * once it has been read after this call, true when copies may be served
   * (a gap it finds is reported through `onHealthChange` first). A hit waits
   * for it; `healthy` is then not read on lookups.
   */
  validate?(): Promise<boolean>;
};

/** A signal that also reports changes of `healthy` (the buses, DurableWatch, VersionWatch). */
export interface HealthReportingBus extends RevocationBus {
  onHealthChange(listener: (healthy: boolean) => void): () => void;
}

export interface HotCacheOptions {
  /** Entries per kind (sessions, tokens, users). */
  max: number;
  /** The longest an entry lives, counted from when its durable read began. */
  ttlMs: number;
  clock: Clock;
}

/**
 * The in-process copies of the hot-path lookups, and the rule for serving
 * them: only while the signal is healthy. A revocation message from any
 * instance drops the entry it names; a user message drops the user and every
 * session and token of theirs. When the signal is lost (a lapsed lease, a
 * changed data_version) the cache stops serving and, when it is back, starts
 * empty: messages sent in between are gone, so nothing cached before may be
 * trusted (fail closed). An entry lives at most `ttlMs` from the moment its
 * durable read began, so a revocation whose signal was lost is in force on
 * every instance `ttlMs` after it committed (Revocations waits that long).
 *
 * ```ts
 * const cache = new HotCache(bus, { max: 10_000, ttlMs: 5_000, clock });
 * const session = await cache.read(cache.sessions, keyHash, () => durable.getByKeyHash(keyHash), () => 30_000);
 * ```
 */
export class HotCache {
  readonly sessions: TaggedLru<string, SessionRecord>;
  readonly tokens: TaggedLru<string, TokenRecord>;
  readonly users: TaggedLru<number, User>;
  readonly ttlMs: number;
  readonly clock: Clock;
  readonly #bus: CacheSignal;
  readonly #validate: (() => Promise<boolean>) | null;
  readonly #unsubscribe: Array<() => void>;
  /** A loss of health seen by polling, for a bus that does not report its changes. */
  #missed = false;

  constructor(bus: CacheSignal, options: HotCacheOptions) {
    const { max, clock } = options;
    const tags = (r: { userId: number; id: string }) => [`user:${r.userId}`, `id:${r.id}`];
    this.sessions = new TaggedLru<string, SessionRecord>({ max, clock, tags });
    this.tokens = new TaggedLru<string, TokenRecord>({ max, clock, tags });
    this.users = new TaggedLru<number, User>({ max, clock });
    this.ttlMs = options.ttlMs;
    this.clock = clock;
    this.#bus = bus;
    this.#validate = bus.validate ? () => bus.validate!() : null;
    this.#unsubscribe = [bus.subscribe((message) => this.revoke(message))];
    if (typeof bus.onHealthChange === 'function') {
      // Clear on the way down (nothing stale survives) and on the way up (a blip too short to poll);
      // that clear is also the one a loss seen by polling asked for.
      this.#unsubscribe.push(
        bus.onHealthChange(() => {
          this.#missed = false;
          this.clear();
        }),
      );
    }
  }

  /** Whether cached copies may be served now. */
  get serving(): boolean {
    if (!this.#bus.healthy) {
      this.#missed = true;
      return false;
    }
    if (this.#missed) {
      this.#missed = false;
      this.clear();
    }
    return true;
  }

  /**
   * A cached copy, or the durable store's answer (cached for `ttlFor(value)`
   * ms, capped by `ttlMs` from the start of the read, unless an invalidation
   * or a loss of the signal raced the load). Misses are never cached: a
   * credential created on another instance must be found here at once.
   * Values go in and come out as copies.
   */
  async read<K, V extends object>(
    lru: TaggedLru<K, V>,
    key: K,
    load: () => Promise<V | null>,
    ttlFor: (value: V) => number,
  ): Promise<V | null> {
    // A signal read on demand is read after this lookup began, so after its request arrived.
    if (lru.has(key) && (this.#validate ? await this.#validate() : this.serving)) {
      const hit = lru.get(key);
      if (hit) return copyRecord(hit);
    }
    const started = this.clock.now();
    const generation = lru.generation;
    const value = await load();
    // `serving` first: a loss it notices clears the cache, which moves the generation.
    // (A copy stored under a validated signal is served only after a later validation.)
    if (value && (this.#validate !== null || this.serving) && generation === lru.generation) {
      const now = this.clock.now();
      const ttl = Math.min(started + this.ttlMs - now, ttlFor(value));
      if (ttl > 0) lru.set(key, copyRecord(value), ttl);
    }
    return value;
  }

  /** Applies a revocation from the bus (or a local write meaning the same). */
  revoke(message: RevocationMessage): void {
    if (message.kind === 'session') this.sessions.delete(message.keyHash);
    else if (message.kind === 'token') this.tokens.delete(message.keyHash);
    else {
      this.users.delete(message.userId);
      this.sessions.deleteTagged(`user:${message.userId}`);
      this.tokens.deleteTagged(`user:${message.userId}`);
    }
  }

  clear(): void {
    this.sessions.clear();
    this.tokens.clear();
    this.users.clear();
  }

  /** Stops listening to the bus (which its owner closes). */
  close(): void {
    for (const off of this.#unsubscribe) off();
    this.clear();
  }
}

/** A shallow copy that keeps a user's non-enumerable password hash (see ../user-record.ts). */
function copyRecord<V extends object>(value: V): V {
  const copy = { ...value };
  if (!Object.hasOwn(copy, 'password') && Object.hasOwn(value, 'password')) {
    Object.defineProperty(copy, 'password', {
      value: (value as { password: unknown }).password,
      enumerable: false,
    });
  }
  return copy;
}
