/**
 * The four examples, each a standalone application on the packed package,
 * through one HTTP suite: login with CSRF, a session request, the app's own
 * guarded POST in both middleware orders, a token, JWT, revocations, the
 * login throttle, wrong bodies. The Express example is installed exactly as a
 * user would (`npm install <tarball> && npm install` in a copy of the
 * folder); the other three share one install (a `node_modules` link), which
 * is much faster and installs the same thing. In each folder
 * `npx gatehouse createuser` creates the user the example then serves.
 *
 * ```sh
 * node --test test/package/examples.test.ts
 * ```
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { totpCode } from '../../src/mfa/totp.ts';
import {
  installRoot,
  type Listening,
  npm,
  packedPackage,
  REPO,
  run,
  startListening,
  userEnv,
} from '../helpers/package.ts';
import { type RunningSmtpServer, startSmtpServer } from '../helpers/smtp.ts';

const EXAMPLES = ['express', 'fastify', 'hono', 'node-http'] as const;
type Example = (typeof EXAMPLES)[number];
/** The one installed the way the contract says a user does. */
const REAL_INSTALL: Example = 'express';

const work = mkdtempSync(join(tmpdir(), 'gatehouse-examples-'));
/** A real mail server the examples send their account mail to (GATEHOUSE_EMAIL_URL). */
let smtp: RunningSmtpServer;
const folders = {} as Record<Example, string>;
const servers = {} as Partial<Record<Example, Listening>>;

/** A copy of examples/<name>, without anything a developer may have left in it. */
function copyExample(name: Example): string {
  const dir = join(work, name);
  cpSync(join(REPO, 'examples', name), dir, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|var)$/.test(source) && !source.endsWith('package-lock.json'),
  });
  return dir;
}

before(async () => {
  smtp = await startSmtpServer({ starttls: false });
  const { tarball } = await packedPackage();
  const root = await installRoot();
  await Promise.all(
    EXAMPLES.map(async (name) => {
      const dir = copyExample(name);
      folders[name] = dir;
      if (name === REAL_INSTALL) {
        await npm(['install', tarball], dir);
        await npm(['install'], dir);
      } else {
        symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
      }
    }),
  );
  // Sequentially: each start compiles the example and the package on this small machine.
  for (const name of EXAMPLES) {
    const dir = folders[name];
    await run(
      'npx',
      ['gatehouse', 'createuser', 'alice', '--email', 'alice@example.com', '--password-stdin'],
      {
        cwd: dir,
        input: 'Pw-12345678\n',
        env: userEnv({ GATEHOUSE_SECURITY_LOG: 'off' }),
      },
    );
    servers[name] = await startListening('npm', ['start'], {
      cwd: dir,
      env: userEnv({
        PORT: '0',
        GATEHOUSE_SECURITY_LOG: 'off',
        // djoser's flows with activation on: sign-ups wait for the link mailed to them.
        GATEHOUSE_EMAIL_URL: `smtp://127.0.0.1:${smtp.port}`,
        GATEHOUSE_SEND_ACTIVATION_EMAIL: '1',
        GATEHOUSE_EMAIL_RATE: '100/hour',
      }),
    });
  }
});

