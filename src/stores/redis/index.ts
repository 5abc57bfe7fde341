/**
 * Gatehouse on Redis: throttle counters shared by every instance and the
 * revocation signal between them (`gatehouse/stores/redis`). Redis holds no
 * credential: a Redis that restarts empty loses throttle counts and nothing
 * else; the SQL database stays the one durable home of sessions and tokens.
 *
 * `connectRedis` speaks to one Redis. `RedisCounterStore` and
 * `RedisRevocationBus` also accept ioredis `Cluster` clients and use only
 * commands a cluster can route (one key per script, classic pub/sub), but
 * no test here runs them on a cluster.
 *
 * ```ts
 * import { connectRedis } from 'gatehouse/stores/redis';
 * const redis = await connectRedis(config.redisUrl, { prefix: 'gh:' });
 * ```
 */
export { type ConnectRedisOptions, connectRedis, type RedisConnection } from './connect.ts';
export { RedisCounterStore } from './counter-store.ts';
export { RedisRevocationBus, type RedisRevocationBusOptions } from './revocation-bus.ts';
export { isUnavailableError, type RedisClient } from './unavailable.ts';
