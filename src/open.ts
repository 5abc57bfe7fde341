import type { Config } from './config.ts';
import { createGatehouse, type Gatehouse, type GatehouseSettings } from './gatehouse.ts';
import type { Clock } from './internal/clock.ts';
import type { SecurityLog } from './logging/security-log.ts';
import { createSqliteStores } from './stores/sqlite/index.ts';
import type { RevocationBus, Stores } from './stores/types.ts';

interface Opened {
  stores: Stores;
  bus: RevocationBus | null;
}

/** The cache's session limits: no copy outlives the session's idle or absolute end. */
function cacheOptions(config: Config, clock: Clock | undefined) {
  const sessions = {
    idleMs: config.sessionIdleTimeout * 1000,
    absoluteMs: config.sessionAbsoluteTimeout * 1000,
  };
  return { clock, sessions };
}

/**
 * The durable stores of DATABASE_URL. The PostgreSQL driver is loaded only when it is configured.
 * SQLite comes with its in-process cache (unless GATEHOUSE_CACHE=0), checked on every lookup
 * against the file's PRAGMA data_version: another process's commit (the CLI, a second server on
 * the same file) is seen on the very next request.
 */
async function openDurable(config: Config, clock: Clock | undefined): Promise<Stores> {
  const tablePrefix = config.tablePrefix;
  if (config.database.kind === 'sqlite') {
    const sqlite = createSqliteStores(config.database.path, { clock, tablePrefix });
    if (!config.cache) return sqlite;
    const { createCachedStores, VersionWatch } = await import('./stores/cached/index.ts');
    return createCachedStores(sqlite, new VersionWatch(sqlite.dataVersion), cacheOptions(config, clock));
  }
  const { createPostgresStores } = await import('./stores/postgres/index.ts');
  return createPostgresStores(config.database.url, { clock, tablePrefix });
}

/**
 * With REDIS_URL: Redis holds the throttle counters and, on PostgreSQL,
 * carries revocations, and (unless GATEHOUSE_CACHE=0) session, token and user
 * lookups are served from an in-process cache that serves only while its
 * lease through Redis runs. On SQLite the file itself is the signal (see
 * openDurable): no bus, so a Redis outage never delays a revocation.
 */
async function openStores(config: Config, clock: Clock | undefined): Promise<Opened> {
  const durable = await openDurable(config, clock);
  if (!config.redisUrl) return { stores: durable, bus: null };
  const [{ connectRedis }, { createCachedStores, DurableWatch }] = await Promise.all([
    import('./stores/redis/index.ts'),
    import('./stores/cached/index.ts'),
  ]);
  let redis: Awaited<ReturnType<typeof connectRedis>>;
  try {
    redis = await connectRedis(config.redisUrl, { clock, prefix: config.redisPrefix });
  } catch (error) {
    await durable.close();
    throw error;
  }
  // The cache serves only while the bus is connected and the database answers.
  const watched = new DurableWatch(redis.bus, durable);
  const sqlite = config.database.kind === 'sqlite';
  const layered =
    config.cache && !sqlite ? createCachedStores(durable, watched, cacheOptions(config, clock)) : durable;
  const stores: Stores = {
    ...layered,
    counters: redis.counters,
    async ping() {
      await Promise.all([durable.ping(), redis.ping()]);
    },
    async close() {
      watched.close();
      await layered.close();
      await redis.close();
    },
  };
  return { stores, bus: sqlite ? null : redis.bus };
}

/** One JSON line per security event, for the operator's log collector. */
const stdoutLog: SecurityLog = (event) => {
  process.stdout.write(`${JSON.stringify({ logger: 'gatehouse.security', ...event })}\n`);
};

/** What `openGatehouse` takes beyond the configuration: anything the environment cannot say. */
export interface OpenOptions extends Partial<Omit<GatehouseSettings, 'stores' | 'bus' | 'secretKey'>> {}

/**
 * Opens the stores the configuration names (SQLite by default; PostgreSQL,
 * Redis and the in-process cache when configured) and a Gatehouse over them,
 * with every setting of the environment applied. `gh.close()` closes it all.
 *
 * ```ts
 * const gh = await openGatehouse(loadConfig());
 * const gh2 = await openGatehouse(loadConfig(), { defaults: { throttles: [new AnonRateThrottle({ rate: '100/min', counters })] } });
 * ```
 */
export async function openGatehouse(config: Config, options: OpenOptions = {}): Promise<Gatehouse> {
  const { stores, bus } = await openStores(config, options.clock);
  try {
    return createGatehouse({
      secretKey: config.secretKey,
      secretKeyFallbacks: config.secretKeyFallbacks,
      trustedOrigins: config.trustedOrigins,
      allowedHosts: config.allowedHosts,
      secureCookies: config.secureCookies,
      sessionIdleTimeout: config.sessionIdleTimeout,
      sessionAbsoluteTimeout: config.sessionAbsoluteTimeout,
      loginRate: config.loginRate,
      loginAddressRate: config.loginAddressRate,
      jwt: { accessLifetime: config.accessTokenLifetime, refreshLifetime: config.refreshTokenLifetime },
      cors: { allowedOrigins: config.corsAllowedOrigins, allowCredentials: config.corsAllowCredentials },
      securityLog: config.securityLog === 'stdout' ? stdoutLog : undefined,
      ...options,
      stores,
      bus,
    });
  } catch (error) {
    await stores.close();
    throw error;
  }
}