after(async () => {
  for (const server of Object.values(servers)) await server?.stop();
  await smtp?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** One response, its body read once. */
interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
  cookies: Record<string, string>;
}

async function call(base: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${base}${path}`, { redirect: 'manual', ...init });
  const text = await res.text();
  const cookies: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    cookies[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, cookies };
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** The uid and token of the first link of `kind` mailed to `to` (waiting for it: some mail goes after the answer). */
async function mailedLink(
  to: string,
  kind: 'activate' | 'password/reset/confirm',
): Promise<{ uid: string; token: string }> {
  const pattern = new RegExp(`#/${kind}/([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+)`);
  for (let waited = 0; waited < 10_000; waited += 50) {
    const mail = smtp.messages.find((m) => m.rcptTo.includes(to) && pattern.test(m.text));
    if (mail) {
      const [, uid, token] = pattern.exec(mail.text)!;
      return { uid, token };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${kind} mail to ${to}`);
}
const ALICE = '{"username":"alice","password":"Pw-12345678"}';

for (const name of EXAMPLES) {
  describe(`examples/${name}${name === REAL_INSTALL ? ' (npm install <tarball> && npm install)' : ''}`, () => {
    const f = (path: string, init?: RequestInit) => call(servers[name]!.url, path, init);

    /** A browser's login: the CSRF cookie and token, then POST /api/login/ with both. */
    async function sessionLogin(): Promise<{ cookie: string; csrf: string }> {
      const primed = await f('/api/csrf/');
      const secret = primed.cookies.csrftoken;
      const { csrfToken } = primed.json as { csrfToken: string };
      const login = await f('/api/login/', {
        method: 'POST',
        headers: { ...JSON_TYPE, cookie: `csrftoken=${secret}`, 'x-csrftoken': csrfToken },
        body: ALICE,
      });
      assert.equal(login.status, 200, login.text);
      return {
        cookie: `sessionid=${login.cookies.sessionid}; csrftoken=${login.cookies.csrftoken}`,
        csrf: login.cookies.csrftoken,
      };
    }

    async function tokenOf(): Promise<string> {
      const res = await f('/api-token-auth/', { method: 'POST', headers: JSON_TYPE, body: ALICE });
      assert.equal(res.status, 200, res.text);
      return (res.json as { token: string }).token;
    }

    test('it listens where HOST and PORT say, and /healthz answers', async () => {
      assert.match(servers[name]!.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await f('/healthz');
      assert.deepEqual([res.status, res.text], [200, '{"status":"ok"}']);
    });

    test('session login: refused without the CSRF token, then the user and a new sessionid', async () => {
      const primed = await f('/api/csrf/');
      assert.equal(primed.status, 200);
      assert.match(primed.cookies.csrftoken, /^[A-Za-z0-9]{32}$/);
      assert.match((primed.json as { csrfToken: string }).csrfToken, /^[A-Za-z0-9]{64}$/);
      const refused = await f('/api/login/', {
        method: 'POST',
        headers: { ...JSON_TYPE, cookie: `csrftoken=${primed.cookies.csrftoken}` },
        body: ALICE,
      });
      assert.deepEqual(
        [refused.status, refused.text],
        [403, '{"detail":"CSRF Failed: CSRF token missing."}'],
      );
      const login = await f('/api/login/', {
        method: 'POST',
        headers: {
          ...JSON_TYPE,
          cookie: `csrftoken=${primed.cookies.csrftoken}`,
          'x-csrftoken': (primed.json as { csrfToken: string }).csrfToken,
        },
        body: ALICE,
      });
      assert.equal(login.status, 200);
      assert.equal(login.text, '{"user":{"id":1,"username":"alice","email":"alice@example.com"}}');
      assert.match(login.cookies.sessionid, /^[a-z0-9]{32}$/);
      assert.equal(login.headers.get('cache-control'), 'no-store');
    });

    test("a session request: the dashboard, and the app's own POST in both middleware orders", async () => {
      const { cookie, csrf } = await sessionLogin();
      const dashboard = await f('/api/dashboard/', { headers: { cookie } });
      assert.deepEqual(
        [dashboard.status, dashboard.text],
        [200, '{"message":"Hello alice, welcome to your dashboard"}'],
      );
      const created = await f('/api/notes/', {
        method: 'POST',
        headers: { ...JSON_TYPE, cookie, 'x-csrftoken': csrf },
        body: '{"text":"guard first"}',
      });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.json, {
        id: (created.json as { id: number }).id,
        author: 'alice',
        text: 'guard first',
      });
      const preview = await f('/api/notes/preview/', {
        method: 'POST',
        headers: { ...JSON_TYPE, cookie, 'x-csrftoken': csrf },
        body: '{"text":"parser first"}',
      });
      assert.equal(preview.status, 200, preview.text);
      assert.deepEqual(preview.json, { author: 'alice', text: 'parser first', length: 12 });
      for (const path of ['/api/notes/', '/api/notes/preview/']) {
        const noCsrf = await f(path, {
          method: 'POST',
          headers: { ...JSON_TYPE, cookie },
          body: '{"text":"x"}',
        });
        assert.deepEqual(
          [noCsrf.status, noCsrf.text],
          [403, '{"detail":"CSRF Failed: CSRF token missing."}'],
          path,
        );
      }
      const anonymous = await f('/api/dashboard/');
      assert.deepEqual(
        [anonymous.status, anonymous.text, anonymous.headers.get('www-authenticate')],
        [403, '{"detail":"Authentication credentials were not provided."}', null],
      );
    });

    test('token: /api-token-auth/ issues a key; the token-first profile takes it, and challenges without it', async () => {
      const key = await tokenOf();
      assert.match(key, /^gth_[A-Za-z0-9]{38}$/);
      const profile = await f('/api/profile/', { headers: { authorization: `Token ${key}` } });
      assert.deepEqual(
        [profile.status, profile.text],
        [200, '{"username":"alice","email":"alice@example.com"}'],
      );
      const anonymous = await f('/api/profile/');
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.headers.get('www-authenticate'), 'Token');
      assert.equal(anonymous.text, '{"detail":"Authentication credentials were not provided."}');
      const posted = await f('/api/notes/', {
        method: 'POST',
        headers: { ...JSON_TYPE, authorization: `Token ${key}` },
        body: '{"text":"by token"}',
      });
      assert.equal(posted.status, 201, 'no CSRF for a token');
    });

    test('JWT: obtain, a Bearer request, refresh; a blacklisted refresh token is refused', async () => {
      const pair = await f('/api/token/', { method: 'POST', headers: JSON_TYPE, body: ALICE });
      assert.equal(pair.status, 200);
      const { access, refresh } = pair.json as { access: string; refresh: string };
      const dashboard = await f('/api/dashboard/', { headers: { authorization: `Bearer ${access}` } });
      assert.equal(dashboard.status, 200);
      const rotated = await f('/api/token/refresh/', {
        method: 'POST',
        headers: JSON_TYPE,
        body: JSON.stringify({ refresh }),
      });
      assert.equal(rotated.status, 200);
      const next = (rotated.json as { refresh: string }).refresh;
      const blacklisted = await f('/api/token/blacklist/', {
        method: 'POST',
        headers: JSON_TYPE,
        body: JSON.stringify({ refresh: next }),
      });
      assert.deepEqual([blacklisted.status, blacklisted.text], [200, '{}']);
      const again = await f('/api/token/refresh/', {
        method: 'POST',
        headers: JSON_TYPE,
        body: JSON.stringify({ refresh: next }),
      });
      assert.deepEqual(
        [again.status, again.text],
        [401, '{"detail":"Token is blacklisted","code":"token_not_valid"}'],
      );
    });

    test('revocation: a deleted API token and a logged-out session stop working at once', async () => {
      const auth = { ...JSON_TYPE, authorization: `Token ${await tokenOf()}` };
      const issued = await f('/api/tokens/', { method: 'POST', headers: auth, body: '{"name":"laptop"}' });
      assert.equal(issued.status, 201, issued.text);
      const { id, token } = issued.json as { id: string; token: string };
      const works = await f('/api/profile/', { headers: { authorization: `Token ${token}` } });
      assert.equal(works.status, 200);
      const deleted = await f(`/api/tokens/${id}/`, { method: 'DELETE', headers: auth });
      assert.equal(deleted.status, 204);
      const dead = await f('/api/profile/', { headers: { authorization: `Token ${token}` } });
      assert.deepEqual([dead.status, dead.text], [401, '{"detail":"Invalid token."}']);

      const { cookie, csrf } = await sessionLogin();
      const out = await f('/api/logout/', { method: 'POST', headers: { cookie, 'x-csrftoken': csrf } });
      assert.deepEqual([out.status, out.text], [200, '{"message":"Logged out"}']);
      const later = await f('/api/dashboard/', { headers: { cookie } });
      assert.equal(later.status, 403);
    });

    test("djoser's flows: sign-up with the mailed activation link, token login, users/me, reset by mail, JWT", async () => {
      const username = `${name}-ann`.replace('node-http', 'nodehttp');
      const email = `${username}@example.com`;
      const post = (path: string, json: unknown, key?: string) =>
        f(path, {
          method: 'POST',
          headers: { ...JSON_TYPE, ...(key ? { authorization: `Token ${key}` } : {}) },
          body: JSON.stringify(json),
        });
      const created = await post('/auth/users/', { username, password: 'Ann-pass-5520', email });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(Object.keys(created.json as object), ['email', 'username', 'id']);
      const refused = await post('/auth/token/login/', { username, password: 'Ann-pass-5520' });
      assert.equal(refused.text, '{"non_field_errors":["Unable to log in with provided credentials."]}');
      const activation = await mailedLink(email, 'activate');
      assert.equal((await post('/auth/users/activation/', activation)).status, 204);
      const stale = await post('/auth/users/activation/', activation);
      assert.deepEqual([stale.status, stale.text], [403, '{"detail":"Stale token for given user."}']);
      const login = await post('/auth/token/login/', { username, password: 'Ann-pass-5520' });
      assert.equal(login.status, 200, login.text);
      const key = (login.json as { auth_token: string }).auth_token;
      const me = await f('/auth/users/me/', { headers: { authorization: `Token ${key}` } });
      assert.equal(me.text, JSON.stringify({ email, id: (created.json as { id: number }).id, username }));
      assert.equal((await post('/auth/users/reset_password/', { email })).status, 204);
      const reset = await mailedLink(email, 'password/reset/confirm');
      const confirmed = await post('/auth/users/reset_password_confirm/', {
        ...reset,
        new_password: 'Ann-new-pass-7731',
      });
      assert.equal(confirmed.status, 204, confirmed.text);
      const after = await f('/auth/users/me/', { headers: { authorization: `Token ${key}` } });
      // A reset ends every credential, API tokens included (users/me/ is session-first: DRF's 403).
      assert.deepEqual([after.status, after.text], [403, '{"detail":"Invalid token."}']);
      const jwt = await post('/auth/jwt/create/', { username, password: 'Ann-new-pass-7731' });
      assert.deepEqual(Object.keys(jwt.json as object), ['refresh', 'access']);
    });

    test('two factors: TOTP set up with a token, then /api-token-auth/ asks for the code and /auth/mfa/verify/ completes it', async () => {
      const username = `${name}-mfa`.replace('node-http', 'nodehttp');
      const email = `${username}@example.com`;
      const post = (path: string, json: unknown, key?: string) =>
        f(path, {
          method: 'POST',
          headers: { ...JSON_TYPE, ...(key ? { authorization: `Token ${key}` } : {}) },
          body: JSON.stringify(json),
        });
      await post('/auth/users/', { username, password: 'Mfa-pass-9911', email });
      await post('/auth/users/activation/', await mailedLink(email, 'activate'));
      const key = (
        (await post('/api-token-auth/', { username, password: 'Mfa-pass-9911' })).json as { token: string }
      ).token;
      const begun = await f('/auth/mfa/totp/activate/', { headers: { authorization: `Token ${key}` } });
      const { secret, activation_token } = begun.json as { secret: string; activation_token: string };
      const activated = await post(
        '/auth/mfa/totp/activate/',
        { activation_token, code: totpCode(secret, Date.now()), current_password: 'Mfa-pass-9911' },
        key,
      );
      assert.equal(activated.status, 200, activated.text);
      const codes = (activated.json as { recovery_codes: string[] }).recovery_codes;
      assert.equal(codes.length, 10);
      const first = await post('/api-token-auth/', { username, password: 'Mfa-pass-9911' });
      assert.deepEqual(Object.keys(first.json as object), ['ephemeral_token', 'mfa_required']);
      const { ephemeral_token } = first.json as { ephemeral_token: string };
      const wrong = await post('/auth/mfa/verify/', { ephemeral_token, code: '000000' });
      assert.equal(wrong.text, '{"code":["Invalid code."]}');
      const verified = await post('/auth/mfa/verify/', { ephemeral_token, code: codes[0] });
      assert.equal(verified.status, 200, verified.text);
      const token = (verified.json as { token: string }).token;
      const profile = await f('/api/profile/', { headers: { authorization: `Token ${token}` } });
      assert.equal(profile.text, JSON.stringify({ username, email }));
    });

    test('the throttle: the sixth failed login of an account within a minute answers 429 with Retry-After', async () => {
      const wrong = JSON.stringify({ username: `mallory-${name}`, password: 'wrong-password' });
      for (let i = 0; i < 5; i++) {
        const res = await f('/api-token-auth/', { method: 'POST', headers: JSON_TYPE, body: wrong });
        assert.equal(res.text, '{"non_field_errors":["Unable to log in with provided credentials."]}');
      }
      const throttled = await f('/api-token-auth/', { method: 'POST', headers: JSON_TYPE, body: wrong });
      assert.equal(throttled.status, 429);
      assert.match(
        throttled.text,
        /^\{"detail":"Request was throttled\. Expected available in \d+ seconds?\."\}$/,
      );
      assert.match(throttled.headers.get('retry-after') ?? '', /^\d+$/);
    });

    test('a wrong body: 400 in the shape DRF gives, never a 5xx', async () => {
      const malformed = await f('/api-token-auth/', {
        method: 'POST',
        headers: JSON_TYPE,
        body: '{"username":',
      });
      assert.equal(malformed.status, 400);
      assert.match((malformed.json as { detail: string }).detail, /^JSON parse error - /);
      const missing = await f('/api-token-auth/', { method: 'POST', headers: JSON_TYPE, body: '{}' });
      assert.deepEqual(missing.json, {
        username: ['This field is required.'],
        password: ['This field is required.'],
      });
      const key = await tokenOf();
      for (const path of ['/api/notes/', '/api/notes/preview/']) {
        const headers = { ...JSON_TYPE, authorization: `Token ${key}` };
        const bad = await f(path, { method: 'POST', headers, body: '{"text":' });
        assert.equal(bad.status, 400, `${path}: ${bad.text}`);
        const empty = await f(path, { method: 'POST', headers, body: '{}' });
        assert.deepEqual([empty.status, empty.json], [400, { text: ['This field is required.'] }], path);
      }
    });
  });
}

describe('the examples type-check', () => {
  test('strict tsc, no skipLibCheck, on each example', async () => {
    await Promise.all(
      EXAMPLES.map(async (name) => {
        const dir = folders[name];
        assert.ok(existsSync(join(dir, 'node_modules', '.bin', 'tsc')), `${name}: typescript installed`);
        const result = await run('npm', ['run', '--silent', 'typecheck'], { cwd: dir, allowFailure: true });
        assert.equal(result.code, 0, `${name}:\n${result.stdout}${result.stderr}`);
      }),
    );
  });

  test('no `any` and no `!` on a user a permission already guarantees', () => {
    for (const name of EXAMPLES) {
      const source = readFileSync(join(REPO, 'examples', name, 'server.ts'), 'utf8');
      assert.doesNotMatch(source, /:\s*any\b|\bas any\b|<any>|\bany\[\]/, `${name}: any`);
      assert.doesNotMatch(source, /\w!\.|\)!\.|\]!\./, `${name}: a non-null assertion`);
    }
  });
});

test('each example closes on SIGTERM: every process of it ends, and nothing listens any more', async () => {
  for (const name of EXAMPLES) {
    const server = servers[name];
    assert.ok(server, name);
    delete servers[name];
    assert.equal(await server.stop(), true, `${name} ended within 10 s of SIGTERM`);
    await assert.rejects(fetch(`${server.url}/healthz`), `${name} no longer listens`);
  }
});
