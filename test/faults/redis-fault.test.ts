/**
 * Redis going away and coming back, on a private `redis-server` child: the
 * counters fail fast with StoreUnavailableError (never hang), the bus turns
 * unhealthy so cached stores stop serving, and all of it recovers on restart.
 *
 * ```sh
 * node --test 'test/faults/redis-fault.test.ts'   # needs redis-server on PATH
 * ```
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { StoreUnavailableError } from '../../src/errors.ts';
import { createCachedStores } from '../../src/stores/cached/index.ts';
import { createMemoryStores } from '../../src/stores/memory/index.ts';
import { connectRedis, type RedisConnection } from '../../src/stores/redis/index.ts';
import type { RevocationMessage, Stores } from '../../src/stores/types.ts';
import { eventually } from '../contracts/revocation-bus.contract.ts';
import { redisServerSkipReason } from '../helpers/redis-server.ts';

const skip = redisServerSkipReason();

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A throwaway Redis: nothing on disk, resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    // Keep reading stdout for the child's whole life, so its log never blocks on a full pipe.
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', () => reject(new Error(`redis-server exited before it was ready: ${out}`)));
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

/** Asserts `run` rejects with StoreUnavailableError, and within `withinMs`. */
async function rejectsFast(run: () => Promise<unknown>, withinMs = 2_000): Promise<void> {
  const started = Date.now();
  await assert.rejects(run, StoreUnavailableError);
  const took = Date.now() - started;
  assert.ok(took < withinMs, `took ${took} ms`);
}

describe('Redis faults: a private redis-server killed, frozen and restarted', { skip }, () => {
  let port: number;
  let server: ChildProcess;
  let redis: RedisConnection;
  let stores: Stores;
  let durableReads = 0;
  const heard: RevocationMessage[] = [];
  const read = () => stores.sessions.getByKeyHash('hash1');

  before(async () => {
    port = await freePort();
    server = await startRedis(port);
    redis = await connectRedis(`redis://127.0.0.1:${port}`, { prefix: 'gh-fault:' });
    redis.bus.subscribe((m) => heard.push(m));
    const durable = createMemoryStores();
    const { getByKeyHash } = durable.sessions;
    durable.sessions.getByKeyHash = (keyHash) => {
      durableReads++;
      return getByKeyHash.call(durable.sessions, keyHash);
    };
    stores = createCachedStores(durable, redis.bus);
    const user = await stores.users.create({ username: 'alice', email: '', password: 'x', dateJoined: 0 });
    const now = Date.now();
    await stores.sessions.create({
      id: 's1',
      keyHash: 'hash1',
      userId: user.id,
      authHash: 'a',
      createdAt: now,
      lastSeenAt: now,
      ip: '',
      userAgent: '',
    });
  });
  after(async () => {
    await redis?.close();
    if (server) await stop(server);
  });

  test('while Redis is up: counters count, the bus delivers, the cache serves', async () => {
    assert.equal((await redis.counters.increment('k', 60_000)).count, 1);
    await redis.bus.publish({ kind: 'user', userId: 1 });
    await eventually(() => assert.deepEqual(heard, [{ kind: 'user', userId: 1 }]));
    await read();
    await read();
    assert.equal(durableReads, 1);
  });

  test('Redis killed: counter calls and publish reject with StoreUnavailableError fast, the cache stops serving', async () => {
    await stop(server);
    await rejectsFast(() => redis.counters.increment('k', 60_000));
    await rejectsFast(() => redis.counters.get('k'));
    await rejectsFast(() => redis.counters.reset('k'));
    await rejectsFast(() => redis.bus.publish({ kind: 'user', userId: 1 }));
    await rejectsFast(() => redis.ping());
    await eventually(() => assert.equal(redis.bus.healthy, false));
    const before = durableReads;
    await read();
    await read();
    assert.equal(durableReads, before + 2, 'every read goes to the durable store');
  });

  test('Redis restarted on the same port: healthy within 2 s; counters (emptied) and the cache work again', async () => {
    server = await startRedis(port);
    // The two connections reconnect on their own timers: both must be back.
    await eventually(async () => {
      assert.equal(redis.bus.healthy, true);
      await redis.ping();
    }, 2_000);
    assert.equal(
      (await redis.counters.increment('k', 60_000)).count,
      1,
      'a restarted Redis forgot the count',
    );
    await redis.bus.publish({ kind: 'user', userId: 2 });
    await eventually(() => assert.deepEqual(heard.at(-1), { kind: 'user', userId: 2 }));
    const before = durableReads;
    await read();
    await read();
    assert.equal(durableReads, before + 1);
  });

  test('Redis frozen (SIGSTOP): commands time out as StoreUnavailableError, the heartbeat marks the bus unhealthy', async () => {
    await eventually(() => redis.ping(), 2_000);
    server.kill('SIGSTOP');
    try {
      await rejectsFast(() => redis.counters.increment('frozen', 60_000));
      await eventually(() => assert.equal(redis.bus.healthy, false), 2_000);
      const before = durableReads;
      await read();
      await read();
      assert.equal(durableReads, before + 2, 'every read goes to the durable store');
    } finally {
      server.kill('SIGCONT');
    }
    await eventually(async () => {
      assert.equal(redis.bus.healthy, true);
      await redis.ping();
    }, 3_000);
    // The timed-out INCR reached Redis once it woke: a timeout can over-count, never under-count.
    assert.ok((await redis.counters.increment('frozen', 60_000)).count >= 1);
  });
});
