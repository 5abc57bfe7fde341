/**
 * The second step of every login (CONTRACT "Two-factor authentication and
 * passkeys"): after the password, an MFA user gets `{"ephemeral_token",
 * "mfa_required":true}` and no credential, and `POST /auth/mfa/verify/`
 * completes exactly the login that was started. Written as a table of login
 * endpoints, each run through the same cases; then the contract's "beyond
 * dj-rest-auth" rules, each by its own test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../src/index.ts';
import { type Client, makeApp, type Reply, type TestApp } from '../helpers/app.ts';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.ts';
import { type AuthenticatorApp, enableTotp, PASSWORD } from '../helpers/mfa.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/pg-database.ts';

const EPHEMERAL = /^\{"ephemeral_token":"([A-Za-z0-9_-]{43})","mfa_required":true\}$/;
const BINDING_COOKIE =
  /^mfa_pending=[A-Za-z0-9_-]{43}; expires=[^;]+ GMT; HttpOnly; Max-Age=300; Path=\/; SameSite=Strict$/;
const SESSION_COOKIE = /^sessionid=([a-z0-9]{32}); /;
const INVALID_TOKEN = '{"ephemeral_token":["Invalid or expired token."]}';
const INVALID_CODE = '{"code":["Invalid code."]}';

/** One login endpoint of the contract: how its client logs in, and what a finished login must answer. */
interface LoginEndpoint {
  path: string;
  /** Whether the second step is bound by the cookie (session logins) rather than the address. */
  session: boolean;
  start(c: Client, username: string): Promise<Reply>;
  /** Asserts the endpoint's credential, exactly, and that it works. */
  credential(t: TestApp, c: Client, res: Reply, username: string): Promise<void>;
}

const json = (path: string) => (c: Client, username: string) =>
  c.request('POST', path, { json: { username, password: PASSWORD } });

const LOGINS: LoginEndpoint[] = [
  {
    path: '/api/login/',
    session: true,
    start: (c, username) => c.login(username, PASSWORD),
    async credential(_t, c, res, username) {
      assert.match(
        res.body,
        new RegExp(
          `^\\{"user":\\{"id":\\d+,"username":"${username}","email":"${username}@example.com"\\}\\}$`,
        ),
      );
      assert.match(res.setCookies.find((l) => l.startsWith('sessionid='))!, SESSION_COOKIE);
      assert.ok(
        res.setCookies.some((l) => l.startsWith('csrftoken=')),
        'the CSRF secret rotates',
      );
      assert.ok(res.setCookies.some((l) => l.startsWith('mfa_pending=""') && /Max-Age=0/.test(l)));
      const dashboard = await c.request('GET', '/api/dashboard/');
      assert.equal(dashboard.body, `{"message":"Hello ${username}, welcome to your dashboard"}`);
    },
  },
  {
    path: '/api-token-auth/',
    session: false,
    start: json('/api-token-auth/'),
    async credential(t, _c, res, username) {
      assert.match(res.body, /^\{"token":"gth_[A-Za-z0-9]{38}"\}$/);
      assert.deepEqual(res.setCookies, []);
      const profile = await t.client().request('GET', '/api/profile/', {
        headers: { authorization: `Token ${res.json.token}` },
      });
      assert.equal(profile.body, `{"username":"${username}","email":"${username}@example.com"}`);
    },
  },
  {
    path: '/api/token/',
    session: false,
    start: json('/api/token/'),
    async credential(t, _c, res, username) {
      assert.deepEqual(Object.keys(res.json), ['refresh', 'access']);
      assert.deepEqual(res.setCookies, []);
      const profile = await t.client().request('GET', '/api/profile/', {
        headers: { authorization: `Bearer ${res.json.access}` },
      });
      assert.equal(profile.body, `{"username":"${username}","email":"${username}@example.com"}`);
      const refreshed = await t
        .client()
        .request('POST', '/api/token/refresh/', { json: { refresh: res.json.refresh } });
      assert.equal(refreshed.status, 200);
    },
  },
  // djoser's two logins: `/auth/token/login/` → {"auth_token"}, `/auth/jwt/create/` → the pair.
  {
    path: '/auth/token/login/',
    session: false,
    start: json('/auth/token/login/'),
    async credential(t, _c, res, username) {
      assert.match(res.body, /^\{"auth_token":"gth_[A-Za-z0-9]{38}"\}$/);
      const profile = await t.client().request('GET', '/api/profile/', {
        headers: { authorization: `Token ${res.json.auth_token}` },
      });
      assert.equal(profile.body, `{"username":"${username}","email":"${username}@example.com"}`);
    },
  },
  {
    path: '/auth/jwt/create/',
    session: false,
    start: json('/auth/jwt/create/'),
    async credential(t, _c, res, username) {
      assert.deepEqual(Object.keys(res.json), ['refresh', 'access']);
      const profile = await t.client().request('GET', '/api/profile/', {
        headers: { authorization: `Bearer ${res.json.access}` },
      });
      assert.equal(profile.body, `{"username":"${username}","email":"${username}@example.com"}`);
    },
  },
];

