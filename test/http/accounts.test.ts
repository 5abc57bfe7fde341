/**
 * The contract's "Accounts" table on the reference server, without the
 * mailbox: djoser 2.1's bodies, field order, status codes and strings
 * (measured in /work/notes/djoser-wire.md), and the contract's departures.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Client, makeApp, type TestApp } from '../helpers/app.ts';

const PW = 'Pw-12345678';
const NOT_PROVIDED = '{"detail":"Authentication credentials were not provided."}';

/** A client carrying `Authorization: Token <key>` on every request. */
function withToken(c: Client, key: string) {
  return (method: string, url: string, json?: unknown) =>
    c.request(method, url, { json, headers: { authorization: `Token ${key}` } });
}

async function tokenFor(t: TestApp, username: string, password = PW): Promise<string> {
  const res = await t.client().request('POST', '/auth/token/login/', { json: { username, password } });
  assert.equal(res.status, 200, res.body);
  return res.json.auth_token;
}

describe('djoser accounts (CONTRACT "Accounts")', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp({ env: { GATEHOUSE_LOGIN_RATE: '100/min', GATEHOUSE_LOGIN_ADDRESS_RATE: '1000/min' } });
    await t.user('staff', PW, { isStaff: true });
  });
  after(() => t.close());

  describe('POST /auth/users/ (create)', () => {
    test('201 {"email","username","id"} in djoser\'s field order; email defaults to ""; no login', async () => {
      const res = await t.client().request('POST', '/auth/users/', {
        json: { username: 'alice', password: 'Str0ng-pass!', email: 'alice@example.test' },
      });
      assert.equal(res.status, 201);
      assert.match(res.body, /^\{"email":"alice@example\.test","username":"alice","id":\d+\}$/);
      assert.deepEqual(res.setCookies, []);
      assert.equal(res.headers['cache-control'], 'no-store');
      const bob = await t
        .client()
        .request('POST', '/auth/users/', { form: { username: 'bob', password: PW } });
      assert.equal(bob.status, 201);
      assert.match(bob.body, /^\{"email":"","username":"bob","id":\d+\}$/);
    });

    test("field errors in djoser's order (email, username, password), with DRF's messages", async () => {
      const post = (json: unknown) => t.client().request('POST', '/auth/users/', { json });
      const cases: [unknown, string][] = [
        [{}, '{"username":["This field is required."],"password":["This field is required."]}'],
        [
          { username: '', password: '', email: '' },
          '{"username":["This field may not be blank."],"password":["This field may not be blank."]}',
        ],
        [
          { username: null, password: null, email: null },
          '{"email":["This field may not be null."],"username":["This field may not be null."],"password":["This field may not be null."]}',
        ],
        [
          { username: ['x'], password: { a: 1 }, email: 5 },
          '{"email":["Enter a valid email address."],"username":["Not a valid string."],"password":["Not a valid string."]}',
        ],
        [
          { username: 'carol', password: PW, email: 'not-an-email' },
          '{"email":["Enter a valid email address."]}',
        ],
        [
          { username: 'carol', password: PW, email: `${'a'.repeat(244)}@example.com` },
          '{"email":["Ensure this field has no more than 254 characters."]}',
        ],
        [{ username: 'alice', password: PW }, '{"username":["A user with that username already exists."]}'],
        [
          { username: 'bad name', password: PW },
          '{"username":["Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."]}',
        ],
        [
          { username: 'a'.repeat(151), password: PW },
          '{"username":["Ensure this field has no more than 150 characters."]}',
        ],
        [
          { username: 'carol', password: 'x7#k' },
          '{"password":["This password is too short. It must contain at least 8 characters."]}',
        ],
        [{ username: 'carol', password: 'password' }, '{"password":["This password is too common."]}'],
        [
          { username: 'carol', password: '1234' },
          '{"password":["This password is too short. It must contain at least 8 characters.","This password is too common.","This password is entirely numeric."]}',
        ],
        [
          { username: 'frankfurter', password: 'frankfurter1' },
          '{"password":["The password is too similar to the username."]}',
        ],
        [
          { username: 'gina', password: 'ginamarie', email: 'ginamarie@example.com' },
          '{"password":["The password is too similar to the email address."]}',
        ],
        // The validators run only once every field is valid: a taken name hides a weak password.
        [
          { username: 'alice', password: '1234' },
          '{"username":["A user with that username already exists."]}',
        ],
        [[1, 2], '{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}'],
      ];
      for (const [body, expected] of cases) {
        const res = await post(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body, expected, JSON.stringify(body));
      }
    });

    test('is_staff and id are ignored; a number is read as a string', async () => {
      const res = await t.client().request('POST', '/auth/users/', {
        json: { username: 'dave', password: PW, is_staff: true, id: 99 },
      });
      assert.equal(res.status, 201);
      assert.notEqual(res.json.id, 99);
      assert.equal((await t.gh.accounts.getByUsername('dave'))?.isStaff, false);
      const numeric = await t.client().request('POST', '/auth/users/', {
        json: { username: 'erin', password: 98765432123 },
      });
      assert.equal(numeric.body, '{"password":["This password is entirely numeric."]}');
    });

    test("/auth/users without the slash answers 301 to it (Django's APPEND_SLASH)", async () => {
      const res = await t.client().request('POST', '/auth/users', { json: {} });
      assert.equal(res.status, 301);
      assert.equal(res.headers.location, '/auth/users/');
    });
  });

  describe('users/, users/me/, users/<id>/ (HIDE_USERS)', () => {
    test('anonymous: 403 credentials not provided, on the list, me and an id', async () => {
      for (const path of ['/auth/users/', '/auth/users/me/', '/auth/users/1/']) {
        const res = await t.client().request('GET', path);
        assert.equal(res.status, 403, path);
        assert.equal(res.body, NOT_PROVIDED, path);
      }
    });

    test('Token-first clients hear 401 with WWW-Authenticate: Token for a bad key', async () => {
      const res = await t
        .client()
        .request('GET', '/auth/users/me/', { headers: { authorization: 'Token nope' } });
      assert.equal(res.status, 403);
      assert.equal(res.body, '{"detail":"Invalid token."}');
    });

    test('GET me: {"email","id","username"}; a user lists only itself; staff list everyone in id order', async () => {
      const alice = withToken(t.client(), await tokenFor(t, 'alice', 'Str0ng-pass!'));
      const me = await alice('GET', '/auth/users/me/');
      assert.equal(me.status, 200);
      assert.match(me.body, /^\{"email":"alice@example\.test","id":\d+,"username":"alice"\}$/);
      const list = await alice('GET', '/auth/users/');
      assert.equal(list.body, `[${me.body}]`);
      const staff = withToken(t.client(), await tokenFor(t, 'staff'));
      const all = (await staff('GET', '/auth/users/')).json as { id: number; username: string }[];
      assert.deepEqual(
        all.map((u) => u.id),
        [...all.map((u) => u.id)].sort((a, b) => a - b),
      );
      assert.ok(all.some((u) => u.username === 'alice') && all.some((u) => u.username === 'bob'));
    });

    test("another user's id, an unknown id and a non-number are the same 404; staff see anyone", async () => {
      const alice = withToken(t.client(), await tokenFor(t, 'alice', 'Str0ng-pass!'));
      const bob = (await t.gh.accounts.getByUsername('bob'))!;
      const self = (await t.gh.accounts.getByUsername('alice'))!;
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
        for (const id of [String(bob.id), '987654', 'abc']) {
          const res = await alice(
            method,
            `/auth/users/${id}/`,
            method === 'DELETE' ? { current_password: 'Str0ng-pass!' } : {},
          );
          assert.equal(res.status, 404, `${method} ${id}`);
          assert.equal(res.body, '{"detail":"Not found."}');
        }
      }
      assert.equal((await alice('GET', `/auth/users/${self.id}/`)).json.username, 'alice');
      const staff = withToken(t.client(), await tokenFor(t, 'staff'));
      assert.equal(
        (await staff('GET', `/auth/users/${bob.id}/`)).body,
        `{"email":"","id":${bob.id},"username":"bob"}`,
      );
    });

    test('PATCH/PUT me: username and id are read only; a bad address is a field error; the same or no address is 200', async () => {
      const alice = withToken(t.client(), await tokenFor(t, 'alice', 'Str0ng-pass!'));
      const before = (await alice('GET', '/auth/users/me/')).body;
      assert.equal((await alice('PATCH', '/auth/users/me/', { username: 'mallory', id: 1 })).body, before);
      assert.equal((await alice('PUT', '/auth/users/me/', {})).body, before);
      assert.equal((await alice('PUT', '/auth/users/me/', { email: 'alice@example.test' })).body, before);
      const bad = await alice('PATCH', '/auth/users/me/', { email: 'nope' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body, '{"email":["Enter a valid email address."]}');
      const post = await alice('POST', '/auth/users/me/');
      assert.equal(post.status, 405);
      assert.equal(post.body, '{"detail":"Method \\"POST\\" not allowed."}');
      assert.equal(post.headers.allow, 'GET, PUT, PATCH, DELETE, HEAD, OPTIONS');
    });

    test('DELETE me: current_password required and checked, then the user and every credential are gone', async () => {
      await t.user('zed');
      const c = t.client();
      const key = await tokenFor(t, 'zed');
      await c.login('zed');
      const jwt = (
        await t.client().request('POST', '/auth/jwt/create/', { json: { username: 'zed', password: PW } })
      ).json;
      const zed = withToken(t.client(), key);
      const missing = await zed('DELETE', '/auth/users/me/');
      assert.equal(missing.status, 400);
      assert.equal(missing.body, '{"current_password":["This field is required."]}');
      const wrong = await zed('DELETE', '/auth/users/me/', { current_password: 'nope' });
      assert.equal(wrong.body, '{"current_password":["Invalid password."]}');
      const gone = await c.request('DELETE', '/auth/users/me/', {
        json: { current_password: PW },
        csrf: true,
      });
      assert.equal(gone.status, 204);
      assert.equal(gone.body, '');
      assert.ok(gone.setCookies.some((line) => line.startsWith('sessionid=""')));
      assert.equal(await t.gh.accounts.getByUsername('zed'), null);
      assert.equal((await zed('GET', '/auth/users/me/')).body, '{"detail":"Invalid token."}');
      const refresh = await t
        .client()
        .request('POST', '/auth/jwt/refresh/', { json: { refresh: jwt.refresh } });
      assert.equal(refresh.status, 401);
      const bearer = await t
        .client()
        .request('GET', '/api/profile/', { headers: { authorization: `Bearer ${jwt.access}` } });
      assert.equal(bearer.status, 401);
    });

    test("staff delete another user with the staff member's own current_password", async () => {
      await t.user('victim');
      const victim = (await t.gh.accounts.getByUsername('victim'))!;
      const staff = withToken(t.client(), await tokenFor(t, 'staff'));
      assert.equal(
        (await staff('DELETE', `/auth/users/${victim.id}/`, { current_password: PW })).status,
        204,
      );
      assert.equal(await t.gh.accounts.getById(victim.id), null);
    });
  });

  describe('set_password and set_username', () => {
    test("set_password: djoser's errors; a wrong current password hides the validators", async () => {
      await t.user('pat');
      const pat = withToken(t.client(), await tokenFor(t, 'pat'));
      const cases: [unknown, string][] = [
        [{}, '{"new_password":["This field is required."],"current_password":["This field is required."]}'],
        [
          { new_password: '', current_password: '' },
          '{"new_password":["This field may not be blank."],"current_password":["This field may not be blank."]}',
        ],
        [{ new_password: '1', current_password: 'wrong' }, '{"current_password":["Invalid password."]}'],
        [
          { new_password: '1234', current_password: PW },
          '{"new_password":["This password is too short. It must contain at least 8 characters.","This password is too common.","This password is entirely numeric."]}',
        ],
        [
          { new_password: 'pat1', current_password: PW },
          '{"new_password":["The password is too similar to the username.","This password is too short. It must contain at least 8 characters."]}',
        ],
        [
          { new_password: 'password1', current_password: PW },
          '{"new_password":["This password is too common."]}',
        ],
      ];
      for (const [body, expected] of cases) {
        const res = await pat('POST', '/auth/users/set_password/', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body, expected, JSON.stringify(body));
      }
    });

    test('set_password: 204; the current session continues under a new key, the others and every JWT end, API tokens stay', async () => {
      await t.user('quinn');
      const browser = t.client();
      await browser.login('quinn');
      const oldSession = browser.jar.get('sessionid');
      const other = t.client();
      await other.login('quinn');
      const key = await tokenFor(t, 'quinn');
      const jwt = (
        await t.client().request('POST', '/auth/jwt/create/', { json: { username: 'quinn', password: PW } })
      ).json;
      const res = await browser.request('POST', '/auth/users/set_password/', {
        json: { new_password: 'N3w-passphrase', current_password: PW },
        csrf: true,
      });
      assert.equal(res.status, 204);
      assert.notEqual(browser.jar.get('sessionid'), oldSession);
      assert.equal((await browser.request('GET', '/auth/users/me/')).json.username, 'quinn');
      assert.equal((await other.request('GET', '/auth/users/me/')).status, 403);
      assert.equal((await withToken(t.client(), key)('GET', '/auth/users/me/')).status, 200);
      const refresh = await t
        .client()
        .request('POST', '/auth/jwt/refresh/', { json: { refresh: jwt.refresh } });
      assert.equal(refresh.status, 401);
      assert.equal((await tokenFor(t, 'quinn', 'N3w-passphrase')).length > 0, true);
    });

    test('issue 8.10: set_password with end_tokens (a Gatehouse addition) ends the API tokens too', async () => {
      await t.user('quill');
      const browser = t.client();
      await browser.login('quill');
      const key = await tokenFor(t, 'quill');
      const res = await browser.request('POST', '/auth/users/set_password/', {
        json: { new_password: 'N3w-passphrase', current_password: PW, end_tokens: true },
        csrf: true,
      });
      assert.equal(res.status, 204);
      assert.equal((await browser.request('GET', '/auth/users/me/')).json.username, 'quill');
      assert.equal((await withToken(t.client(), key)('GET', '/auth/users/me/')).status, 403);
    });

    test('set_password by session without CSRF: 403 CSRF Failed', async () => {
      const browser = t.client();
      await browser.login('quinn', 'N3w-passphrase');
      const res = await browser.request('POST', '/auth/users/set_password/', {
        json: { new_password: 'x', current_password: 'y' },
      });
      assert.equal(res.status, 403);
      assert.match(res.body, /^\{"detail":"CSRF Failed: /);
    });

    test("set_username: djoser's errors (current_password first), then 204 and the new name logs in", async () => {
      await t.user('rita');
      const rita = withToken(t.client(), await tokenFor(t, 'rita'));
      const cases: [unknown, string][] = [
        [{}, '{"current_password":["This field is required."],"new_username":["This field is required."]}'],
        [
          { current_password: '', new_username: '' },
          '{"current_password":["This field may not be blank."],"new_username":["This field may not be blank."]}',
        ],
        [
          { current_password: PW, new_username: 'bob' },
          '{"new_username":["A user with that username already exists."]}',
        ],
        [
          { current_password: PW, new_username: 'rita' },
          '{"new_username":["A user with that username already exists."]}',
        ],
        [
          { current_password: PW, new_username: 'a b' },
          '{"new_username":["Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."]}',
        ],
        [
          { current_password: PW, new_username: 'r'.repeat(151) },
          '{"new_username":["Ensure this field has no more than 150 characters."]}',
        ],
        [{ current_password: 'wrong', new_username: 'rita2' }, '{"current_password":["Invalid password."]}'],
        [
          { current_password: 'wrong', new_username: '' },
          '{"current_password":["Invalid password."],"new_username":["This field may not be blank."]}',
        ],
        [
          { current_password: 'wrong', new_username: 'bob' },
          '{"current_password":["Invalid password."],"new_username":["A user with that username already exists."]}',
        ],
      ];
      for (const [body, expected] of cases) {
        const res = await rita('POST', '/auth/users/set_username/', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body, expected, JSON.stringify(body));
      }
      const ok = await rita('POST', '/auth/users/set_username/', {
        current_password: PW,
        new_username: 'BOB',
      });
      assert.equal(ok.status, 204);
      assert.equal((await rita('GET', '/auth/users/me/')).json.username, 'BOB');
      assert.ok(await tokenFor(t, 'BOB'));
    });

    test('a wrong current password counts as a failed login (AUTH-09b): past the limit, 429', async () => {
      const app = await makeApp({ env: { GATEHOUSE_LOGIN_RATE: '2/min' } });
      try {
        await app.user('sam');
        const login = await app
          .client()
          .request('POST', '/auth/token/login/', { json: { username: 'sam', password: PW } });
        const sam = withToken(app.client(), login.json.auth_token);
        for (let i = 0; i < 2; i++) {
          const res = await sam('POST', '/auth/users/set_password/', {
            new_password: 'N3w-passphrase',
            current_password: 'x',
          });
          assert.equal(res.status, 400);
        }
        const blocked = await sam('POST', '/auth/users/set_password/', {
          new_password: 'N3w-passphrase',
          current_password: PW,
        });
        assert.equal(blocked.status, 429);
        assert.equal(blocked.body, '{"detail":"Request was throttled. Expected available in 60 seconds."}');
      } finally {
        await app.close();
      }
    });
  });

  describe('actions open to anyone', () => {
    test("a GET on a POST-only action: anonymous 403 (djoser's permissions come first), authenticated 405", async () => {
      const key = await tokenFor(t, 'staff');
      for (const action of [
        'activation',
        'resend_activation',
        'reset_password',
        'reset_password_confirm',
        'set_password',
        'set_username',
      ]) {
        const path = `/auth/users/${action}/`;
        const anonymous = await t.client().request('GET', path);
        assert.equal(anonymous.status, 403, path);
        assert.equal(anonymous.body, NOT_PROVIDED, path);
        const signedIn = await withToken(t.client(), key)('GET', path);
        assert.equal(signedIn.status, 405, path);
        assert.equal(signedIn.body, '{"detail":"Method \\"GET\\" not allowed."}');
        assert.equal(signedIn.headers.allow, 'POST, OPTIONS');
      }
    });

    test("activation and reset_password_confirm: djoser's field and uid errors; a uid or token as a number is a 400, never a 500", async () => {
      const cases: [string, unknown, string][] = [
        ['activation', {}, '{"uid":["This field is required."],"token":["This field is required."]}'],
        [
          'activation',
          { uid: '', token: '' },
          '{"uid":["This field may not be blank."],"token":["This field may not be blank."]}',
        ],
        ['activation', { uid: '!!!', token: 'x' }, '{"uid":["Invalid user id or user doesn\'t exist."]}'],
        ['activation', { uid: 'OTk5OQ', token: 'x' }, '{"uid":["Invalid user id or user doesn\'t exist."]}'],
        ['activation', { uid: 'YWJj', token: 'x' }, '{"uid":["Invalid user id or user doesn\'t exist."]}'],
        ['activation', { uid: '__4', token: 'x' }, '{"uid":["Invalid user id or user doesn\'t exist."]}'],
        ['activation', { uid: ['MQ'], token: 'x' }, '{"uid":["Not a valid string."]}'],
        ['activation', { uid: 1, token: 2 }, '{"uid":["Invalid user id or user doesn\'t exist."]}'],
        [
          'reset_password_confirm',
          {},
          '{"uid":["This field is required."],"token":["This field is required."],"new_password":["This field is required."]}',
        ],
        [
          'reset_password_confirm',
          { uid: 'x', token: 'x', new_password: '1234' },
          '{"new_password":["This password is too short. It must contain at least 8 characters.","This password is too common.","This password is entirely numeric."]}',
        ],
        [
          'reset_password_confirm',
          { uid: 'OTk5OQ', token: 'x', new_password: PW },
          '{"uid":["Invalid user id or user doesn\'t exist."]}',
        ],
      ];
      for (const [action, body, expected] of cases) {
        const res = await t.client().request('POST', `/auth/users/${action}/`, { json: body });
        assert.equal(res.status, 400, `${action} ${JSON.stringify(body)}`);
        assert.equal(res.body, expected, `${action} ${JSON.stringify(body)}`);
      }
      const alice = (await t.gh.accounts.getByUsername('alice'))!;
      const uid = Buffer.from(String(alice.id)).toString('base64url');
      for (const [action, extra] of [
        ['activation', {}],
        ['reset_password_confirm', { new_password: PW }],
      ] as const) {
        for (const token of ['nope', 123456, 'dj53l6-bc563ce02463323fda58aa6bc97721ec']) {
          const res = await t
            .client()
            .request('POST', `/auth/users/${action}/`, { json: { uid, token, ...extra } });
          assert.equal(res.status, 400);
          assert.equal(res.body, '{"token":["Invalid token for given user."]}');
        }
      }
    });

    test('reset_password and resend_activation: a malformed or missing address is a field error', async () => {
      for (const action of ['reset_password', 'resend_activation']) {
        const cases: [unknown, string][] = [
          [{}, '{"email":["This field is required."]}'],
          [{ email: '' }, '{"email":["This field may not be blank."]}'],
          [{ email: 'nope' }, '{"email":["Enter a valid email address."]}'],
          [{ email: ['a@b'] }, '{"email":["Not a valid string."]}'],
          [{ email: 5 }, '{"email":["Enter a valid email address."]}'],
        ];
        for (const [body, expected] of cases) {
          const res = await t.client().request('POST', `/auth/users/${action}/`, { json: body });
          assert.equal(res.status, 400);
          assert.equal(res.body, expected);
        }
      }
    });
  });

  describe('token/login, token/logout (djoser.urls.authtoken)', () => {
    test('login: 200 {"auth_token":…}, a Gatehouse API token, a new one each time; slash optional; form-encoded', async () => {
      const first = await t
        .client()
        .request('POST', '/auth/token/login/', { json: { username: 'bob', password: PW } });
      assert.equal(first.status, 200);
      assert.match(first.body, /^\{"auth_token":"gth_[A-Za-z0-9]+"\}$/);
      assert.equal(first.headers['cache-control'], 'no-store');
      const second = await t
        .client()
        .request('POST', '/auth/token/login', { form: { username: 'bob', password: PW } });
      assert.equal(second.status, 200);
      assert.notEqual(second.json.auth_token, first.json.auth_token);
      const me = await withToken(t.client(), first.json.auth_token)('GET', '/api/profile/');
      assert.equal(me.body, '{"username":"bob","email":""}');
    });

    test("login failures: djoser's 400s", async () => {
      await t.gh.accounts.create({ username: 'ina', password: PW });
      await t.gh.accounts.setActive((await t.gh.accounts.getByUsername('ina'))!, false);
      const cases: [unknown, string][] = [
        [
          { username: 'bob', password: 'wrong' },
          '{"non_field_errors":["Unable to log in with provided credentials."]}',
        ],
        [
          { username: 'nobody', password: PW },
          '{"non_field_errors":["Unable to log in with provided credentials."]}',
        ],
        [
          { username: 'ina', password: PW },
          '{"non_field_errors":["Unable to log in with provided credentials."]}',
        ],
        [{}, '{"non_field_errors":["Unable to log in with provided credentials."]}'],
        [
          { username: '', password: '' },
          '{"password":["This field may not be blank."],"username":["This field may not be blank."]}',
        ],
        [{ username: ['alice'], password: 1 }, '{"username":["Not a valid string."]}'],
      ];
      for (const [body, expected] of cases) {
        const res = await t.client().request('POST', '/auth/token/login/', { json: body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body, expected, JSON.stringify(body));
      }
      const get = await t.client().request('GET', '/auth/token/login/');
      assert.equal(get.status, 405);
    });

    test("logout: 204, and that token is dead at once while the user's other tokens live", async () => {
      const one = await tokenFor(t, 'bob');
      const two = await tokenFor(t, 'bob');
      assert.equal((await t.client().request('POST', '/auth/token/logout/')).body, NOT_PROVIDED);
      const out = await withToken(t.client(), one)('POST', '/auth/token/logout');
      assert.equal(out.status, 204);
      assert.equal(out.body, '');
      const again = await withToken(t.client(), one)('POST', '/auth/token/logout/');
      assert.equal(again.status, 403);
      assert.equal(again.body, '{"detail":"Invalid token."}');
      assert.equal((await withToken(t.client(), two)('GET', '/auth/users/me/')).status, 200);
    });

    test('logout by session ends that session', async () => {
      const browser = t.client();
      await browser.login('bob');
      const res = await browser.request('POST', '/auth/token/logout/', { csrf: true });
      assert.equal(res.status, 204);
      assert.equal((await browser.request('GET', '/api/me/')).body, '{"user":null}');
    });
  });

  describe('jwt/create, jwt/refresh, jwt/verify (djoser.urls.jwt)', () => {
    test('exactly /api/token/, /api/token/refresh/, /api/token/verify/, slash optional, no other suffix', async () => {
      const pair = await t
        .client()
        .request('POST', '/auth/jwt/create/', { json: { username: 'bob', password: PW } });
      assert.equal(pair.status, 200);
      assert.match(pair.body, /^\{"refresh":"[^"]+","access":"[^"]+"\}$/);
      const refreshed = await t
        .client()
        .request('POST', '/auth/jwt/refresh', { json: { refresh: pair.json.refresh } });
      assert.equal(refreshed.status, 200);
      assert.deepEqual(Object.keys(refreshed.json), ['access', 'refresh']);
      const verified = await t
        .client()
        .request('POST', '/auth/jwt/verify/', { json: { token: refreshed.json.access } });
      assert.equal(verified.body, '{}');
      const wrong = await t
        .client()
        .request('POST', '/auth/jwt/create', { json: { username: 'bob', password: 'x' } });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body, '{"detail":"No active account found with the given credentials"}');
      assert.equal(wrong.headers['www-authenticate'], 'Bearer realm="api"');
      const garbage = await t.client().request('POST', '/auth/jwt/verify/', { json: { token: 'garbage' } });
      assert.equal(garbage.status, 401);
      assert.equal(garbage.json.code, 'token_not_valid');
      assert.equal((await t.client().request('POST', '/auth/jwt/createXYZ/', { json: {} })).status, 404);
    });
  });
});
