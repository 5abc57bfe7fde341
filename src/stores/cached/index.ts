import { ConfigurationError } from '../../errors.ts';
import type { Clock } from '../../internal/clock.ts';
import type { Stores } from '../types.ts';
import { type CacheSignal, HotCache } from './hot-cache.ts';
import { CachedSessionStore, type SessionLimits } from './session-store.ts';
import { CachedTokenStore } from './token-store.ts';
import { CachedUserStore } from './user-store.ts';

export { DurableWatch } from './durable-watch.ts';
// The decorators and the cache stay internal: createCachedStores is the one way to build them.
export type { CacheSignal, HealthReportingBus } from './hot-cache.ts';
export { MemoryRevocationBus } from './memory-bus.ts';
export { VersionWatch } from './version-watch.ts';
export type { SessionLimits };

export interface CachedStoresOptions {
  /** Cached entries per kind (sessions, tokens, users). Default 10,000. */
  max?: number;
  /**
   * The longest a cached copy lives, from the start of its durable read (0
   * turns caching off). Default 5 s. The signal's lease, not this, keeps the
   * cache true; this bounds what a lost revocation message can cost: a
   * revocation whose publish failed waits this long (`settleMs`) before it
   * answers. Every instance of a deployment must use the same value (or the
   * bus's `cacheTtlMs` must be the largest).
   */
  ttlMs?: number;
  /** Default: a monotonic clock in epoch milliseconds (a wall-clock step never lengthens a TTL). */
  clock?: Clock;
  /** SessionService's idle and absolute timeouts in ms: no copy outlives them. */
  sessions?: SessionLimits;
}

/** The default `ttlMs`. */
export const DEFAULT_CACHE_TTL_MS = 5_000;

/** Epoch milliseconds that never jump: the process's start time plus monotonic time since. */
const monotonicClock: Clock = Object.freeze({ now: () => performance.timeOrigin + performance.now() });

/**
 * Wraps a durable backend's users, sessions and tokens in the in-process
 * hot-path cache, kept true by a signal: the revocation bus for several
 * instances (PostgreSQL and Redis), or a `VersionWatch` for processes sharing
 * one SQLite file. Refresh tokens and counters pass straight through.
 *
 * ```ts
 * const redis = await connectRedis(url);
 * const stores = { ...createCachedStores(await createPostgresStores(pgUrl), redis.bus), counters: redis.counters };
 * const sqlite = createSqliteStores(path);
 * const embedded = createCachedStores(sqlite, new VersionWatch(sqlite.dataVersion));
 * ```
 */
export function createCachedStores(
  durable: Stores,
  bus: CacheSignal,
  options: CachedStoresOptions = {},
): Stores {
  const max = options.max ?? 10_000;
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  if (!Number.isSafeInteger(max) || max < 1)
    throw new ConfigurationError(`cache max must be a positive integer: ${max}`);
  if (!(ttlMs >= 0)) throw new ConfigurationError(`cache ttlMs must be zero or more: ${ttlMs}`);
  const cache = new HotCache(bus, { max, ttlMs, clock: options.clock ?? monotonicClock });
  return {
    users: new CachedUserStore(durable.users, cache),
    sessions: new CachedSessionStore(durable.sessions, cache, options.sessions),
    tokens: new CachedTokenStore(durable.tokens, cache),
    refreshTokens: durable.refreshTokens,
    counters: durable.counters,
    totpDevices: durable.totpDevices,
    recoveryCodes: durable.recoveryCodes,
    pendingLogins: durable.pendingLogins,
    webauthnChallenges: durable.webauthnChallenges,
    passkeys: durable.passkeys,
    ping: () => durable.ping(),
    async close() {
      cache.close();
      await durable.close();
    },
  };
}
