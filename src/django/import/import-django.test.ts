/**
 * importDjango's rules, run by run, on real SQLite files: a Django-schema
 * file written directly (test/helpers/django-sqlite.ts, Django's formats)
 * and a Gatehouse file. Real Django is test/interop/import-django.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  createDjangoSqlite,
  djangoDateTime,
  djangoUser,
  insertRefreshTokens,
  insertSessions,
  insertTokens,
  insertUsers,
  sessionData,
} from '../../../test/helpers/django-sqlite.ts';
import { sha256Hex } from '../../internal/hash.ts';
import { SessionService } from '../../sessions/session-service.ts';
import type { ImportTarget } from '../../stores/import-target.ts';
import { openSqliteDjangoSource } from '../../stores/sqlite/django-source.ts';
import { openSqliteImportTarget } from '../../stores/sqlite/import-target.ts';
import { createSqliteStores, type SqliteStores } from '../../stores/sqlite/index.ts';
import { createFakeClock } from '../../testing/fake-clock.ts';
import { type ImportDjangoOptions, importDjango } from './import-django.ts';
import { detailLines, type SkippedRow, summaryLine } from './report.ts';

const DJANGO_KEY = 'django-insecure-unit-test-key-for-the-importer';
const GATEHOUSE_KEY = 'gatehouse-unit-test-secret-key-32-bytes-or-more';
const NOW = Date.UTC(2025, 0, 1);
const LATER = djangoDateTime(NOW + 7 * 86_400_000);
const DRF_KEY = (n: number) => n.toString(16).padStart(40, 'a');
const SESSION_KEY = (n: number) => `session${String(n).padStart(25, '0')}`;

let dir: string;
let django: DatabaseSync;
let djangoPath: string;
let ghPath: string;
let stores: SqliteStores;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-import-unit-'));
  djangoPath = join(dir, 'django.sqlite3');
  ghPath = join(dir, 'gatehouse.sqlite3');
  django = createDjangoSqlite(djangoPath);
  stores = createSqliteStores(ghPath);
});
afterEach(async () => {
  django.close();
  await stores.close();
  await rm(dir, { recursive: true, force: true });
});

/** One run of the import, batches of 3 (so paging is exercised), at NOW unless said. */
async function run(options: Partial<ImportDjangoOptions> & { path?: string } = {}) {
  const source = openSqliteDjangoSource(options.path ?? djangoPath);
  const target: ImportTarget = openSqliteImportTarget(ghPath, { readOnly: options.dryRun });
  const skipped: SkippedRow[] = [];
  const progress: string[] = [];
  try {
    const report = await importDjango(source, target, {
      djangoSecretKeys: [DJANGO_KEY],
      gatehouseSecretKey: GATEHOUSE_KEY,
      now: NOW,
      batchSize: 3,
      ...options,
      events: {
        skipped: (row) => skipped.push(row),
        progress: (table, done, total) => progress.push(`${table} ${done}/${total}`),
      },
    });
    return { report, skipped, progress, summary: summaryLine(report), details: detailLines(report) };
  } finally {
    await target.close();
    await source.close();
  }
}

/** Gatehouse's SessionService over the imported file, at `at`. */
function sessionsAt(at: number) {
  const clock = createFakeClock(at);
  return new SessionService({ store: stores.sessions, users: stores.users, secretKey: GATEHOUSE_KEY, clock });
}

const FIVE = [1, 2, 3, 4, 5].map((id) => djangoUser(id));

