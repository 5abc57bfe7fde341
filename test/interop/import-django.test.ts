/**
 * Moving from Django: a real Django 3.2 + DRF + simplejwt database (built by
 * test/interop/django-project/build.py through Django itself), imported with
 * `gatehouse importdjango`, then used over HTTP against the reference server
 * exactly as the Django site's clients used it — with nobody logged out.
 * From SQLite (Gatehouse on SQLite) and from PostgreSQL (Gatehouse in the
 * same database, beside Django's tables).
 *
 * ```sh
 * GATEHOUSE_TEST_DJANGO=1 GATEHOUSE_TEST_POSTGRES=1 node --test test/interop/import-django.test.ts
 * ```
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { checkResetToken } from '../../src/accounts/password-reset-token.ts';
import { decodeUid } from '../../src/accounts/uidb64.ts';
import { b64Encode, TimestampSigner } from '../../src/django/signing.ts';
import { sha256Hex } from '../../src/internal/hash.ts';
import { createSqliteStores } from '../../src/stores/sqlite/index.ts';
import type { UserStore } from '../../src/stores/types.ts';
import { csrfHeaders } from '../helpers/accounts.ts';
import {
  buildDjangoProject,
  DJANGO_PROJECT,
  DJANGO_SKIP,
  type DjangoManifest,
  type DjangoProject,
  runDjangoPython,
} from '../helpers/django.ts';
import {
  browserLogin,
  firstImportSummary,
  gatehouseCli,
  importArgs,
  meBody,
  meWith,
  postJson,
} from '../helpers/import-django.ts';
import { postgresSkipReason } from '../helpers/postgres-database.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

/** Gatehouse's own key after the move; Django's goes into the fallbacks, as docs/migrating-from-django.md says. */
const GATEHOUSE_KEY = 'gatehouse-own-secret-key-after-the-move-0123456789';
const NULL_ME = '{"user":null}';

/** The environment the CLI and the server share: one DATABASE_URL, one SECRET_KEY, Django's key as a fallback. */
function gatehouseEnv(databaseUrl: string, manifest: DjangoManifest): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    SECRET_KEY: GATEHOUSE_KEY,
    GATEHOUSE_SECRET_KEY_FALLBACKS: manifest.secretKey,
    GATEHOUSE_LOGIN_RATE: '1000/min',
    GATEHOUSE_LOGIN_ADDRESS_RATE: '1000/min',
    GATEHOUSE_SECURITY_LOG: 'off',
    GATEHOUSE_DJANGO_TIME_ZONE: manifest.timeZone,
  };
}

const userOf = (manifest: DjangoManifest, username: string) => {
  const user = manifest.users.find((u) => u.username === username);
  assert.ok(user, username);
  return user;
};

/** What a Django client holds, none of which may appear in Gatehouse's database. */
function secretsOf(manifest: DjangoManifest): string[] {
  return [
    ...manifest.tokens.map((t) => t.key),
    ...manifest.sessions.map((s) => s.key),
    ...manifest.refreshTokens.map((r) => r.token),
  ];
}

/**
 * The checks over HTTP every suite makes, in the order a cut-over meets them:
 * first what clients already hold (sessions, keys, refresh tokens, a mailed
 * reset link), then fresh logins with the Django passwords (which upgrade the
 * hashes, and so must come last: an upgraded hash ends the user's sessions).
 */
