/**
 * Gatehouse on Redis: throttle counters shared by every instance and the
 * revocation signal between them (`gatehouse/stores/redis`). Redis holds no
 * credential: a Redis that restarts empty loses throttle counts and nothing
 * else; the SQL database stays the one durable home of sessions and tokens.
 *
 * ```ts
 * import { connectRedis } from 'gatehouse/stores/redis';
 * const redis = await connectRedis(process.env.REDIS_URL!);
 * ```
 */
export { type ConnectRedisOptions, connectRedis, type RedisConnection } from './connect.ts';
export { RedisCounterStore } from './counter-store.ts';
export { RedisRevocationBus, type RedisRevocationBusOptions } from './revocation-bus.ts';
export { decodeRevocation, encodeRevocation } from './revocation-message.ts';
export { guardRedis, isUnavailableError, type RedisClient } from './unavailable.ts';
