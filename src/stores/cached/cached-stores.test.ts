import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigurationError } from '../../errors.ts';
import { countCalls, createFakeClock } from '../../testing/index.ts';
import { createMemoryStores } from '../memory/index.ts';
import type { RevocationBus, SessionRecord, TokenRecord } from '../types.ts';
import { createCachedStores, DurableWatch } from './index.ts';
import { MemoryRevocationBus } from './memory-bus.ts';

async function setup(options: { bus?: RevocationBus; max?: number; ttlMs?: number; idleMs?: number } = {}) {
  const clock = createFakeClock();
  const bus = options.bus ?? new MemoryRevocationBus();
  const { stores: durable, calls } = countCalls(createMemoryStores());
  const stores = createCachedStores(durable, bus, {
    clock,
    max: options.max,
    ttlMs: options.ttlMs,
    sessions: { idleMs: options.idleMs },
  });
  const user = await stores.users.create({ username: 'alice', email: '', password: 'x', dateJoined: 0 });
  const now = clock.now();
  const session = (n = 1): SessionRecord => ({
    id: `sid${n}`,
    keyHash: `hash${n}`,
    userId: user.id,
    authHash: 'a',
    createdAt: now,
    lastSeenAt: now,
    ip: '',
    userAgent: '',
  });
  const token = (n = 1): TokenRecord => ({
    id: `tok${n}`,
    keyHash: `thash${n}`,
    userId: user.id,
    name: '',
    createdAt: now,
    lastUsedAt: null,
    expiresAt: null,
  });
  return { clock, bus, durable, calls, stores, user, session, token };
}

test('a cache hit makes no durable call', async () => {
  const { stores, calls, user, session, token } = await setup();
  await stores.sessions.create(session());
  await stores.tokens.create(token());
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(await stores.sessions.getByKeyHash('hash1'), session());
    assert.deepEqual(await stores.tokens.getByKeyHash('thash1'), token());
    assert.equal((await stores.users.getById(user.id))?.username, 'alice');
  }
  assert.deepEqual(
    [calls['sessions.getByKeyHash'], calls['tokens.getByKeyHash'], calls['users.getById']],
    [1, 1, 1],
  );
});

test('misses are not cached: a credential made elsewhere is found at once', async () => {
  const { stores, durable, session } = await setup();
  assert.equal(await stores.sessions.getByKeyHash('hash1'), null);
  await durable.sessions.create(session());
  assert.deepEqual(await stores.sessions.getByKeyHash('hash1'), session());
});

test('a message on another instance’s bus drops the copy; a user message drops their sessions and tokens', async () => {
  const { stores, durable, bus, user, session, token } = await setup();
  const other = (bus as MemoryRevocationBus).peer();
  for (const n of [1, 2]) await stores.sessions.create(session(n));
  await stores.tokens.create(token());
  for (const n of [1, 2]) await stores.sessions.getByKeyHash(`hash${n}`);
  await stores.tokens.getByKeyHash('thash1');
  await durable.sessions.delete('hash1');
  assert.ok(await stores.sessions.getByKeyHash('hash1'), 'served from the cache until told');
  await other.publish({ kind: 'session', keyHash: 'hash1' });
  assert.equal(await stores.sessions.getByKeyHash('hash1'), null);
  await durable.sessions.deleteByUser(user.id);
  await durable.tokens.deleteByUser(user.id);
  await other.publish({ kind: 'user', userId: user.id });
  assert.equal(await stores.sessions.getByKeyHash('hash2'), null);
  assert.equal(await stores.tokens.getByKeyHash('thash1'), null);
});

test('while the bus is unhealthy every read goes through; when it is back the cache starts empty', async () => {
  const { stores, durable, calls, bus, session } = await setup();
  await stores.sessions.create(session());
  await stores.sessions.getByKeyHash('hash1');
  (bus as MemoryRevocationBus).setHealthy(false);
  await stores.sessions.getByKeyHash('hash1');
  await stores.sessions.getByKeyHash('hash1');
  assert.equal(calls['sessions.getByKeyHash'], 3);
  await durable.sessions.delete('hash1'); // revoked while the bus was down: the message is lost
  (bus as MemoryRevocationBus).setHealthy(true);
  assert.equal(await stores.sessions.getByKeyHash('hash1'), null);
});

test('a connection blip no read saw still clears the cache', async () => {
  const { stores, durable, bus, session } = await setup();
  await stores.sessions.create(session());
  await stores.sessions.getByKeyHash('hash1');
  await durable.sessions.delete('hash1');
  (bus as MemoryRevocationBus).setHealthy(false);
  (bus as MemoryRevocationBus).setHealthy(true);
  assert.equal(await stores.sessions.getByKeyHash('hash1'), null);
});