function clientsKeepWorking(
  state: () => { server: RunningServer; manifest: DjangoManifest; users: () => Promise<UserStore> },
) {
  test('every live Django sessionid authenticates /api/me/ as its user, without a new login; stale, expired, inactive and anonymous ones do not', async () => {
    const { server, manifest } = state();
    for (const session of manifest.sessions) {
      const me = await meWith(server.url, { cookie: `sessionid=${session.key}` });
      assert.equal(me.status, 200, session.why);
      const expected = session.works ? meBody(userOf(manifest, session.user as string)) : NULL_ME;
      assert.equal(me.body, expected, `${session.why} session of ${session.user}`);
    }
  });

  test("every DRF key authenticates as Authorization: Token <key>; an inactive user's answers DRF's refusal", async () => {
    const { server, manifest } = state();
    for (const token of manifest.tokens) {
      const me = await meWith(server.url, { authorization: `Token ${token.key}` });
      if (token.works) assert.deepEqual(me, { status: 200, body: meBody(userOf(manifest, token.user)) });
      else assert.deepEqual(me, { status: 403, body: '{"detail":"User inactive or deleted."}' });
    }
  });

  test("simplejwt's outstanding refresh token refreshes (signed with Django's key, a fallback here); the blacklisted one stays dead", async () => {
    const { server, manifest } = state();
    for (const refresh of manifest.refreshTokens) {
      const res = await postJson(server.url, '/api/token/refresh/', { refresh: refresh.token });
      if (!refresh.works) {
        assert.deepEqual(
          [res.status, res.body],
          [401, '{"detail":"Token is blacklisted","code":"token_not_valid"}'],
        );
        continue;
      }
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(Object.keys(res.json ?? {}), ['access', 'refresh']);
      const me = await meWith(server.url, { authorization: `Bearer ${res.json?.access}` });
      assert.equal(me.body, meBody(userOf(manifest, refresh.user)));
      // Gatehouse rotates: the simplejwt token is spent now.
      const again = await postJson(server.url, '/api/token/refresh/', { refresh: refresh.token });
      assert.equal(again.body, '{"detail":"Token is blacklisted","code":"token_not_valid"}');
    }
  });

  test("the reset link Django mailed checks against the imported user (Django's key as a fallback, Django's TIME_ZONE); a voided one does not", async () => {
    const { manifest, users } = state();
    const store = await users();
    for (const reset of manifest.passwordResets) {
      const user = await store.getById(Number(decodeUid(reset.uid)));
      assert.ok(user);
      const options = {
        secrets: [GATEHOUSE_KEY, manifest.secretKey],
        now: Date.now(),
        timeZone: manifest.timeZone,
      };
      assert.equal(checkResetToken(user, reset.token, options), reset.works, reset.why);
    }
  });

  /** Users whose Django link reset their password below: they log in with the new one, their sessions ended. */
  const resetTo = new Map<string, string>();

  test("over HTTP, djoser's reset_password_confirm takes the link Django mailed; the voided one is refused", async () => {
    const { server, manifest } = state();
    for (const reset of manifest.passwordResets) {
      const password = `Reset-${reset.user}-9431`;
      const res = await postJson(server.url, '/auth/users/reset_password_confirm/', {
        uid: reset.uid,
        token: reset.token,
        new_password: password,
      });
      if (!reset.works) {
        assert.equal(res.body, '{"token":["Invalid token for given user."]}', reset.why);
        continue;
      }
      assert.equal(res.status, 204, `${reset.why}: ${res.body}`);
      resetTo.set(reset.user, password);
      const again = await postJson(server.url, '/auth/users/reset_password_confirm/', {
        uid: reset.uid,
        token: reset.token,
        new_password: `${password}x`,
      });
      assert.equal(again.body, '{"token":["Invalid token for given user."]}', 'the link is single-use');
    }
    assert.ok(resetTo.size > 0, 'a fresh link was followed');
  });

  test('every user logs in with its Django password (same id), and the hash is upgraded to argon2id; the others are refused', async () => {
    const { server, manifest, users } = state();
    const store = await users();
    for (const user of manifest.users) {
      const reset = resetTo.get(user.username);
      if (reset) {
        assert.equal((await browserLogin(server.url, user.username, user.password as string)).status, 401);
        assert.equal((await browserLogin(server.url, user.username, reset)).status, 200, 'the new password');
        continue;
      }
      // An empty or unusable password is refused whatever is sent: send something (a blank is a 400).
      const login = await browserLogin(server.url, user.username, user.password || 'not-the-password');
      if (!user.loginWorks) {
        assert.deepEqual([login.status, login.body], [401, '{"error":"Invalid credentials"}'], user.username);
        continue;
      }
      assert.deepEqual([login.status, login.body], [200, meBody(user)], user.username);
      assert.match((await store.getById(user.id))?.password ?? '', /^\$argon2id\$/, user.username);
      const again = await browserLogin(server.url, user.username, user.password as string);
      assert.equal(again.status, 200, `${user.username} after the upgrade`);
    }
  });

  test('nobody is logged out by the upgrade: the Django sessions of users who logged in since still authenticate', async () => {
    const { server, manifest } = state();
    for (const session of manifest.sessions.filter((s) => s.works)) {
      const me = await meWith(server.url, { cookie: `sessionid=${session.key}` });
      // A reset ends every credential of its user (someone may be recovering a stolen account).
      const expected = resetTo.has(session.user as string)
        ? NULL_ME
        : meBody(userOf(manifest, session.user as string));
      assert.equal(me.body, expected, `${session.why} session of ${session.user}`);
    }
  });
}

