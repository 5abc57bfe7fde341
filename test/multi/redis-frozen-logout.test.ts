/**
 * Issue 14's finding: Redis frozen (SIGSTOP) right before a logout on
 * instance A, two instances on one PostgreSQL. B's cache must not accept the
 * session once A's logout has answered — whatever it answered — and B must
 * keep answering from PostgreSQL while Redis is frozen.
 *
 * ```sh
 * node --test test/multi/redis-frozen-logout.test.ts   # PostgreSQL at 127.0.0.1:5432, redis-server on PATH
 * ```
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { register } from '../helpers/accounts.ts';
import { Browser } from '../helpers/browser.ts';
import { type RedisServer, redisServerSkipReason, startRedisServer } from '../helpers/redis-server.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';
import { type Observation, untilHealthy, watchAndLogout } from './watch-logout.ts';

const PG_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const skip =
  process.env.GATEHOUSE_TEST_POSTGRES === '0' || process.env.GATEHOUSE_TEST_REDIS === '0'
    ? 'needs PostgreSQL and redis-server'
    : redisServerSkipReason();

const ROUNDS = 3;
const SESSIONS = 4;

describe('Redis frozen (SIGSTOP) right before a logout on A; A and B on one PostgreSQL', { skip }, () => {
  const database = `gh_frozen_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  let redis: RedisServer;
  let a: RunningServer;
  let b: RunningServer;

  before(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    redis = await startRedisServer();
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    const env = {
      DATABASE_URL: url.toString(),
      REDIS_URL: redis.url,
      SECRET_KEY: randomBytes(32).toString('base64url'),
      GATEHOUSE_SECURITY_LOG: 'off',
    };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    for (let i = 0; i < SESSIONS; i++) await register(a.url, `user${i}`, 'Pw-12345678');
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  test('the logged-out session is refused on both instances from the moment the logout answers', async () => {
    const observed: Observation[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await untilHealthy([a.url, b.url]);
      const browsers = Array.from({ length: SESSIONS }, () => new Browser());
      for (const [i, browser] of browsers.entries()) {
        await browser.login(a.url, `user${i}`);
        // B loads the session into its cache (and serves it from there on the second request).
        for (const base of [b.url, b.url, a.url]) {
          assert.equal((await browser.send(base, 'GET', '/api/dashboard/')).status, 200);
        }
      }
      redis.process.kill('SIGSTOP');
      try {
        // The freeze lands at a different point of the heartbeat cycle each round.
        await new Promise((resolve) => setTimeout(resolve, round * 70));
        const results = await Promise.all(
          browsers.map((browser) => watchAndLogout(browser, a.url, [a.url, b.url])),
        );
        observed.push(...results);
      } finally {
        redis.process.kill('SIGCONT');
      }
    }
    for (const { logout, afterAnswer } of observed) {
      assert.ok(afterAnswer.length >= 2, 'asked both instances after the answer');
      for (const seen of afterAnswer) {
        assert.deepEqual(
          seen,
          { ...seen, status: 403, text: '{"detail":"Authentication credentials were not provided."}' },
          `accepted on ${seen.where} after the logout answered ${logout.status}`,
        );
      }
    }
    // What it answered (our choice, docs/stores.md): the logout is in force everywhere by then, so 200.
    for (const { logout } of observed)
      assert.deepEqual(logout, { status: 200, text: '{"message":"Logged out"}' });
  });
});