describe('the second step of every login (CONTRACT "Two-factor authentication and passkeys")', () => {
  let t: TestApp;
  let clock: FakeClock;
  let serial = 0;
  before(async () => {
    clock = createFakeClock();
    // Many tests fail codes from one address: the per-address bucket is tested on its own below.
    t = await makeApp({ clock, env: { GATEHOUSE_LOGIN_ADDRESS_RATE: '10000/min' } });
  });
  after(() => t.close());

  /** A new user with TOTP on; the app that shows its codes and its recovery codes. */
  async function mfaUser(): Promise<{ username: string; app: AuthenticatorApp; recoveryCodes: string[] }> {
    const username = `mfa${++serial}`;
    await t.user(username);
    const c = t.client();
    await c.login(username);
    return { username, ...(await enableTotp(c, clock)) };
  }

  /** The client's second step, with CSRF as a browser sends it (ignored by the token logins). */
  function verify(c: Client, ephemeral_token: string, code: string): Promise<Reply> {
    return c.request('POST', '/auth/mfa/verify/', { json: { ephemeral_token, code }, csrf: true });
  }

  /** The same request from another client address (Fastify's inject, another peer). */
  async function verifyFrom(address: string, ephemeral_token: string, code: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/mfa/verify/',
      remoteAddress: address,
      headers: { host: 'localhost', 'content-type': 'application/json' },
      payload: JSON.stringify({ ephemeral_token, code }),
    });
    return { status: res.statusCode, body: res.body };
  }

  for (const login of LOGINS) {
    describe(`POST ${login.path}`, () => {
      test('AUTH-10: an MFA user gets only {"ephemeral_token","mfa_required":true}: no cookie, key or JWT', async () => {
        const { username } = await mfaUser();
        const c = t.client();
        const res = await login.start(c, username);
        assert.equal(res.status, 200);
        const [, token] = EPHEMERAL.exec(res.body) ?? assert.fail(res.body);
        if (login.session) {
          assert.equal(res.setCookies.length, 1);
          assert.match(res.setCookies[0], BINDING_COOKIE);
        } else assert.deepEqual(res.setCookies, []);
        assert.equal(res.headers['cache-control'], 'no-store');
        // Half a login grants nothing, whatever the token is presented as.
        assert.equal((await c.request('GET', '/api/me/')).body, '{"user":null}');
        for (const authorization of [`Token ${token}`, `Bearer ${token}`]) {
          const denied = await t.client().request('GET', '/api/profile/', { headers: { authorization } });
          assert.equal(denied.status, 401);
        }
        const asCookie = await t
          .client()
          .request('GET', '/api/me/', { headers: { cookie: `sessionid=${token}` } });
        assert.equal(asCookie.body, '{"user":null}');
      });

      test('verify completes exactly the login that was started', async () => {
        const { username, app } = await mfaUser();
        const c = t.client();
        const token = (await login.start(c, username)).json.ephemeral_token;
        const done = await verify(c, token, app.code(clock.now()));
        assert.equal(done.status, 200, done.body);
        assert.equal(done.headers['cache-control'], 'no-store');
        await login.credential(t, c, done, username);
      });

      test('a recovery code completes it too, once', async () => {
        const { username, recoveryCodes } = await mfaUser();
        const c = t.client();
        const done = await verify(c, (await login.start(c, username)).json.ephemeral_token, recoveryCodes[3]);
        assert.equal(done.status, 200, done.body);
        await login.credential(t, c, done, username);
        const again = t.client();
        const second = await verify(
          again,
          (await login.start(again, username)).json.ephemeral_token,
          recoveryCodes[3],
        );
        assert.equal(second.status, 400);
        assert.equal(second.body, INVALID_CODE);
      });

      test('a wrong code is 400 {"code":["Invalid code."]} and the right one still completes it', async () => {
        const { username, app } = await mfaUser();
        const c = t.client();
        const token = (await login.start(c, username)).json.ephemeral_token;
        const wrong = await verify(c, token, app.code(clock.now() + 3_600_000));
        assert.equal(wrong.status, 400);
        assert.equal(wrong.body, INVALID_CODE);
        const done = await verify(c, token, app.code(clock.now()));
        assert.equal(done.status, 200, done.body);
        await login.credential(t, c, done, username);
      });

      test('the ephemeral token works only for the client that started the login', async () => {
        const { username, app } = await mfaUser();
        const c = t.client();
        const token = (await login.start(c, username)).json.ephemeral_token;
        if (login.session) {
          // Another browser (no binding cookie, or its own) cannot finish it.
          const other = t.client();
          await other.primeCsrf();
          assert.equal((await verify(other, token, app.code(clock.now()))).body, INVALID_TOKEN);
          const stranger = t.client();
          await login.start(stranger, username);
          assert.equal((await verify(stranger, token, app.code(clock.now()))).body, INVALID_TOKEN);
        } else {
          const elsewhere = await verifyFrom('203.0.113.9', token, app.code(clock.now()));
          assert.deepEqual(elsewhere, { status: 400, body: INVALID_TOKEN });
        }
        // The stranger used up none of the real client's attempts.
        const done = await verify(c, token, app.code(clock.now()));
        assert.equal(done.status, 200, done.body);
      });
    });
  }

  describe('beyond dj-rest-auth', () => {
    test('a TOTP code is accepted once: a replay in the same window is "Invalid code."', async () => {
      const { username, app } = await mfaUser();
      const code = app.code(clock.now());
      const first = t.client();
      assert.equal(
        (await verify(first, (await first.login(username)).json.ephemeral_token, code)).status,
        200,
      );
      const second = t.client();
      const replay = await verify(second, (await second.login(username)).json.ephemeral_token, code);
      assert.equal(replay.status, 400);
      assert.equal(replay.body, INVALID_CODE);
      // The previous window's code is older still: refused too. The next one is fine.
      const older = await verify(
        second,
        (await second.login(username)).json.ephemeral_token,
        app.code(clock.now() - 30_000),
      );
      assert.equal(older.body, INVALID_CODE);
      clock.advance(30_000);
      const next = await verify(
        second,
        (await second.login(username)).json.ephemeral_token,
        app.code(clock.now()),
      );
      assert.equal(next.status, 200);
    });

    test('the code that activated TOTP cannot also log in', async () => {
      const username = `mfa${++serial}`;
      await t.user(username);
      const c = t.client();
      await c.login(username);
      const begun = await c.request('GET', '/auth/mfa/totp/activate/');
      const { scan } = await import('../helpers/mfa.ts');
      const app = scan(begun.json.totp_url);
      const code = app.code(clock.now());
      await c.request('POST', '/auth/mfa/totp/activate/', {
        json: { activation_token: begun.json.activation_token, code, current_password: PASSWORD },
        csrf: true,
      });
      clock.advance(1); // the change of factors ended every login started up to its millisecond
      const other = t.client();
      const res = await verify(other, (await other.login(username)).json.ephemeral_token, code);
      assert.equal(res.body, INVALID_CODE);
      clock.advance(30_000);
    });

    test('a TOTP code one step early or late is accepted (±1 step), two steps is not', async () => {
      const { username, app } = await mfaUser();
      const c = t.client();
      const late = await verify(
        c,
        (await c.login(username)).json.ephemeral_token,
        app.code(clock.now() + 60_000),
      );
      assert.equal(late.body, INVALID_CODE);
      const early = await verify(
        c,
        (await c.login(username)).json.ephemeral_token,
        app.code(clock.now() + 30_000),
      );
      assert.equal(early.status, 200);
      clock.advance(90_000);
    });

    test('AUTH-09b: an ephemeral token dies after 5 wrong codes, whatever comes next', async () => {
      const { username, app } = await mfaUser();
      const c = t.client();
      const token = (await c.request('POST', '/api/token/', { json: { username, password: PASSWORD } })).json
        .ephemeral_token;
      for (let i = 0; i < 5; i++) assert.equal((await verify(c, token, `00000${i}`)).body, INVALID_CODE);
      const right = await verify(c, token, app.code(clock.now()));
      assert.equal(right.status, 400);
      assert.equal(right.body, INVALID_TOKEN);
    });

    test('AUTH-09b: of 20 wrong codes sent at once, at most 5 are judged', async () => {
      const { username, app } = await mfaUser();
      const c = t.client();
      const token = (await c.request('POST', '/api-token-auth/', { json: { username, password: PASSWORD } }))
        .json.ephemeral_token;
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => verify(c, token, String(100000 + i))),
      );
      assert.equal(answers.filter((a) => a.body === INVALID_CODE).length, 5);
      assert.equal(answers.filter((a) => a.body === INVALID_TOKEN).length, 15);
      assert.equal((await verify(c, token, app.code(clock.now()))).body, INVALID_TOKEN);
    });

    test('an ephemeral token dies 300 s after the password was checked', async () => {
      const { username, app } = await mfaUser();
      const c = t.client();
      const start = () => c.request('POST', '/api/token/', { json: { username, password: PASSWORD } });
      const inTime = (await start()).json.ephemeral_token;
      clock.advance(299_999);
      assert.equal((await verify(c, inTime, app.code(clock.now()))).status, 200);
      const late = (await start()).json.ephemeral_token;
      clock.advance(300_000);
      assert.equal((await verify(c, late, app.code(clock.now()))).body, INVALID_TOKEN);
    });

    test('an ephemeral token is single-use: the same token after success is dead', async () => {
      const { username, app } = await mfaUser();
      const c = t.client();
      const token = (await c.login(username)).json.ephemeral_token;
      assert.equal((await verify(c, token, app.code(clock.now()))).status, 200);
      clock.advance(30_000);
      assert.equal((await verify(c, token, app.code(clock.now()))).body, INVALID_TOKEN);
    });

    test('CSRF-01: finishing a session login is CSRF-checked as login is; the token survives the refusal', async () => {
      const { username, app } = await mfaUser();
      const c = t.client();
      const token = (await c.login(username)).json.ephemeral_token;
      const refused = await c.request('POST', '/auth/mfa/verify/', {
        json: { ephemeral_token: token, code: app.code(clock.now()) },
      });
      assert.equal(refused.status, 403);
      assert.equal(refused.body, '{"detail":"CSRF Failed: CSRF token missing."}');
      const foreign = await c.request('POST', '/auth/mfa/verify/', {
        json: { ephemeral_token: token, code: app.code(clock.now()) },
        csrf: true,
        headers: { origin: 'https://evil.example' },
      });
      assert.equal(foreign.status, 403);
      assert.equal(
        foreign.json.detail,
        'CSRF Failed: Origin checking failed - https://evil.example does not match any trusted origins.',
      );
      assert.equal((await verify(c, token, app.code(clock.now()))).status, 200);
    });

    test('SES-08: finishing a session login issues a new session id; a session held before is ended', async () => {
      const { username, app } = await mfaUser();
      const c = t.client();
      await t.user(`${username}x`);
      await c.login(`${username}x`);
      const before = c.jar.get('sessionid');
      const token = (await c.login(username)).json.ephemeral_token;
      assert.equal(c.jar.get('sessionid'), before, 'the password alone changes no session');
      await verify(c, token, app.code(clock.now()));
      assert.notEqual(c.jar.get('sessionid'), before);
      const old = await t.client().request('GET', '/api/me/', { headers: { cookie: `sessionid=${before}` } });
      assert.equal(old.body, '{"user":null}');
    });

    test('AUTH-04: wrong codes count as failed logins for the account: the right password then answers 429', async () => {
      const { username } = await mfaUser();
      const c = t.client();
      const token = (await c.request('POST', '/api/token/', { json: { username, password: PASSWORD } })).json
        .ephemeral_token;
      for (let i = 0; i < 5; i++) await verify(c, token, `12345${i}`);
      const res = await c.request('POST', '/api/token/', { json: { username, password: PASSWORD } });
      assert.equal(res.status, 429);
      assert.match(res.body, /^\{"detail":"Request was throttled\. Expected available in \d+ seconds?\."\}$/);
      clock.advance(60_000);
    });

    test('verify: missing fields, an over-long code and a malformed token get DRF field errors', async () => {
      const c = t.client();
      const empty = await c.request('POST', '/auth/mfa/verify/', { json: {} });
      assert.equal(empty.status, 400);
      assert.equal(
        empty.body,
        '{"ephemeral_token":["This field is required."],"code":["This field is required."]}',
      );
      const long = await c.request('POST', '/auth/mfa/verify/', {
        json: { ephemeral_token: 'x', code: '1234567890' },
      });
      assert.equal(long.body, '{"code":["Ensure this field has no more than 9 characters."]}');
      for (const ephemeral_token of ['x', 'A'.repeat(43), '7:1vfqWm:Xj3', 'A'.repeat(100_000)]) {
        const res = await c.request('POST', '/auth/mfa/verify/', {
          json: { ephemeral_token, code: '123456' },
        });
        assert.equal(res.status, 400);
        assert.equal(res.body, INVALID_TOKEN);
      }
      assert.equal((await c.request('POST', '/auth/mfa/verify', { json: {} })).status, 400, 'slash optional');
    });

    test('a user deactivated between the password and the code gets "Invalid or expired token."', async () => {
      const { username, app } = await mfaUser();
      const c = t.client();
      const token = (await c.request('POST', '/api/token/', { json: { username, password: PASSWORD } })).json
        .ephemeral_token;
      const user = (await t.gh.accounts.getByUsername(username))!;
      await t.gh.accounts.setActive(user, false);
      assert.equal((await verify(c, token, app.code(clock.now()))).body, INVALID_TOKEN);
    });

    for (const [change, end] of [
      [
        'a password change',
        (gh: TestApp['gh'], user: User) => gh.accounts.setPassword(user, 'Another-Pw-987'),
      ],
      ['a logout everywhere', (gh: TestApp['gh'], user: User) => gh.accounts.logoutEverywhere(user)],
    ] as const) {
      test(`review: a login started before ${change} cannot be finished after it, at any login endpoint`, async () => {
        const { username, app } = await mfaUser();
        for (const path of ['/api/token/', '/api-token-auth/', '/auth/token/login/']) {
          const c = t.client();
          const started = await c.request('POST', path, { json: { username, password: PASSWORD } });
          assert.match(started.body, EPHEMERAL, path);
          const user = (await t.gh.accounts.getByUsername(username))!;
          await end(t.gh, user);
          clock.advance(30_000); // a fresh code, so only the ended login can refuse it
          assert.equal(
            (await verify(c, started.json.ephemeral_token, app.code(clock.now()))).body,
            INVALID_TOKEN,
            path,
          );
          if (change === 'a password change') await t.gh.accounts.setPassword(user, PASSWORD); // back, for the next path
        }
      });
    }

    test('review: a login whose password was checked against a record a reset has since changed starts no second step', async () => {
      const { username } = await mfaUser();
      const checked = (await t.gh.accounts.getByUsername(username))!; // the record the password was checked against
      await t.gh.accounts.setPassword(checked, 'Another-Pw-987'); // lands while the password is hashed
      assert.equal(
        await t.gh.mfa.startLogin(checked, 'jwt', 'binding', {
          clientAddress: '127.0.0.1',
          path: '/api/token/',
        }),
        null,
      );
    });

    test('a user without MFA gets the credential at once, as before', async () => {
      await t.user(`plain${++serial}`);
      const res = await t.client().request('POST', '/api/token/', {
        json: { username: `plain${serial}`, password: PASSWORD },
      });
      assert.deepEqual(Object.keys(res.json), ['refresh', 'access']);
    });
  });

  describe("the browsable API's log-in form asks for the code", () => {
    const form = (c: Client, fields: Record<string, string>) =>
      c.request('POST', '/api-auth/login/', {
        form: { csrfmiddlewaretoken: c.csrf ?? '', next: '/api/profile/', ...fields },
        headers: { accept: 'text/html' },
      });

    test('password, then code: 302 to next with a session; a wrong code keeps the form', async () => {
      const { username, app } = await mfaUser();
      const c = t.client();
      await c.request('GET', '/api-auth/login/');
      const step = await form(c, { username, password: PASSWORD });
      assert.equal(step.status, 200);
      assert.match(step.headers['content-type'] as string, /^text\/html/);
      assert.match(
        step.body,
        /<label for="id_code">Code<\/label><input type="text" name="code" id="id_code" autocomplete="one-time-code"/,
      );
      assert.ok(!step.setCookies.some((l) => l.startsWith('sessionid=')), 'no session before the code');
      assert.ok(step.setCookies.some((l) => BINDING_COOKIE.test(l)));
      const ephemeral = /name="ephemeral_token" value="([A-Za-z0-9_-]{43})"/.exec(step.body)?.[1];
      assert.ok(ephemeral);
      const wrong = await form(c, { ephemeral_token: ephemeral, code: '000000' });
      assert.equal(wrong.status, 200);
      assert.match(wrong.body, /<p class="error">Invalid code\.<\/p>/);
      assert.match(wrong.body, /name="code"/);
      const done = await form(c, { ephemeral_token: ephemeral, code: app.code(clock.now()) });
      assert.equal(done.status, 302);
      assert.equal(done.headers.location, '/api/profile/');
      assert.ok(done.setCookies.some((l) => SESSION_COOKIE.test(l)));
      assert.equal((await c.request('GET', '/api/profile/?format=json')).status, 200);
    });

    test('a token or JWT login cannot be finished by the form as a session', async () => {
      const { username, app } = await mfaUser();
      const c = t.client();
      await c.request('GET', '/api-auth/login/');
      const token = (await c.request('POST', '/api/token/', { json: { username, password: PASSWORD } })).json
        .ephemeral_token;
      const res = await form(c, { ephemeral_token: token, code: app.code(clock.now()) });
      assert.equal(res.status, 200);
      assert.match(res.body, /Invalid or expired token\. Log in again\./);
      assert.ok(!res.setCookies.some((l) => l.startsWith('sessionid=')));
    });
  });
});

