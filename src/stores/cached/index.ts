import { ConfigurationError } from '../../errors.ts';
import { type Clock, systemClock } from '../../internal/clock.ts';
import type { RevocationBus, Stores } from '../types.ts';
import { HotCache } from './hot-cache.ts';
import { CachedSessionStore, type SessionLimits } from './session-store.ts';
import { CachedTokenStore } from './token-store.ts';
import { CachedUserStore } from './user-store.ts';

export { DurableWatch } from './durable-watch.ts';
// The decorators and the cache stay internal: createCachedStores is the one way to build them.
export type { HealthReportingBus } from './hot-cache.ts';
export { MemoryRevocationBus } from './memory-bus.ts';
export type { SessionLimits };

export interface CachedStoresOptions {
  /** Cached entries per kind (sessions, tokens, users). Default 10,000. */
  max?: number;
  /**
   * The longest a cached copy lives (0 turns caching off). Default 30 s: the
   * bound on staleness should a revocation message never arrive.
   */
  ttlMs?: number;
  clock?: Clock;
  /** SessionService's idle and absolute timeouts in ms: no copy outlives them. */
  sessions?: SessionLimits;
}

/**
 * Wraps a durable backend's users, sessions and tokens in the in-process
 * hot-path cache, kept true by the revocation bus; refresh tokens, counters
 * and articles pass straight through. Pair it with the Redis counters for a
 * deployment of several instances.
 *
 * ```ts
 * const redis = await connectRedis(url);
 * const stores = { ...createCachedStores(createSqliteStores(path), redis.bus), counters: redis.counters };
 * ```
 */
export function createCachedStores(
  durable: Stores,
  bus: RevocationBus,
  options: CachedStoresOptions = {},
): Stores {
  const max = options.max ?? 10_000;
  const ttlMs = options.ttlMs ?? 30_000;
  if (!Number.isSafeInteger(max) || max < 1)
    throw new ConfigurationError(`cache max must be a positive integer: ${max}`);
  if (!(ttlMs >= 0)) throw new ConfigurationError(`cache ttlMs must be zero or more: ${ttlMs}`);
  const cache = new HotCache(bus, { max, ttlMs, clock: options.clock ?? systemClock });
  return {
    users: new CachedUserStore(durable.users, cache),
    sessions: new CachedSessionStore(durable.sessions, cache, options.sessions),
    tokens: new CachedTokenStore(durable.tokens, cache),
    refreshTokens: durable.refreshTokens,
    counters: durable.counters,
    articles: durable.articles,
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