test('a bus that does not report health changes is polled: a loss seen on a read clears the cache', async () => {
  const bus = { healthy: true, publish: async () => {}, subscribe: () => () => {} };
  const { stores, durable, session } = await setup({ bus });
  await stores.sessions.create(session());
  await stores.sessions.getByKeyHash('hash1');
  bus.healthy = false;
  await stores.sessions.getByKeyHash('hash1');
  await durable.sessions.delete('hash1');
  bus.healthy = true;
  assert.equal(await stores.sessions.getByKeyHash('hash1'), null);
});

test('entries die after ttlMs, at a token’s expiry and at a session’s idle limit, whichever is first', async () => {
  const { stores, calls, clock, session, token } = await setup({ ttlMs: 30_000, idleMs: 10_000 });
  await stores.sessions.create(session());
  await stores.tokens.create({ ...token(), expiresAt: clock.now() + 20_000 });
  await stores.users.create({ username: 'bob', email: '', password: 'x', dateJoined: 0 });
  const read = () =>
    Promise.all([
      stores.sessions.getByKeyHash('hash1'),
      stores.tokens.getByKeyHash('thash1'),
      stores.users.getById(2),
    ]);
  const count = () => [calls['sessions.getByKeyHash'], calls['tokens.getByKeyHash'], calls['users.getById']];
  await read();
  clock.advance(9_999);
  await read();
  assert.deepEqual(count(), [1, 1, 1]);
  clock.advance(1); // the session's idle limit
  await read();
  assert.deepEqual(count(), [2, 1, 1]);
  clock.advance(10_000); // the token's expiry; the idle session is past caching, read every time
  await read();
  assert.deepEqual(count(), [3, 2, 1]);
  clock.advance(10_000); // ttlMs
  await read();
  assert.deepEqual(count(), [4, 3, 2]);
});

test('writes through the decorator keep this instance’s copies correct', async () => {
  const { stores, calls, user, session, token } = await setup();
  await stores.sessions.create(session());
  await stores.tokens.create(token());
  await stores.sessions.getByKeyHash('hash1');
  await stores.tokens.getByKeyHash('thash1');
  await stores.users.getById(user.id);
  await stores.sessions.touch('hash1', session().lastSeenAt + 60_000);
  await stores.tokens.touch('tok1', 7_000);
  assert.equal((await stores.sessions.getByKeyHash('hash1'))?.lastSeenAt, session().lastSeenAt + 60_000);
  assert.equal((await stores.tokens.getByKeyHash('thash1'))?.lastUsedAt, 7_000);
  assert.deepEqual(
    [calls['sessions.getByKeyHash'], calls['tokens.getByKeyHash']],
    [1, 1],
    'touch patches, no reload',
  );
  await stores.users.update(user.id, { isActive: false });
  assert.equal((await stores.users.getById(user.id))?.isActive, false);
  await stores.sessions.deleteById(user.id, 'sid1');
  await stores.tokens.delete('tok1', user.id);
  assert.equal(await stores.sessions.getByKeyHash('hash1'), null);
  assert.equal(await stores.tokens.getByKeyHash('thash1'), null);
});

test('a revocation racing a durable read keeps the stale answer out of the cache', async () => {
  const durable = createMemoryStores();
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reads = 0;
  // A durable store whose lookup answers (from before the revocation) only once the gate opens.
  const sessions = new Proxy(durable.sessions, {
    get: (target, method) =>
      method === 'getByKeyHash'
        ? async (keyHash: string) => {
            reads++;
            const found = await target.getByKeyHash(keyHash);
            await gate;
            return found;
          }
        : Reflect.get(target, method).bind(target),
  });
  const bus = new MemoryRevocationBus();
  const stores = createCachedStores({ ...durable, sessions }, bus);
  const user = await stores.users.create({ username: 'alice', email: '', password: 'x', dateJoined: 0 });
  await stores.sessions.create({
    id: 's',
    keyHash: 'h',
    userId: user.id,
    authHash: 'a',
    createdAt: 0,
    lastSeenAt: 0,
    ip: '',
    userAgent: '',
  });
  const load = stores.sessions.getByKeyHash('h'); // has read the live record, not yet answered…
  await durable.sessions.delete('h');
  await bus.publish({ kind: 'session', keyHash: 'h' }); // …when the revocation lands
  release();
  assert.ok(await load);
  assert.equal(await stores.sessions.getByKeyHash('h'), null);
  assert.equal(reads, 2);
});

