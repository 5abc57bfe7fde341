/**
 * The Django fixture builder (test/interop/django-project/build.py) and the
 * framework-free Django primitives read against the database it builds: what
 * `npx gatehouse importdjango` will stand on.
 */
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { checkResetToken } from '../../src/accounts/password-reset-token.ts';
import { decodeUid } from '../../src/accounts/uidb64.ts';
import { matchSessionAuthHash } from '../../src/django/session-auth-hash.ts';
import { decodeSessionData } from '../../src/django/session-data.ts';
import { PasswordHashers } from '../../src/passwords/password-hashers.ts';
import {
  buildDjangoProject,
  DJANGO_SKIP,
  type DjangoManifest,
  type DjangoProject,
} from '../helpers/django.ts';

const CI = process.env.CI === 'true';

/** Django's `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC under USE_TZ) as epoch milliseconds. */
function djangoUtc(text: string | null): number | null {
  return text === null ? null : Date.parse(`${text.replace(' ', 'T').slice(0, 23)}Z`);
}

function assertShape(manifest: DjangoManifest): void {
  assert.match(manifest.versions.django, /^3\.2\.\d+$/);
  assert.match(manifest.versions.rest_framework, /^3\.\d+\.\d+$/);
  const expected = ['pbkdf2_sha256', 'pbkdf2_sha1', 'md5', 'sha1', 'unsalted_md5', 'unsalted_sha1'];
  // Under CI the whole set must be there: python3-argon2 and python3-bcrypt are part of the CI image.
  if (CI) expected.push('argon2', 'bcrypt_sha256', 'bcrypt', 'crypt');
  for (const hasher of expected) assert.ok(manifest.hashers.includes(hasher), hasher);
  for (const hasher of manifest.hashers) {
    assert.equal(manifest.users.find((u) => u.username === `user_${hasher}`)?.hasher, hasher);
  }
  assert.equal(new Set(manifest.users.map((u) => u.username)).size, manifest.users.length);
  for (const user of manifest.users) {
    assert.equal(typeof user.id, 'number');
    assert.equal(typeof user.loginWorks, 'boolean');
  }
  for (const token of manifest.tokens) assert.match(token.key, /^[0-9a-f]{40}$/);
  assert.deepEqual([...new Set(manifest.sessions.map((s) => s.why))].sort(), [
    'anonymous',
    'expired',
    'inactive',
    'live',
    'old-key',
    'stale',
  ]);
  for (const session of manifest.sessions) assert.match(session.key, /^[a-z0-9]{32}$/);
  assert.deepEqual(
    manifest.refreshTokens.map((r) => [r.why, r.works]),
    [
      ['outstanding', true],
      ['blacklisted', false],
    ],
  );
  for (const refresh of manifest.refreshTokens)
    assert.match(refresh.token, /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{43}$/);
  for (const reset of manifest.passwordResets) {
    assert.match(reset.uid, /^[A-Za-z0-9_-]+$/);
    assert.match(reset.token, /^[0-9a-z]+-[0-9a-f]{32}$/);
  }
}