const pgSkip = (await postgresSkipReason()) ?? false;

describe('on PostgreSQL, where requests really run at once (AUTH-09b, races)', { skip: pgSkip }, () => {
  let t: TestApp;
  let clock: FakeClock;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  before(async () => {
    db = await createTestDatabase();
    clock = createFakeClock();
    t = await makeApp({
      clock,
      env: {
        DATABASE_URL: db.url,
        GATEHOUSE_LOGIN_RATE: '1000/min',
        GATEHOUSE_LOGIN_ADDRESS_RATE: '1000/min',
      },
    });
  });
  after(async () => {
    await t?.close();
    await db?.drop();
  });

  async function mfaUser(username: string) {
    await t.user(username);
    const c = t.client();
    await c.login(username);
    return enableTotp(c, clock);
  }

  const start = async (username: string) =>
    (await t.client().request('POST', '/api/token/', { json: { username, password: PASSWORD } })).json
      .ephemeral_token as string;
  const verify = (ephemeral_token: string, code: string) =>
    t.client().request('POST', '/auth/mfa/verify/', { json: { ephemeral_token, code } });

  test('of 20 wrong codes sent at once on one token, at most 5 are judged', async () => {
    const { app } = await mfaUser('burst');
    const token = await start('burst');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => verify(token, String(200000 + i))),
    );
    assert.equal(answers.filter((a) => a.body === INVALID_CODE).length, 5);
    assert.equal(answers.filter((a) => a.body === INVALID_TOKEN).length, 15);
    assert.equal((await verify(token, app.code(clock.now()))).body, INVALID_TOKEN);
  });

  test('one TOTP code sent at once on 10 logins finishes exactly one', async () => {
    const { app } = await mfaUser('race');
    const tokens = await Promise.all(Array.from({ length: 10 }, () => start('race')));
    const code = app.code(clock.now());
    const answers = await Promise.all(tokens.map((token) => verify(token, code)));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    assert.equal(answers.filter((a) => a.body === INVALID_CODE).length, 9);
  });

  test('one recovery code sent at once on 10 logins finishes exactly one', async () => {
    const { recoveryCodes } = await mfaUser('codes');
    const tokens = await Promise.all(Array.from({ length: 10 }, () => start('codes')));
    const answers = await Promise.all(tokens.map((token) => verify(token, recoveryCodes[2])));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    assert.equal(answers.filter((a) => a.body === INVALID_CODE).length, 9);
  });

  test('one token with the right code sent 10 times at once is one login', async () => {
    const { app } = await mfaUser('twice');
    const token = await start('twice');
    const code = app.code(clock.now());
    const answers = await Promise.all(Array.from({ length: 10 }, () => verify(token, code)));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
  });
});