test('the cache holds at most max entries per kind, dropping the least recently used', async () => {
  const { stores, calls, session } = await setup({ max: 2 });
  for (const n of [1, 2, 3]) await stores.sessions.create(session(n));
  for (const n of [1, 2, 1, 3, 1]) await stores.sessions.getByKeyHash(`hash${n}`);
  assert.equal(calls['sessions.getByKeyHash'], 3);
  await stores.sessions.getByKeyHash('hash2'); // evicted by hash3
  assert.equal(calls['sessions.getByKeyHash'], 4);
});

test('bad options are configuration errors', () => {
  const bus = new MemoryRevocationBus();
  assert.throws(() => createCachedStores(createMemoryStores(), bus, { max: 0 }), ConfigurationError);
  assert.throws(
    () => createCachedStores(createMemoryStores(), bus, { ttlMs: Number.NaN }),
    ConfigurationError,
  );
});

test('a copy lives ttlMs from the start of its durable read, not from its arrival', async () => {
  const clock = createFakeClock();
  const durable = createMemoryStores();
  const slow = new Proxy(durable.sessions, {
    get: (target, method) =>
      method === 'getByKeyHash'
        ? async (keyHash: string) => {
            const found = await target.getByKeyHash(keyHash);
            clock.advance(1_000); // the read took a second
            return found;
          }
        : Reflect.get(target, method).bind(target),
  });
  const { stores: counted, calls } = countCalls({ ...durable, sessions: slow });
  const stores = createCachedStores(counted, new MemoryRevocationBus(), { clock, ttlMs: 5_000 });
  await stores.sessions.create({
    id: 's',
    keyHash: 'h',
    userId: 1,
    authHash: 'a',
    createdAt: clock.now(),
    lastSeenAt: clock.now(),
    ip: '',
    userAgent: '',
  });
  await stores.sessions.getByKeyHash('h');
  clock.advance(3_999); // 4,999 ms after the read began
  await stores.sessions.getByKeyHash('h');
  assert.equal(calls['sessions.getByKeyHash'], 1);
  clock.advance(1);
  await stores.sessions.getByKeyHash('h');
  assert.equal(calls['sessions.getByKeyHash'], 2, 'expired 5,000 ms after the read began');
});

test('the default TTL is 5 s', async () => {
  const { stores, calls, session, clock } = await setup();
  await stores.sessions.create(session());
  await stores.sessions.getByKeyHash('hash1');
  clock.advance(4_999);
  await stores.sessions.getByKeyHash('hash1');
  clock.advance(1);
  await stores.sessions.getByKeyHash('hash1');
  assert.equal(calls['sessions.getByKeyHash'], 2);
});

test('DurableWatch passes on a gap its bus reports while still healthy (a lost message): the cache clears', async () => {
  const listeners = new Set<(healthy: boolean) => void>();
  const bus = {
    healthy: true, // the lease still runs; a message could not be read
    publish: async () => {},
    subscribe: () => () => {},
    onHealthChange(listener: (healthy: boolean) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  const durable = createMemoryStores();
  const watched = new DurableWatch(bus, durable, { intervalMs: 60_000 });
  const { stores, durable: counted } = await setup({ bus: watched });
  await stores.sessions.create({
    id: 's',
    keyHash: 'h',
    userId: 1,
    authHash: 'a',
    createdAt: 0,
    lastSeenAt: Date.UTC(2025, 0, 1),
    ip: '',
    userAgent: '',
  });
  assert.ok(await stores.sessions.getByKeyHash('h'));
  await counted.sessions.delete('h');
  for (const listener of [...listeners]) listener(false);
  for (const listener of [...listeners]) listener(true);
  assert.equal(await stores.sessions.getByKeyHash('h'), null);
  watched.close();
});

test('after a loss a read saw and a reported recovery, the first read after it is cached again', async () => {
  const { stores, calls, bus, session } = await setup();
  await stores.sessions.create(session());
  await stores.sessions.getByKeyHash('hash1');
  (bus as MemoryRevocationBus).setHealthy(false);
  await stores.sessions.getByKeyHash('hash1'); // read through: the loss is seen here too
  (bus as MemoryRevocationBus).setHealthy(true); // reported: the cache cleared
  await stores.sessions.getByKeyHash('hash1'); // loaded and kept
  await stores.sessions.getByKeyHash('hash1');
  assert.equal(calls['sessions.getByKeyHash'], 3);
});