describe('a first import', () => {
  test('brings every user with its id and fields, in pages, and says how far it is', async () => {
    insertUsers(django, [...FIVE, djangoUser(9, { isStaff: true, lastLogin: '2024-06-01 10:00:00.999999' })]);
    const { summary, progress } = await run();
    assert.equal(summary, 'Imported 6 users, 0 tokens, 0 sessions (skipped 0).');
    assert.deepEqual(progress, ['auth_user 3/6', 'auth_user 6/6']);
    const nine = await stores.users.getById(9);
    assert.deepEqual(
      [nine?.username, nine?.email, nine?.isStaff, nine?.lastLogin, nine?.dateJoined],
      [
        'user9',
        'user9@example.com',
        true,
        Date.UTC(2024, 5, 1, 10, 0, 0, 999),
        Date.UTC(2024, 0, 2, 3, 4, 5, 678),
      ],
    );
    const next = await stores.users.create({ username: 'new', email: '', password: 'x', dateJoined: 0 });
    assert.equal(next.id, 10, 'a sign-up after the import takes the next id');
  });

  test('a Gatehouse user already holding a Django id or username is never merged, and no Django credential goes to it', async () => {
    const mallory = await stores.users.create({
      username: 'mallory',
      email: '',
      password: 'x',
      dateJoined: 0,
    });
    await stores.users.create({ username: 'user2', email: '', password: 'x', dateJoined: 0 });
    insertUsers(django, [djangoUser(mallory.id), djangoUser(3, { username: 'user2' })]);
    insertTokens(django, [{ key: DRF_KEY(1), userId: mallory.id }]);
    insertSessions(django, [
      { key: SESSION_KEY(1), data: sessionData(djangoUser(mallory.id), DJANGO_KEY), expireDate: LATER },
    ]);
    const { summary, skipped } = await run();
    assert.equal(summary, 'Imported 0 users, 0 tokens, 0 sessions (skipped 4).');
    assert.deepEqual(
      skipped.map((s) => `${s.table} ${s.why}`),
      [
        'auth_user Gatehouse already has a user with this id',
        'auth_user Gatehouse user 2 has this username',
        'authtoken_token user 1 was not imported',
        'django_session user 1 was not imported',
      ],
    );
    assert.equal(await stores.tokens.getByKeyHash(sha256Hex(DRF_KEY(1))), null);
    assert.equal(await stores.sessions.getByKeyHash(sha256Hex(SESSION_KEY(1))), null);
  });

  test('--dry-run decides exactly what the run then does, and writes nothing', async () => {
    insertUsers(django, FIVE);
    insertTokens(django, [{ key: DRF_KEY(1), userId: 1 }]);
    insertSessions(django, [
      { key: SESSION_KEY(1), data: sessionData(FIVE[0], DJANGO_KEY), expireDate: LATER },
    ]);
    const dry = await run({ dryRun: true });
    assert.equal(dry.summary, 'Would import 5 users, 1 tokens, 1 sessions (skipped 0).');
    assert.deepEqual(await stores.users.list(), []);
    const real = await run();
    assert.equal(real.summary, dry.summary.replace('Would import', 'Imported'));
  });

  test('a Django database without users, after earlier imports brought some, is refused (the wrong database)', async () => {
    insertUsers(django, FIVE);
    await run();
    const empty = join(dir, 'empty.sqlite3');
    createDjangoSqlite(empty).close();
    await assert.rejects(run({ path: empty }), {
      name: 'ConfigurationError',
      message: `SQLite file ${empty} has no users, yet earlier imports brought some: is DJANGO_DATABASE_URL right?`,
    });
    assert.equal((await stores.users.list()).filter((u) => u.isActive).length, 5);
  });
});