/** Every Gatehouse table as text, in a stable order: what a dump of the database holds. */
function sqliteDump(path: string): string {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'gatehouse_%' ORDER BY name",
      )
      .all()
      .map((r) => r.name as string)
      .filter((name) => name !== 'gatehouse_migrations');
    return tables
      .map((t) => `${t}\n${JSON.stringify(db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all())}`)
      .join('\n');
  } finally {
    db.close();
  }
}

async function pgDump(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT tablename FROM pg_tables WHERE tablename LIKE 'gatehouse\\_%' AND tablename <> 'gatehouse_migrations' ORDER BY 1",
    );
    let out = '';
    for (const { tablename } of rows) {
      const data = await client.query(`SELECT row_to_json(t)::text AS j FROM "${tablename}" t ORDER BY 1`);
      out += `${tablename}\n${data.rows.map((r) => r.j).join('\n')}\n`;
    }
    return out;
  } finally {
    await client.end();
  }
}

describe('importdjango from SQLite, over HTTP against the reference server', { skip: DJANGO_SKIP }, () => {
  let project: DjangoProject;
  let manifest: DjangoManifest;
  let dir: string;
  let ghPath: string;
  let env: Record<string, string>;
  let server: RunningServer;
  let firstRun: { stdout: string; stderr: string; code: number | null };
  let stores: ReturnType<typeof createSqliteStores> | undefined;

  before(async () => {
    project = await buildDjangoProject();
    manifest = project.manifest;
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-import-'));
    ghPath = join(dir, 'gatehouse.sqlite3');
    env = gatehouseEnv(`sqlite:${ghPath}`, manifest);
    firstRun = await gatehouseCli(importArgs(project.databaseUrl, manifest), env, dir);
  });
  after(async () => {
    await stores?.close();
    await server?.stop();
    await project?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the import prints each row it left behind (table, a reference, why) and the summary', () => {
    assert.equal(firstRun.code, 0, firstRun.stderr);
    assert.equal(firstRun.stderr, '');
    const lines = firstRun.stdout.trimEnd().split('\n');
    assert.equal(lines.at(-1), firstImportSummary(manifest));
    assert.equal(lines.at(-2), 'Imported 2 refresh tokens.');
    const skipped = lines.filter((l) => l.startsWith('Skipped '));
    const reasons = skipped.map((l) =>
      l.replace(/^Skipped django_session sha256:[0-9a-f]{12}( user=\d+)?: /, ''),
    );
    assert.deepEqual(reasons.sort(), [
      'anonymous: nobody logged in',
      'expired',
      "stale: its auth hash does not match the user's password (changed since)",
      `user ${userOf(manifest, 'erin').id} is inactive`,
    ]);
    if (manifest.hashers.includes('crypt')) {
      const crypt = userOf(manifest, 'user_crypt');
      assert.ok(
        lines.includes(
          `Note: auth_user id=${crypt.id}: Gatehouse cannot check its password hash (crypt); the user logs in again after a password reset.`,
        ),
      );
    }
    for (const secret of secretsOf(manifest))
      assert.ok(!firstRun.stdout.includes(secret), 'no key in the output');
  });

  test('a second import changes nothing; --dry-run writes nothing', async () => {
    const before = sqliteDump(ghPath);
    const second = await gatehouseCli(importArgs(project.databaseUrl, manifest), env, dir);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(
      second.stdout.trimEnd().split('\n').at(-1),
      'Imported 0 users, 0 tokens, 0 sessions (skipped 4).',
    );
    assert.equal(sqliteDump(ghPath), before);
    const dry = await gatehouseCli(importArgs(project.databaseUrl, manifest, '--dry-run'), env, dir);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(dry.stdout.trimEnd().split('\n').slice(-2), [
      'Dry run: nothing was written.',
      'Would import 0 users, 0 tokens, 0 sessions (skipped 4).',
    ]);
    assert.equal(sqliteDump(ghPath), before);
  });

  test('--dry-run into a database that does not exist yet says what it would do, and creates nothing', async () => {
    const fresh = join(dir, 'not-yet', 'gatehouse.sqlite3');
    const { SECRET_KEY: _, ...withoutKey } = env; // no var/secret.key is made either
    const dry = await gatehouseCli(
      importArgs(project.databaseUrl, manifest, '--dry-run'),
      { ...withoutKey, DATABASE_URL: `sqlite:${fresh}` },
      dir,
    );
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(
      dry.stdout.trimEnd().split('\n').at(-1),
      firstImportSummary(manifest).replace('Imported', 'Would import'),
    );
    assert.equal(existsSync(join(dir, 'not-yet')), false);
    assert.equal(existsSync(join(dir, 'var')), false);
  });

  test('rows it cannot bring are each reported with their table, a reference and why — never a key', async () => {
    // A copy of the Django database with rows Django would not have written.
    const copy = join(dir, 'tampered.sqlite3');
    await copyFile(new URL(project.databaseUrl.replace('sqlite://', 'file://')).pathname, copy);
    const db = new DatabaseSync(copy);
    const badKey = 'NOT-A-DRF-KEY';
    const pickledKey = 'p'.repeat(32);
    const garbageKey = 'g'.repeat(32);
    const pickle = new TimestampSigner({
      key: manifest.secretKey,
      salt: 'django.contrib.sessions.SessionStore',
    }).sign(
      b64Encode(Buffer.from([0x80, 0x04, 0x7d, 0x94, 0x2e])), // a pickled {} (protocol 4)
    );
    try {
      db.exec(`INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name, email, is_staff,
        is_active, date_joined, first_name) VALUES (900, '', NULL, 0, 'broken', '', '', 0, 1, 'not a date', '')`);
      db.prepare(
        "INSERT INTO authtoken_token (key, created, user_id) VALUES (?, '2026-01-01 00:00:00', 1)",
      ).run(badKey);
      const future = '2999-01-01 00:00:00';
      const insertSession = db.prepare(
        'INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)',
      );
      insertSession.run(pickledKey, pickle, future);
      insertSession.run(garbageKey, 'not signed at all', future);
      db.exec(`INSERT INTO token_blacklist_outstandingtoken (token, created_at, expires_at, user_id, jti, id)
        VALUES ('x', NULL, '${future}', NULL, 'orphan-jti', 99)`);
    } finally {
      db.close();
    }
    const target = join(dir, 'fresh.sqlite3');
    const run = await gatehouseCli(
      importArgs(`sqlite:///${copy}`, manifest),
      { ...env, DATABASE_URL: `sqlite:${target}` },
      dir,
    );
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    const expected = [
      'Skipped auth_user id=900: unreadable date_joined',
      `Skipped authtoken_token sha256:${sha256Hex(badKey).slice(0, 12)} user=1: not a key of 40 lower-case hex digits, as DRF makes`,
      `Skipped django_session sha256:${sha256Hex(pickledKey).slice(0, 12)}: pickled (PickleSerializer); Gatehouse never unpickles`,
      `Skipped django_session sha256:${sha256Hex(garbageKey).slice(0, 12)}: signed by none of the Django secret keys given`,
      'Skipped token_blacklist_outstandingtoken id=99 jti=orphan-jti: no user (deleted in Django)',
    ];
    for (const line of expected) assert.ok(lines.includes(line), `${line}\n---\n${run.stdout}`);
    const live = manifest.sessions.filter((s) => s.works).length;
    assert.equal(
      lines.at(-2),
      `Imported ${manifest.users.length} users, ${manifest.tokens.length} tokens, ${live} sessions (skipped ${manifest.sessions.length - live + 5}).`,
    );
    for (const secret of [badKey, pickledKey, garbageKey]) assert.ok(!run.stdout.includes(secret));
  });

  describe('the clients of the Django site, against the reference server', () => {
    before(async () => {
      server = await startServer(env);
    });
    clientsKeepWorking(() => ({
      server,
      manifest,
      users: async () => {
        stores ??= createSqliteStores(ghPath);
        return stores.users;
      },
    }));
  });

  test('a re-run brings what changed in Django since, and undoes nothing Gatehouse did since', async () => {
    // In Gatehouse: alice logs out of her imported session; user_md5's imported key is revoked.
    const alice = manifest.sessions.find((s) => s.user === 'alice' && s.works)!;
    const { csrf } = await csrfHeaders(server.url);
    const logout = await fetch(`${server.url}/api/logout/`, {
      method: 'POST',
      headers: { cookie: `csrftoken=${csrf}; sessionid=${alice.key}`, 'x-csrftoken': csrf },
    });
    assert.equal(logout.status, 200);
    const md5Key = manifest.tokens.find((t) => t.user === 'user_md5')!.key;
    const auth = { authorization: `Token ${md5Key}` };
    const listed = (await (await fetch(`${server.url}/api/tokens/`, { headers: auth })).json()) as {
      id: string;
      name: string;
    }[];
    assert.deepEqual(
      listed.map((t) => t.name),
      ['Imported from Django'],
    );
    const revoked = await fetch(`${server.url}/api/tokens/${listed[0].id}/`, {
      method: 'DELETE',
      headers: auth,
    });
    assert.equal(revoked.status, 204);

    // In Django: carol's e-mail changes, frank signs up and logs in, staff's key is deleted, bob gets one.
    const changed = JSON.parse(
      await runDjangoPython(
        `
import json, os, sys
sys.path.insert(0, ${JSON.stringify(DJANGO_PROJECT)})
os.environ["DJANGO_SETTINGS_MODULE"] = "settings"
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token
User = get_user_model()
User.objects.filter(username="carol").update(email="carol@new.example.com")
frank = User.objects.create_user("frank", "frank@example.com", "frank-Correct-Horse-1")
client = Client()
assert client.login(username="frank", password="frank-Correct-Horse-1")
Token.objects.filter(user__username="staff").delete()
token = Token.objects.create(user=User.objects.get(username="bob"))
print(json.dumps({"frank": frank.pk, "session": client.cookies["sessionid"].value, "token": token.key}))
`,
        {
          GATEHOUSE_FIXTURE_DATABASE: project.databaseUrl,
          GATEHOUSE_FIXTURE_SECRET_KEY: manifest.secretKey,
          GATEHOUSE_FIXTURE_TIME_ZONE: manifest.timeZone,
        },
      ),
    ) as { frank: number; session: string; token: string };

    const rerun = await gatehouseCli(importArgs(project.databaseUrl, manifest), env, dir);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual(rerun.stdout.trimEnd().split('\n').slice(-2), [
      'Ended 1 token that Django no longer has or honours.',
      'Imported 2 users, 1 tokens, 1 sessions (skipped 4).',
    ]);

    // What Gatehouse did stays done.
    assert.equal((await meWith(server.url, { cookie: `sessionid=${alice.key}` })).body, NULL_ME);
    assert.deepEqual(await meWith(server.url, auth), { status: 403, body: '{"detail":"Invalid token."}' });
    const store = stores ?? createSqliteStores(ghPath);
    stores = store;
    assert.match((await store.users.getByUsername('alice'))?.password ?? '', /^\$argon2id\$/);
    // What Django did arrives.
    const staffKey = manifest.tokens.find((t) => t.user === 'staff')!.key;
    assert.deepEqual(await meWith(server.url, { authorization: `Token ${staffKey}` }), {
      status: 403,
      body: '{"detail":"Invalid token."}',
    });
    const bob = userOf(manifest, 'bob');
    assert.equal((await meWith(server.url, { authorization: `Token ${changed.token}` })).body, meBody(bob));
    const frank = { id: changed.frank, username: 'frank', email: 'frank@example.com' };
    assert.equal((await meWith(server.url, { cookie: `sessionid=${changed.session}` })).body, meBody(frank));
    const carol = await browserLogin(server.url, 'carol', 'carol-Correct-Horse-1');
    assert.equal(carol.body, meBody({ ...userOf(manifest, 'carol'), email: 'carol@new.example.com' }));
    assert.equal((await browserLogin(server.url, 'frank', 'frank-Correct-Horse-1')).status, 200);

    const third = await gatehouseCli(importArgs(project.databaseUrl, manifest), env, dir);
    assert.equal(
      third.stdout.trimEnd().split('\n').at(-1),
      'Imported 0 users, 0 tokens, 0 sessions (skipped 4).',
    );

    // A dump of Gatehouse's database (the file and its write-ahead log) holds no key a client holds.
    const files = (await readdir(dir)).filter((f) => f.startsWith('gatehouse.sqlite3'));
    const bytes = Buffer.concat(await Promise.all(files.map((f) => readFile(join(dir, f)))));
    for (const secret of [...secretsOf(manifest), changed.session, changed.token]) {
      assert.equal(bytes.includes(secret), false, 'a key in the clear');
      assert.equal(bytes.includes(Buffer.from(secret).toString('hex')), false);
    }
    assert.ok(bytes.includes(sha256Hex(changed.token)), 'the key is there as its SHA-256');
  });
});

