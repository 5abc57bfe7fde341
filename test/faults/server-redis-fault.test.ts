import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { obtainToken, registerAndLogin } from '../helpers/accounts.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

// The reference server on PostgreSQL with a private Redis that is killed and restarted mid-run.
const PG_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const skip =
  process.env.GATEHOUSE_TEST_POSTGRES === '0' || process.env.GATEHOUSE_TEST_REDIS === '0'
    ? 'needs PostgreSQL and redis-server'
    : false;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function redisUp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function spawnRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawnRedis(port);
  for (let i = 0; i < 100; i++) {
    if (await redisUp(port)) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not start');
}

function stopRedis(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

describe('Redis goes away mid-traffic and comes back', { skip }, () => {
  const database = `gh_fault_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  let redisPort: number;
  let redis: ChildProcess;
  let server: RunningServer;
  let session: string;
  let token: string;

  before(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    server = await startServer({ DATABASE_URL: url.toString(), REDIS_URL: `redis://127.0.0.1:${redisPort}` });
    ({ session } = await registerAndLogin(server.url, 'alice', 'Pw-12345678'));
    token = await obtainToken(server.url, 'alice', 'Pw-12345678');
  });

  after(async () => {
    await server?.stop();
    if (redis) await stopRedis(redis);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  test('with Redis down, logins answer 503 quickly; nothing answers 500; it recovers within 2 s of Redis returning', async () => {
    const dashboard = () =>
      fetch(`${server.url}/api/dashboard/`, { headers: { cookie: `sessionid=${session}` } });
    assert.equal((await dashboard()).status, 200);
    await stopRedis(redis);

    const body = JSON.stringify({ username: 'alice', password: 'Pw-12345678' });
    const login = await timed(() =>
      fetch(`${server.url}/api/token/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }),
    );
    assert.equal(login.value.status, 503);
    assert.equal(await login.value.text(), '{"detail":"Service temporarily unavailable."}');
    assert.ok(login.ms < 3000, `answered in ${login.ms} ms`);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 503);
    // Lookups go to PostgreSQL while the revocation signal is lost (the cache stops serving): still correct.
    for (const res of [
      await dashboard(),
      await fetch(`${server.url}/api/profile/`, { headers: { authorization: `Token ${token}` } }),
    ]) {
      assert.ok(res.status === 200 || res.status === 503, `status ${res.status}`);
    }

    redis = spawnRedis(redisPort);
    const back = performance.now();
    let recovered = Number.POSITIVE_INFINITY;
    while (performance.now() - back < 5000) {
      const res = await fetch(`${server.url}/api/token/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (res.status === 200) {
        recovered = performance.now() - back;
        break;
      }
      assert.equal(res.status, 503);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(recovered < 2000, `recovered after ${recovered} ms`);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    // A Redis that came back empty lost throttle counts only: the session and token still work.
    assert.equal((await dashboard()).status, 200);
    assert.equal(
      (await fetch(`${server.url}/api/profile/`, { headers: { authorization: `Token ${token}` } })).status,
      200,
    );
  });
});