describe('the Django fixture (SQLite)', { skip: DJANGO_SKIP }, () => {
  let project: DjangoProject;
  let db: DatabaseSync;
  before(async () => {
    project = await buildDjangoProject();
    db = new DatabaseSync(new URL(project.databaseUrl.replace('sqlite://', 'file://')).pathname, {
      readOnly: true,
    });
  });
  after(async () => {
    db?.close();
    await project?.cleanup();
  });

  test('the manifest names Django 3.2 and lists users, keys, sessions, refresh tokens and reset links', () => {
    assertShape(project.manifest);
  });

  test('the database holds what the manifest lists', () => {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const { manifest } = project;
    assert.equal(count('auth_user'), manifest.users.length);
    assert.equal(count('authtoken_token'), manifest.tokens.length);
    assert.equal(count('django_session'), manifest.sessions.length);
    assert.equal(count('token_blacklist_outstandingtoken'), 2);
    assert.equal(count('token_blacklist_blacklistedtoken'), 1);
  });

  test("every auth_user password logs in (or not) with Gatehouse's hashers as the manifest says", async () => {
    const hashers = new PasswordHashers();
    for (const user of project.manifest.users) {
      const row = db.prepare('SELECT password, is_active FROM auth_user WHERE id = ?').get(user.id) as {
        password: string;
        is_active: number;
      };
      assert.equal(row.password, user.encoded);
      const { valid, mustUpdate } = await hashers.verify(user.password ?? '', row.password);
      assert.equal(valid && row.is_active === 1, user.loginWorks, user.username);
      if (valid) assert.equal(mustUpdate, true, user.username);
    }
  });

  test('every django_session row decodes, and holds, exactly as the manifest says', () => {
    const { manifest } = project;
    const secrets = [manifest.secretKey, manifest.oldSecretKey];
    const now = Date.now();
    for (const session of manifest.sessions) {
      const row = db
        .prepare('SELECT session_data, expire_date FROM django_session WHERE session_key = ?')
        .get(session.key) as { session_data: string; expire_date: string };
      const decoded = decodeSessionData(row.session_data, { secretKeys: secrets });
      assert.ok(decoded.ok, session.why);
      assert.equal(decoded.format, 'signed');
      assert.equal(decoded.keyIndex, session.why === 'old-key' ? 1 : 0, session.why);
      assert.equal(
        decoded.backend ?? null,
        session.user === null ? null : 'django.contrib.auth.backends.ModelBackend',
      );
      const user =
        decoded.userId === null
          ? undefined
          : (db
              .prepare('SELECT username, password, is_active FROM auth_user WHERE id = ?')
              .get(Number(decoded.userId)) as { username: string; password: string; is_active: number });
      assert.equal(user?.username ?? null, session.user, session.why);
      const live =
        user !== undefined &&
        user.is_active === 1 &&
        (djangoUtc(row.expire_date) as number) > now &&
        matchSessionAuthHash(decoded.authHash, user.password, { secrets, legacySha1: true }) >= 0;
      assert.equal(live, session.works, session.why);
      // Without the old key, the old-key session is unreadable: Django 3.2 has no fallbacks.
      const currentOnly = decodeSessionData(row.session_data, { secretKeys: [manifest.secretKey] });
      assert.equal(currentOnly.ok, session.why !== 'old-key');
    }
  });

  test("Django's reset links check with checkResetToken, and a login since voids one", () => {
    const { manifest } = project;
    for (const reset of manifest.passwordResets) {
      const id = decodeUid(reset.uid);
      const row = db
        .prepare('SELECT id, password, last_login, email FROM auth_user WHERE id = ?')
        .get(Number(id)) as {
        id: number;
        password: string;
        last_login: string | null;
        email: string;
      };
      const user = {
        id: row.id,
        password: row.password,
        lastLogin: djangoUtc(row.last_login),
        email: row.email,
      };
      const options = { secrets: [manifest.secretKey], now: Date.now(), timeZone: manifest.timeZone };
      assert.equal(checkResetToken(user, reset.token, options), reset.works, reset.why);
      assert.equal(
        checkResetToken(user, reset.token, { ...options, secrets: [manifest.oldSecretKey] }),
        false,
      );
    }
  });
});

const PG_SKIP = DJANGO_SKIP || (process.env.GATEHOUSE_TEST_POSTGRES === '0' && 'PostgreSQL not available');

describe('the Django fixture (PostgreSQL)', { skip: PG_SKIP }, () => {
  test('build.py migrates and fills a PostgreSQL database through Django’s postgresql backend', async () => {
    const project = await buildDjangoProject({ postgres: true, timeZone: 'Europe/Paris' });
    try {
      assertShape(project.manifest);
      assert.equal(project.manifest.timeZone, 'Europe/Paris');
      const client = new pg.Client({ connectionString: project.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query(
          'SELECT (SELECT count(*) FROM auth_user)::int AS users, (SELECT count(*) FROM django_session)::int AS sessions',
        );
        assert.deepEqual(rows[0], {
          users: project.manifest.users.length,
          sessions: project.manifest.sessions.length,
        });
      } finally {
        await client.end();
      }
    } finally {
      await project.cleanup();
    }
  });
});