const pgSkip = DJANGO_SKIP || (await postgresSkipReason());

describe('importdjango from PostgreSQL (Gatehouse in the same database), over HTTP', { skip: pgSkip }, () => {
  let project: DjangoProject;
  let manifest: DjangoManifest;
  let server: RunningServer;
  let env: Record<string, string>;
  let dir: string;
  let pool: import('../../src/stores/types.ts').Stores | undefined;

  before(async () => {
    project = await buildDjangoProject({ postgres: true, timeZone: 'Europe/Paris' });
    manifest = project.manifest;
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-import-pg-'));
    env = gatehouseEnv(project.databaseUrl, manifest);
  });
  after(async () => {
    await pool?.close();
    await server?.stop();
    await project?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the import prints the summary; a second one changes nothing; --dry-run writes nothing', async () => {
    const first = await gatehouseCli(importArgs(project.databaseUrl, manifest), env, dir);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trimEnd().split('\n').at(-1), firstImportSummary(manifest));
    const dump = await pgDump(project.databaseUrl);
    for (const secret of secretsOf(manifest))
      assert.equal(dump.includes(secret), false, 'a key in the clear');
    const second = await gatehouseCli(importArgs(project.databaseUrl, manifest), env, dir);
    assert.equal(
      second.stdout.trimEnd().split('\n').at(-1),
      'Imported 0 users, 0 tokens, 0 sessions (skipped 4).',
    );
    const dry = await gatehouseCli(importArgs(project.databaseUrl, manifest, '--dry-run'), env, dir);
    assert.equal(
      dry.stdout.trimEnd().split('\n').at(-1),
      'Would import 0 users, 0 tokens, 0 sessions (skipped 4).',
    );
    assert.equal(await pgDump(project.databaseUrl), dump);
  });

  describe('the clients of the Django site, against the reference server', () => {
    before(async () => {
      server = await startServer(env);
    });
    clientsKeepWorking(() => ({
      server,
      manifest,
      users: async () => {
        const { createPostgresStores } = await import('../../src/stores/postgres/index.ts');
        pool ??= await createPostgresStores(project.databaseUrl);
        return pool.users;
      },
    }));
  });
});
