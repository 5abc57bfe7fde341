import { Redis, type RedisOptions } from 'ioredis';
import { ConfigurationError, StoreUnavailableError } from '../../errors.ts';
import type { Clock } from '../../internal/clock.ts';
import { RedisCounterStore } from './counter-store.ts';
import { RedisRevocationBus, type RedisRevocationBusOptions } from './revocation-bus.ts';
import { guardRedis } from './unavailable.ts';

export interface ConnectRedisOptions {
  /** Prepended to every key and to the channel (default `gh:`). No braces: they would be a hash tag. */
  prefix?: string;
  /** A command not answered within this fails with StoreUnavailableError (default 1000 ms). */
  commandTimeoutMs?: number;
  /** Per connection attempt (default 1000 ms). */
  connectTimeoutMs?: number;
  /** Drives the counters' windows (default: the system clock). */
  clock?: Clock;
  /** CLIENT SETNAME of the two connections, for CLIENT LIST (default `gatehouse`). */
  name?: string;
  /** The revocation bus's lease, heartbeat and the caches' TTL (see RedisRevocationBusOptions). */
  bus?: Pick<RedisRevocationBusOptions, 'heartbeatMs' | 'leaseMs' | 'cacheTtlMs' | 'confirmTimeoutMs'>;
}

/** What `connectRedis` opens: counters, the bus, and the two connections' lifecycle. */
export interface RedisConnection {
  counters: RedisCounterStore;
  bus: RedisRevocationBus;
  /** Answers when Redis answers and the bus is subscribed; StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the two connections Gatehouse keeps to Redis: one for commands
 * (counters, PUBLISH) and one held in subscriber mode for the revocation
 * channel `<prefix>revocations`. Resolves once both are up and subscribed;
 * rejects with StoreUnavailableError when Redis cannot be reached.
 *
 * ```ts
 * const redis = await connectRedis('redis://127.0.0.1:6379', { prefix: 'gh:' });
 * const stores = { ...createCachedStores(durable, redis.bus), counters: redis.counters };
 * ```
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<RedisConnection> {
  const prefix = options.prefix ?? 'gh:';
  if (/[{}]/.test(prefix)) throw new ConfigurationError(`redis prefix must not contain braces: ${prefix}`);
  const name = options.name ?? 'gatehouse';
  const timeoutMs = options.commandTimeoutMs ?? 1000;
  const common: RedisOptions = {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 1000,
    commandTimeout: timeoutMs,
    // While disconnected a command fails at once instead of waiting in a queue
    // for a reconnect that may never come: a request must 503, not hang.
    enableOfflineQueue: false,
    // A command in flight when the connection drops fails with it…
    maxRetriesPerRequest: 0,
    // …and is never replayed later: the caller already saw it fail (no double INCR).
    autoResendUnfulfilledCommands: false,
    // Reconnect forever, at most a second apart, so recovery follows Redis quickly…
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
    // …and do not wait the default 2 s for a dead peer to close a dropped connection.
    disconnectTimeout: timeoutMs,
  };
  const commands = new Redis(url, { ...common, connectionName: name });
  // The bus re-subscribes itself on 'ready', so it knows when the subscription is back.
  const subscriber = new Redis(url, {
    ...common,
    connectionName: `${name}-revocations`,
    autoResubscribe: false,
  });
  // ioredis reports every failed reconnection as 'error'; the bus and the
  // commands' rejections already carry the state, so these are only kept to
  // explain a failed start ("ECONNREFUSED" says more than "Connection is closed").
  let lastError: Error | null = null;
  for (const client of [commands, subscriber]) client.on('error', (error: Error) => (lastError = error));
  const disconnect = () => {
    commands.disconnect();
    subscriber.disconnect();
  };

  let bus: RedisRevocationBus | null = null;
  try {
    await Promise.all([commands.connect(), subscriber.connect()]);
    bus = new RedisRevocationBus({
      ...options.bus,
      publisher: commands,
      subscriber,
      channel: `${prefix}revocations`,
    });
    await bus.whenHealthy(timeoutMs);
  } catch (error) {
    bus?.close();
    disconnect();
    if (error instanceof StoreUnavailableError) throw error;
    const cause = lastError ?? (error as Error);
    throw new StoreUnavailableError(`redis unavailable: ${cause.message}`, { cause });
  }

  const openBus = bus;
  return {
    counters: new RedisCounterStore({ client: commands, prefix, clock: options.clock }),
    bus: openBus,
    async ping() {
      await guardRedis(() => commands.ping());
      if (!openBus.healthy) throw new StoreUnavailableError('redis: revocation channel not subscribed');
    },
    async close() {
      openBus.close();
      // QUIT lets Redis finish what is in flight; disconnect covers a connection already gone.
      await Promise.all(
        [commands, subscriber].map((c) => (c.status === 'ready' ? c.quit() : null)?.catch(() => {})),
      );
      disconnect();
    },
  };
}
