/**
 * PostgreSQL failures, on a private cluster this file starts on a free port
 * (and deletes after): the server stopping, a statement stuck on a lock, a
 * pool with no free connection, a server with no free slot. Each must reject
 * with StoreUnavailableError within its timeout, never hang, and the same
 * stores must work again once the server is back. Skipped when PostgreSQL's
 * binaries are missing or GATEHOUSE_TEST_POSTGRES is '0'.
 *
 * ```sh
 * node --test test/faults/postgres-fault.test.ts
 * ```
 */
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { StoreUnavailableError } from '../../src/errors.ts';
import { createPostgresStores } from '../../src/stores/postgres/index.ts';
import type { Stores } from '../../src/stores/types.ts';
import { privateCluster, skipReason } from '../helpers/pg-cluster.ts';

/** Asserts that `operation` rejects with StoreUnavailableError within `withinMs`, caused by `sqlstate` if given. */
async function rejectsUnavailable(
  operation: Promise<unknown>,
  withinMs: number,
  sqlstate?: string,
): Promise<void> {
  const started = performance.now();
  await assert.rejects(operation, (error: unknown) => {
    assert.ok(error instanceof StoreUnavailableError, String(error));
    if (sqlstate) assert.equal((error.cause as { code?: string }).code, sqlstate);
    return true;
  });
  const took = performance.now() - started;
  assert.ok(took < withinMs, `took ${Math.round(took)} ms, more than ${withinMs} ms`);
}

