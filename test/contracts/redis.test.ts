/**
 * The Redis layer's contracts: counters and the revocation bus on a real
 * Redis, the bus on memory, the session/token/user contracts through the
 * cached decorators, and two cached instances over one SQLite file that
 * revoke for each other over two Redis connections.
 *
 * ```sh
 * node --test 'test/contracts/redis.test.ts'   # GATEHOUSE_TEST_REDIS=0 skips the Redis suites
 * ```
 */

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { Revocations } from '../../src/revocations.ts';
import { createCachedStores, MemoryRevocationBus } from '../../src/stores/cached/index.ts';
import { createMemoryStores } from '../../src/stores/memory/index.ts';
import { connectRedis, type RedisConnection } from '../../src/stores/redis/index.ts';
import { createSqliteStores } from '../../src/stores/sqlite/index.ts';
import type { RevocationBus, SessionRecord, Stores } from '../../src/stores/types.ts';
import { counterStoreContract } from './counter-store.contract.ts';
import { makeUser, type StoreFixture, unique } from './fixture.ts';
import { eventually, revocationBusContract } from './revocation-bus.contract.ts';
import { sessionStoreContract } from './session-store.contract.ts';
import { tokenStoreContract } from './token-store.contract.ts';
import { userStoreContract } from './user-store.contract.ts';

const url = process.env.GATEHOUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every key and channel of this run lives under this prefix, so runs sharing a Redis never meet. */
const prefix = `gh-test-${randomUUID()}:`;

/** Why the Redis suites are skipped, or false when Redis answers. */
async function redisSkipReason(): Promise<string | false> {
  if (process.env.GATEHOUSE_TEST_REDIS === '0') return 'GATEHOUSE_TEST_REDIS=0: Redis suites skipped';
  try {
    await (await connectRedis(url, { prefix })).close();
    return false;
  } catch (error) {
    return `Redis not reachable at ${url} (${(error as Error).message}): Redis suites skipped`;
  }
}
const skip = await redisSkipReason();
const opened: RedisConnection[] = [];
const open = async (name = `gh-test-${randomUUID()}`) => {
  const connection = await connectRedis(url, { prefix, name });
  opened.push(connection);
  return { connection, name };
};

// --- No Redis needed: the memory bus, and the decorators over memory stores.

revocationBusContract('memory', async () => {
  const a = new MemoryRevocationBus();
  const b = a.peer();
  return {
    buses: [a, b],
    async disrupt(bus) {
      const memory = bus as MemoryRevocationBus;
      memory.setHealthy(false);
      setImmediate(() => memory.setHealthy(true)); // "reconnects" on its own, as ioredis does
    },
    async close() {},
  };
});

function cachedFixture<S>(
  pick: (s: Stores) => S,
  bus: () => Promise<RevocationBus> = async () => new MemoryRevocationBus(),
) {
  return async (): Promise<StoreFixture<S>> => {
    const stores = createCachedStores(createMemoryStores(), await bus());
    return { store: pick(stores), users: stores.users, close: () => stores.close() };
  };
}
userStoreContract(
  'cached memory',
  cachedFixture((s) => s.users),
);
sessionStoreContract(
  'cached memory',
  cachedFixture((s) => s.sessions),
);
tokenStoreContract(
  'cached memory',
  cachedFixture((s) => s.tokens),
);

// --- On Redis.

