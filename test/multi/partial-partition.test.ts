/**
 * Security finding 9: a partial partition. Instance A reaches Redis through
 * a proxy that the test cuts (a black hole: connections stay open, nothing
 * gets through), B reaches it directly and keeps its lease. A logout on A
 * cannot be signalled to B, so it must answer only once B cannot serve the
 * session any more; its retry, finding the row gone, must signal again.
 *
 * ```sh
 * node --test test/multi/partial-partition.test.ts   # PostgreSQL at 127.0.0.1:5432, redis-server on PATH
 * ```
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { register } from '../helpers/accounts.ts';
import { Browser } from '../helpers/browser.ts';
import { type RedisServer, redisServerSkipReason, startRedisServer } from '../helpers/redis-server.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { type Observation, untilHealthy, watchAndLogout } from './watch-logout.ts';

const PG_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const skip =
  process.env.GATEHOUSE_TEST_POSTGRES === '0' || process.env.GATEHOUSE_TEST_REDIS === '0'
    ? 'needs PostgreSQL and redis-server'
    : redisServerSkipReason();

const SESSIONS = 3;
const REFUSED = '{"detail":"Authentication credentials were not provided."}';
const LOGGED_OUT = { status: 200, text: '{"message":"Logged out"}' };

function assertRefusedAfterAnswer(observed: Observation[]): void {
  for (const { logout, afterAnswer } of observed) {
    assert.ok(afterAnswer.length >= 2, 'asked both instances after the answer');
    for (const seen of afterAnswer) {
      assert.deepEqual(
        seen,
        { ...seen, status: 403, text: REFUSED },
        `accepted on ${seen.where} after the logout answered ${logout.status}`,
      );
    }
  }
}

/** A second browser holding the same cookies (the retry after the first one's jar was cleared). */
function copyOf(browser: Browser): Browser {
  const copy = new Browser();
  for (const [name, value] of browser.jar) copy.jar.set(name, value);
  return copy;
}

describe('finding 9: A cut off from Redis, B not; one PostgreSQL', { skip }, () => {
  const database = `gh_partition_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  let redis: RedisServer;
  let proxy: TcpProxy;
  let a: RunningServer;
  let b: RunningServer;
  let users = 0;

  before(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    redis = await startRedisServer();
    proxy = await startTcpProxy(redis.port);
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    const env = {
      DATABASE_URL: url.toString(),
      SECRET_KEY: randomBytes(32).toString('base64url'),
      GATEHOUSE_SECURITY_LOG: 'off',
    };
    [a, b] = await Promise.all([
      startServer({ ...env, REDIS_URL: `redis://127.0.0.1:${proxy.port}` }),
      startServer({ ...env, REDIS_URL: redis.url }),
    ]);
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await proxy?.close();
    await redis?.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  /** A fresh user logged in on B, its session cached on B (asked twice) and known to A. */
  async function cachedOnB(): Promise<Browser> {
    const username = `user${users++}`;
    await register(b.url, username, 'Pw-12345678');
    const browser = new Browser();
    await browser.login(b.url, username);
    for (const base of [b.url, b.url, a.url]) {
      assert.equal((await browser.send(base, 'GET', '/api/dashboard/')).status, 200);
    }
    return browser;
  }

  test('a logout on the cut-off instance is refused on B from the moment it answers; so is its retry', async () => {
    await untilHealthy([a.url, b.url]);
    const browsers: Browser[] = [];
    for (let i = 0; i < SESSIONS; i++) browsers.push(await cachedOnB());
    const retries = browsers.map(copyOf);
    proxy.cut();
    let first: Observation[];
    let again: Observation[];
    try {
      first = await Promise.all(browsers.map((browser) => watchAndLogout(browser, a.url, [a.url, b.url])));
      // The retry finds the row gone: it must signal again, and answer only once that is in force too.
      again = await Promise.all(retries.map((browser) => watchAndLogout(browser, a.url, [a.url, b.url])));
    } finally {
      proxy.heal();
    }
    assertRefusedAfterAnswer([...first, ...again]);
    for (const { logout } of [...first, ...again]) assert.deepEqual(logout, LOGGED_OUT);
  });

  test('a logout that finds no row signals again: B drops the copy it still serves before the logout answers', async () => {
    await untilHealthy([a.url, b.url]);
    const pgUrl = new URL(PG_URL);
    pgUrl.pathname = `/${database}`;
    const db = new pg.Client({ connectionString: pgUrl.toString() });
    await db.connect();
    try {
      let browser: Browser;
      // The revocation whose signal was lost: the row deleted in PostgreSQL, no message sent (an
      // instance that died between the two). B keeps serving its copy; retried until it is seen to.
      for (let attempt = 0; ; attempt++) {
        browser = await cachedOnB();
        const keyHash = createHash('sha256').update(browser.jar.get('sessionid')!).digest('hex');
        assert.equal(
          (await db.query('DELETE FROM gatehouse_sessions WHERE key_hash = $1', [keyHash])).rowCount,
          1,
        );
        if ((await browser.send(b.url, 'GET', '/api/dashboard/')).status === 200) break;
        assert.ok(attempt < 3, 'B never served the copy it had cached');
      }
      const observed = await watchAndLogout(browser, a.url, [a.url, b.url]);
      assertRefusedAfterAnswer([observed]);
      assert.deepEqual(observed.logout, LOGGED_OUT);
    } finally {
      await db.end();
    }
  });
});