test('a server that accepts the connection but never answers is given up on after connectTimeoutMs', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  try {
    await rejectsUnavailable(
      createPostgresStores(`postgres://u@127.0.0.1:${port}/db`, { connectTimeoutMs: 300 }),
      1000,
    );
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

const reason = await skipReason();
describe('PostgreSQL faults become StoreUnavailableError, and the pool recovers', { skip: reason }, () => {
  let cluster: Awaited<ReturnType<typeof privateCluster>>;
  let stores: Stores;
  before(async () => {
    cluster = await privateCluster('-c max_connections=8 -c max_wal_senders=0');
    await cluster.start();
    stores = await createPostgresStores(cluster.url, { statementTimeoutMs: 2000, connectTimeoutMs: 2000 });
  });
  after(async () => {
    await stores?.close();
    await cluster?.remove();
  });

  const newUser = (username: string) => ({ username, email: '', password: 'x', dateJoined: 0 });

  test('a stopped server makes every operation reject quickly; a restarted one is used again', async () => {
    const alice = await stores.users.create(newUser('alice'));
    await stores.refreshTokens.startFamily(
      { id: 'f1', userId: alice.id, bornAt: 0 },
      { jti: 'j1', familyId: 'f1', userId: alice.id, expiresAt: 1e12 },
    );
    await cluster.stop();
    await rejectsUnavailable(stores.ping(), 3000);
    await rejectsUnavailable(stores.users.getById(alice.id), 3000);
    await rejectsUnavailable(stores.refreshTokens.consume('j1'), 3000);
    await rejectsUnavailable(stores.counters.increment('k', 60_000), 3000);
    await rejectsUnavailable(stores.sessions.deleteByUser(alice.id), 3000);

    await cluster.start();
    const back = performance.now();
    assert.deepEqual(await stores.users.getById(alice.id), alice);
    assert.equal((await stores.refreshTokens.consume('j1')).status, 'consumed');
    await stores.ping();
    assert.ok(performance.now() - back < 2000, 'the same stores answer within 2 s of the restart');
  });

  test('a statement in flight when the server dies rejects at once', async () => {
    const user = await stores.users.create(newUser('inflight'));
    await stores.refreshTokens.startFamily(
      { id: 'f4', userId: user.id, bornAt: 0 },
      { jti: 'j4', familyId: 'f4', userId: user.id, expiresAt: 1e12 },
    );
    const holder = new pg.Client({ connectionString: cluster.url });
    holder.on('error', () => {}); // it dies with the server too
    await holder.connect();
    await holder.query("BEGIN; SELECT * FROM gatehouse_refresh_tokens WHERE jti = 'j4' FOR UPDATE");
    // Checked from the start, so the rejection is handled the moment it comes; the stop takes ~0.1 s.
    const inFlight = rejectsUnavailable(stores.refreshTokens.consume('j4'), 1500);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let it reach the server and wait on the lock
    await cluster.stop();
    await inFlight;
    await holder.end().catch(() => {});
    await cluster.start();
    assert.equal((await stores.refreshTokens.consume('j4')).status, 'consumed');
  });

  test('a statement stuck on a lock is cancelled by statement_timeout (57014)', async () => {
    const quick = await createPostgresStores(cluster.url, { statementTimeoutMs: 200 });
    const user = await quick.users.create(newUser('locked'));
    await quick.refreshTokens.startFamily(
      { id: 'f2', userId: user.id, bornAt: 0 },
      { jti: 'j2', familyId: 'f2', userId: user.id, expiresAt: 1e12 },
    );
    const holder = new pg.Client({ connectionString: cluster.url });
    await holder.connect();
    try {
      await holder.query("BEGIN; SELECT * FROM gatehouse_refresh_tokens WHERE jti = 'j2' FOR UPDATE");
      await rejectsUnavailable(quick.refreshTokens.consume('j2'), 1000, '57014');
    } finally {
      await holder.end();
    }
    assert.equal((await quick.refreshTokens.consume('j2')).status, 'consumed');
    await quick.close();
  });

  test('waiting for a free pool connection gives up after connectTimeoutMs', async () => {
    const tiny = await createPostgresStores(cluster.url, { poolSize: 1, connectTimeoutMs: 200 });
    const user = await tiny.users.create(newUser('pool'));
    await tiny.refreshTokens.startFamily(
      { id: 'f3', userId: user.id, bornAt: 0 },
      { jti: 'j3', familyId: 'f3', userId: user.id, expiresAt: 1e12 },
    );
    const holder = new pg.Client({ connectionString: cluster.url });
    await holder.connect();
    await holder.query("BEGIN; SELECT * FROM gatehouse_refresh_tokens WHERE jti = 'j3' FOR UPDATE");
    const stuck = tiny.refreshTokens.consume('j3'); // holds the pool's only connection
    await rejectsUnavailable(tiny.ping(), 1000);
    await holder.end(); // releases the lock: the stuck consume now wins
    assert.equal((await stuck).status, 'consumed');
    await tiny.ping();
    await tiny.close();
  });

  test('a server that stops answering mid-query is given up on by the client-side read timeout', async () => {
    const app = 'gh_frozen';
    const frozen = await createPostgresStores(`${cluster.url}?application_name=${app}`, {
      poolSize: 1,
      statementTimeoutMs: 200,
    });
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [app]);
    await admin.end();
    // A stopped backend cannot enforce statement_timeout: only the client's own timer ends the wait.
    for (const { pid } of rows) process.kill(pid, 'SIGSTOP');
    try {
      await rejectsUnavailable(frozen.ping(), 2000);
    } finally {
      for (const { pid } of rows) process.kill(pid, 'SIGCONT');
    }
    await frozen.ping(); // on a new connection: the frozen one was discarded
    await frozen.close();
  });

  test('a server with no free connection slot ("too many clients") is unavailable', async () => {
    const hogs: pg.Client[] = [];
    try {
      for (;;) {
        const client = new pg.Client({ connectionString: cluster.url });
        hogs.push(client);
        await client.connect(); // eventually: 53300 sorry, too many clients already
      }
    } catch (error) {
      assert.equal((error as { code?: string }).code, '53300');
    }
    await rejectsUnavailable(createPostgresStores(cluster.url), 3000, '53300');
    await Promise.all(hogs.map((c) => c.end().catch(() => {})));
  });
});