describe(`Redis at ${url}`, { skip }, () => {
  after(async () => {
    await Promise.all(opened.map((c) => c.close()));
    await deleteUnderPrefix(prefix);
  });

  counterStoreContract('redis', async (clock) => {
    const connection = await connectRedis(url, { prefix, clock });
    return { store: connection.counters, close: () => connection.close() };
  });

  revocationBusContract('redis', async () => {
    const [a, b] = [await open(), await open()];
    const names = new Map<RevocationBus, string>([
      [a.connection.bus, a.name],
      [b.connection.bus, b.name],
    ]);
    return {
      buses: [a.connection.bus, b.connection.bus],
      disrupt: (bus) => killSubscriber(`${names.get(bus)}-revocations`),
      async close() {},
    };
  });

  sessionStoreContract('cached sqlite + redis bus', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-cached-'));
    const stores = createCachedStores(
      createSqliteStores(join(dir, 'db.sqlite3')),
      (await open()).connection.bus,
    );
    const close = async () => {
      await stores.close();
      await rm(dir, { recursive: true, force: true });
    };
    return { store: stores.sessions, users: stores.users, close };
  });

  describe('cached stores: two instances, one SQLite file, two Redis connections', () => {
    let dir: string;
    let a: Stores;
    let b: Stores;
    let reads: Record<string, number>;
    let revokeOnB: Revocations;
    let subscriberOfA: string;
    let busOfA: RedisConnection['bus'];
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'gatehouse-cached-'));
      const [busA, busB] = [await open(), await open()];
      subscriberOfA = `${busA.name}-revocations`;
      busOfA = busA.connection.bus;
      const fileA = createSqliteStores(join(dir, 'db.sqlite3'));
      const counted = counting(fileA);
      reads = counted.calls;
      a = createCachedStores(counted.stores, busA.connection.bus);
      b = createCachedStores(createSqliteStores(join(dir, 'db.sqlite3')), busB.connection.bus);
      revokeOnB = new Revocations({ stores: b, bus: busB.connection.bus });
    });
    after(async () => {
      await Promise.all([a.close(), b.close()]);
      await rm(dir, { recursive: true, force: true });
    });

    const newSession = async (userId: number): Promise<SessionRecord> => {
      const session = {
        id: unique('sid'),
        keyHash: unique('hash'),
        userId,
        authHash: 'h',
        createdAt: 1,
        lastSeenAt: 1,
        ip: '',
        userAgent: '',
      };
      await a.sessions.create(session);
      return session;
    };

    test('a cache hit makes no durable call; a revocation on B drops the copy cached on A', async () => {
      const session = await newSession((await makeUser(a.users)).id);
      const before = reads['sessions.getByKeyHash'] ?? 0;
      await a.sessions.getByKeyHash(session.keyHash);
      assert.deepEqual(await a.sessions.getByKeyHash(session.keyHash), session);
      assert.equal(reads['sessions.getByKeyHash'], before + 1);
      await b.sessions.delete(session.keyHash);
      assert.deepEqual(
        await a.sessions.getByKeyHash(session.keyHash),
        session,
        'A serves its copy until told',
      );
      await revokeOnB.sessionEnded(session.keyHash);
      await eventually(async () => assert.equal(await a.sessions.getByKeyHash(session.keyHash), null));
    });

    test('a token revoked on B is dropped on A', async () => {
      const user = await makeUser(a.users);
      const token = {
        id: unique('tok'),
        keyHash: unique('hash'),
        userId: user.id,
        name: '',
        createdAt: 1,
        lastUsedAt: null,
        expiresAt: null,
      };
      await a.tokens.create(token);
      assert.deepEqual(await a.tokens.getByKeyHash(token.keyHash), token);
      await b.tokens.delete(token.id, user.id);
      await revokeOnB.tokenRevoked(token.keyHash);
      await eventually(async () => assert.equal(await a.tokens.getByKeyHash(token.keyHash), null));
    });

    test('ending a user’s credentials on B drops that user, their sessions and tokens on A', async () => {
      const user = await makeUser(a.users);
      const session = await newSession(user.id);
      const token = {
        id: unique('tok'),
        keyHash: unique('hash'),
        userId: user.id,
        name: '',
        createdAt: 1,
        lastUsedAt: null,
        expiresAt: null,
      };
      await a.tokens.create(token);
      await Promise.all([
        a.users.getById(user.id),
        a.sessions.getByKeyHash(session.keyHash),
        a.tokens.getByKeyHash(token.keyHash),
      ]);
      await revokeOnB.endUserCredentials(user.id, { tokens: true });
      await eventually(async () => {
        assert.equal(await a.sessions.getByKeyHash(session.keyHash), null);
        assert.equal(await a.tokens.getByKeyHash(token.keyHash), null);
        assert.notEqual((await a.users.getById(user.id))?.tokensValidAfter, 0);
      });
    });

    test('after A’s subscriber reconnects its cache starts empty (messages may have been lost)', async () => {
      const session = await newSession((await makeUser(a.users)).id);
      await a.sessions.getByKeyHash(session.keyHash);
      await b.sessions.delete(session.keyHash); // its message "lost": never published
      const changes: boolean[] = [];
      const off = busOfA.onHealthChange((healthy) => changes.push(healthy));
      await killSubscriber(subscriberOfA);
      await eventually(() => assert.deepEqual(changes.slice(0, 2), [false, true]), 5_000);
      off();
      assert.equal(await a.sessions.getByKeyHash(session.keyHash), null);
    });
  });
});

/** Cuts a connection from the server side, as a Redis restart or a network drop would. */
async function killSubscriber(name: string): Promise<void> {
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

/** Stores whose users/sessions/tokens count their calls, as `calls['sessions.getByKeyHash']`. */
function counting(stores: Stores): { stores: Stores; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const wrap = <S extends object>(name: string, store: S): S =>
    new Proxy(store, {
      get(target, method) {
        const value = Reflect.get(target, method);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const key = `${name}.${String(method)}`;
          calls[key] = (calls[key] ?? 0) + 1;
          return value.apply(target, args);
        };
      },
    });
  const counted = {
    ...stores,
    users: wrap('users', stores.users),
    sessions: wrap('sessions', stores.sessions),
    tokens: wrap('tokens', stores.tokens),
  };
  return { stores: counted, calls };
}
