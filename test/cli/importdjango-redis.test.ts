/**
 * `gatehouse importdjango` on PostgreSQL with Redis: running servers cache
 * users, sessions and tokens, so what a re-run changes or ends in Gatehouse
 * because Django did is published on the revocation channel, and no server
 * serves its old copy. Heard here through a bus of our own on the channel.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { sha256Hex } from '../../src/internal/hash.ts';
import { connectRedis, type RedisConnection } from '../../src/stores/redis/index.ts';
import type { RevocationMessage } from '../../src/stores/types.ts';
import {
  createDjangoSqlite,
  djangoDateTime,
  djangoUser,
  insertSessions,
  insertTokens,
  insertUsers,
  sessionData,
} from '../helpers/django-sqlite.ts';
import { gatehouseCli } from '../helpers/import-django.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/postgres-database.ts';

const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `gh-test-${randomUUID()}:`;
const DJANGO_KEY = 'django-insecure-redis-announce-test-key';

async function skipReason(): Promise<string | false> {
  const pg = await postgresSkipReason();
  if (pg) return pg;
  if (process.env.GATEHOUSE_TEST_REDIS === '0') return 'GATEHOUSE_TEST_REDIS=0';
  if (process.env.GATEHOUSE_TEST_REDIS === '1') return false; // npm test found it: a failure is a failure
  try {
    await (await connectRedis(REDIS_URL, { prefix })).close();
    return false;
  } catch (error) {
    return `Redis not reachable at ${REDIS_URL} (${(error as Error).message})`;
  }
}

const skip = await skipReason();
let dir: string;
let django: DatabaseSync;
let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
let redis: RedisConnection | undefined;
const heard: RevocationMessage[] = [];

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-import-redis-'));
  django = createDjangoSqlite(join(dir, 'django.sqlite3'));
  database = await createTestDatabase();
  redis = await connectRedis(REDIS_URL, { prefix });
  redis.bus.subscribe((message) => heard.push(message));
});
after(async () => {
  django?.close();
  await redis?.close();
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a re-run publishes what it changed or ended because Django did; a first import has nothing to publish', {
  skip,
}, async () => {
  const users = [1, 2, 3].map((id) => djangoUser(id));
  insertUsers(django, users);
  const sessionKey = 'a'.repeat(32);
  const drfKey = 'b'.repeat(40);
  const expireDate = djangoDateTime(Date.now() + 86_400_000);
  insertSessions(django, [{ key: sessionKey, data: sessionData(users[0], DJANGO_KEY), expireDate }]);
  insertTokens(django, [{ key: drfKey, userId: 2 }]);
  const env = {
    DATABASE_URL: database!.url,
    REDIS_URL,
    GATEHOUSE_REDIS_PREFIX: prefix,
    SECRET_KEY: 'gatehouse-redis-announce-test-secret-key-32',
    DJANGO_SECRET_KEY: DJANGO_KEY,
  };
  const args = ['importdjango', join(dir, 'django.sqlite3')];
  const first = await gatehouseCli(args, env, dir);
  assert.equal(first.stdout, 'Imported 3 users, 1 tokens, 1 sessions (skipped 0).\n', first.stderr);
  assert.deepEqual(heard, []);

  // In Django: user 3 changes e-mail, user 2 is deleted (with its key), user 1 logs out.
  django.exec("UPDATE auth_user SET email = 'new@example.com' WHERE id = 3");
  django.exec('DELETE FROM authtoken_token');
  django.exec('DELETE FROM auth_user WHERE id = 2');
  django.exec('DELETE FROM django_session');
  const rerun = await gatehouseCli(args, env, dir);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.deepEqual(
    heard.map((m) => JSON.stringify(m)).sort(),
    [
      { kind: 'session', keyHash: sha256Hex(sessionKey) },
      { kind: 'token', keyHash: sha256Hex(drfKey) },
      { kind: 'user', userId: 2 },
      { kind: 'user', userId: 3 },
    ]
      .map((m) => JSON.stringify(m))
      .sort(),
  );
});