describe('a re-run', () => {
  test('takes each field Django changed since, and keeps each field Gatehouse changed since', async () => {
    insertUsers(django, FIVE);
    await run();
    // Gatehouse: user1 logged in (new last_login, upgraded hash). Django: user1's e-mail and staff flag.
    await stores.users.update(1, {
      password: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      lastLogin: NOW,
    });
    django.exec("UPDATE auth_user SET email = 'new@example.com', is_staff = 1 WHERE id = 1");
    const { summary, report } = await run();
    assert.equal(summary, 'Imported 1 users, 0 tokens, 0 sessions (skipped 0).');
    assert.deepEqual(report.changedUserIds, [1]);
    const one = await stores.users.getById(1);
    assert.deepEqual(
      [one?.email, one?.isStaff, one?.password, one?.lastLogin],
      ['new@example.com', true, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', NOW],
    );
    assert.equal((await run()).summary, 'Imported 0 users, 0 tokens, 0 sessions (skipped 0).');
  });

  test('a password changed in Django ends the sessions made before it, and brings the ones made after', async () => {
    insertUsers(django, FIVE);
    insertSessions(django, [
      { key: SESSION_KEY(1), data: sessionData(FIVE[0], DJANGO_KEY), expireDate: LATER },
    ]);
    await run();
    assert.equal((await sessionsAt(NOW).resolve(SESSION_KEY(1)))?.user.id, 1);
    const changed = { ...FIVE[0], password: 'md5$salt$0123456789abcdef0123456789abcdef' };
    django.prepare('UPDATE auth_user SET password = ? WHERE id = 1').run(changed.password);
    insertSessions(django, [
      { key: SESSION_KEY(2), data: sessionData(changed, DJANGO_KEY), expireDate: LATER },
    ]);
    const { summary, skipped, details } = await run();
    assert.equal(summary, 'Imported 1 users, 0 tokens, 1 sessions (skipped 1).');
    assert.match(skipped[0].why, /^stale/);
    assert.deepEqual(details, ['Ended 1 session that Django no longer has or honours.']);
    assert.equal(await sessionsAt(NOW).resolve(SESSION_KEY(1)), null);
    assert.equal((await sessionsAt(NOW).resolve(SESSION_KEY(2)))?.user.id, 1);
  });

  test('a logout in Django (its session deleted) ends the session here; a logout here is never undone', async () => {
    insertUsers(django, FIVE);
    const sessions = [1, 2].map((n) => ({
      key: SESSION_KEY(n),
      data: sessionData(FIVE[n - 1], DJANGO_KEY),
      expireDate: LATER,
    }));
    insertSessions(django, sessions);
    await run();
    await sessionsAt(NOW).destroy(SESSION_KEY(2)); // logged out in Gatehouse
    django.prepare('DELETE FROM django_session WHERE session_key = ?').run(SESSION_KEY(1)); // logged out in Django
    const { report, summary } = await run();
    assert.equal(summary, 'Imported 0 users, 0 tokens, 0 sessions (skipped 0).');
    assert.deepEqual(report.endedSessionKeyHashes, [sha256Hex(SESSION_KEY(1))]);
    for (const n of [1, 2]) assert.equal(await sessionsAt(NOW).resolve(SESSION_KEY(n)), null);
  });

  test('a session whose expire_date Django moved on lives to the new end, and never past it', async () => {
    insertUsers(django, FIVE);
    const data = sessionData(FIVE[0], DJANGO_KEY);
    insertSessions(django, [{ key: SESSION_KEY(1), data, expireDate: djangoDateTime(NOW + 60_000) }]);
    await run();
    assert.equal((await stores.sessions.getByKeyHash(sha256Hex(SESSION_KEY(1))))?.expiresAt, NOW + 60_000);
    django.prepare('UPDATE django_session SET expire_date = ?').run(djangoDateTime(NOW + 120_000));
    assert.equal((await run()).summary, 'Imported 0 users, 0 tokens, 1 sessions (skipped 0).');
    assert.notEqual(await sessionsAt(NOW + 119_999).resolve(SESSION_KEY(1)), null);
    assert.equal(await sessionsAt(NOW + 120_000).resolve(SESSION_KEY(1)), null);
  });

  test('a DRF key deleted in Django ends here; one revoked here is not brought back', async () => {
    insertUsers(django, FIVE);
    insertTokens(
      django,
      [1, 2].map((n) => ({ key: DRF_KEY(n), userId: n })),
    );
    await run();
    const revoked = await stores.tokens.getByKeyHash(sha256Hex(DRF_KEY(2)));
    await stores.tokens.delete(revoked!.id, 2);
    django.prepare('DELETE FROM authtoken_token WHERE key = ?').run(DRF_KEY(1));
    const { summary, details } = await run();
    assert.equal(summary, 'Imported 0 users, 0 tokens, 0 sessions (skipped 0).');
    assert.deepEqual(details, ['Ended 1 token that Django no longer has or honours.']);
    for (const n of [1, 2]) assert.equal(await stores.tokens.getByKeyHash(sha256Hex(DRF_KEY(n))), null);
  });

  test('a user deleted in Django is deactivated here, once, never deleted', async () => {
    insertUsers(django, FIVE);
    await run();
    django.exec('DELETE FROM auth_user WHERE id = 5');
    const { details, report } = await run();
    assert.deepEqual(details, ['Deactivated 1 user deleted in Django since the last run.']);
    assert.deepEqual(report.changedUserIds, [5]);
    assert.equal((await stores.users.getById(5))?.isActive, false);
    assert.deepEqual((await run()).details, []);
  });

  test('a refresh token blacklisted in Django since is blacklisted here, unless Gatehouse used it already', async () => {
    insertUsers(django, FIVE);
    const later = djangoDateTime(NOW + 86_400_000);
    insertRefreshTokens(django, [
      { id: 1, jti: 'a'.repeat(32), userId: 1, expiresAt: later },
      { id: 2, jti: 'b'.repeat(32), userId: 1, expiresAt: later },
      { id: 3, jti: 'c'.repeat(32), userId: 1, expiresAt: later, blacklisted: true },
      { id: 4, jti: 'd'.repeat(32), userId: 1, expiresAt: djangoDateTime(NOW) },
    ]);
    const first = await run();
    assert.deepEqual(first.details, ['Imported 3 refresh tokens.']);
    assert.deepEqual(first.skipped, [
      { table: 'token_blacklist_outstandingtoken', ref: `id=4 jti=${'d'.repeat(32)}`, why: 'expired' },
    ]);
    assert.equal((await stores.refreshTokens.consume('b'.repeat(32))).status, 'consumed');
    assert.equal((await stores.refreshTokens.inspect('c'.repeat(32))).status, 'spent');
    django.exec(
      "INSERT INTO token_blacklist_blacklistedtoken (blacklisted_at, token_id) VALUES ('2025-01-01 00:00:00', 1), ('2025-01-01 00:00:00', 2)",
    );
    assert.deepEqual((await run()).details, ['Imported 1 refresh token.']);
    assert.equal((await stores.refreshTokens.consume('a'.repeat(32))).status, 'spent');
  });
});
