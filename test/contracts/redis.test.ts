/**
 * The Redis layer's contracts: counters and the revocation bus on a real
 * Redis and the bus on memory; the session/token/user contracts through the
 * cached decorators; and two cached instances, over one memory store or one
 * SQLite file, revoking for each other over the bus.
 *
 * ```sh
 * node --test 'test/contracts/redis.test.ts'   # GATEHOUSE_TEST_REDIS=0 skips the Redis suites
 * ```
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import { Redis } from 'ioredis';
import { createCachedStores, MemoryRevocationBus } from '../../src/stores/cached/index.ts';
import { createMemoryStores } from '../../src/stores/memory/index.ts';
import { connectRedis, type RedisConnection } from '../../src/stores/redis/index.ts';
import { createSqliteStores } from '../../src/stores/sqlite/index.ts';
import type { RevocationBus, Stores } from '../../src/stores/types.ts';
import { counterStoreContract } from './counter-store.contract.ts';
import type { StoreFixture } from './fixture.ts';
import {
  type BusFixture,
  cachedInstancesContract,
  revocationBusContract,
} from './revocation-bus.contract.ts';
import { sessionStoreContract } from './session-store.contract.ts';
import { tokenStoreContract } from './token-store.contract.ts';
import { userStoreContract } from './user-store.contract.ts';

const url = process.env.GATEHOUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every key and channel of this run lives under this prefix, so runs sharing a Redis never meet. */
const prefix = `gh-test-${randomUUID()}:`;

/** Why the Redis suites are skipped, or false when Redis answers. */
async function redisSkipReason(): Promise<string | false> {
  if (process.env.GATEHOUSE_TEST_REDIS === '0') return 'GATEHOUSE_TEST_REDIS=0: Redis suites skipped';
  if (process.env.GATEHOUSE_TEST_REDIS === '1') return false; // npm test found it: a failure is a failure
  try {
    await (await connectRedis(url, { prefix })).close();
    return false;
  } catch (error) {
    return `Redis not reachable at ${url} (${(error as Error).message}): Redis suites skipped`;
  }
}
const skip = await redisSkipReason();

// --- No Redis needed: the memory bus, and the decorators over memory stores.

function memoryBuses(): BusFixture {
  const a = new MemoryRevocationBus();
  return {
    buses: [a, a.peer()],
    async disrupt(bus) {
      const memory = bus as MemoryRevocationBus;
      memory.setHealthy(false);
      setImmediate(() => memory.setHealthy(true)); // "reconnects" on its own, as ioredis does
    },
    async close() {},
  };
}
revocationBusContract('memory', async () => memoryBuses());
cachedInstancesContract('one memory store, memory buses', async () => {
  const durable = createMemoryStores();
  return { ...memoryBuses(), durables: [durable, durable] };
});

function cachedMemory<S>(pick: (s: Stores) => S) {
  return async (): Promise<StoreFixture<S>> => {
    const stores = createCachedStores(createMemoryStores(), new MemoryRevocationBus());
    return { store: pick(stores), users: stores.users, close: () => stores.close() };
  };
}
userStoreContract(
  'cached memory',
  cachedMemory((s) => s.users),
);
sessionStoreContract(
  'cached memory',
  cachedMemory((s) => s.sessions),
);
tokenStoreContract(
  'cached memory',
  cachedMemory((s) => s.tokens),
);

// --- On Redis.

const opened: RedisConnection[] = [];

/** Two buses on two connections, on a channel of their own (suites never hear each other). */
async function redisBuses(): Promise<BusFixture> {
  const channelPrefix = `${prefix}${randomUUID()}:`;
  const names = new Map<RevocationBus, string>();
  const open = async () => {
    const name = `gh-test-${randomUUID()}`;
    const connection = await connectRedis(url, { prefix: channelPrefix, name });
    opened.push(connection);
    names.set(connection.bus, name);
    return connection.bus;
  };
  return {
    buses: [await open(), await open()],
    disrupt: (bus) => killConnection(`${names.get(bus)}-revocations`),
    async close() {},
  };
}

describe(`Redis at ${url}`, { skip }, () => {
  after(async () => {
    await Promise.all(opened.map((c) => c.close()));
    await deleteUnderPrefix(prefix);
  });

  counterStoreContract('redis', async (clock) => {
    const connection = await connectRedis(url, { prefix, clock });
    return { store: connection.counters, close: () => connection.close() };
  });

  revocationBusContract('redis', redisBuses);

  cachedInstancesContract('one SQLite file, two Redis connections', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-cached-'));
    const file = join(dir, 'db.sqlite3');
    const durables: [Stores, Stores] = [createSqliteStores(file), createSqliteStores(file)];
    return { ...(await redisBuses()), durables, close: () => rm(dir, { recursive: true, force: true }) };
  });

  sessionStoreContract('cached sqlite + redis bus', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-cached-'));
    const bus = (await redisBuses()).buses[0];
    const stores = createCachedStores(createSqliteStores(join(dir, 'db.sqlite3')), bus);
    const close = async () => {
      await stores.close();
      await rm(dir, { recursive: true, force: true });
    };
    return { store: stores.sessions, users: stores.users, close };
  });
});

/** Cuts a connection from the server side, as a Redis restart or a network drop would. */
async function killConnection(name: string): Promise<void> {
  const admin = new Redis(url, { lazyConnect: true });
  try {
    await admin.connect();
    const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    const line = list.split('\n').find((l) => l.includes(` name=${name} `));
    if (!line) throw new Error(`no pubsub connection named ${name}`);
    await admin.call('CLIENT', 'KILL', 'ID', /\bid=(\d+)/.exec(line)![1]);
  } finally {
    admin.disconnect();
  }
}

/**
 * Deletes this run's keys. SCAN walks the keyspace a page at a time, where
 * KEYS (or FLUSHALL) would block, or wipe, a Redis other runs are using.
 */
async function deleteUnderPrefix(keyPrefix: string): Promise<void> {
  const admin = new Redis(url, { lazyConnect: true });
  try {
    await admin.connect();
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
      if (keys.length > 0) await admin.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    admin.disconnect();
  }
}
