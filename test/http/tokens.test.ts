import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';

const KEY = /^gth_[A-Za-z0-9]{38}$/;

describe('token authentication (CONTRACT "Token authentication")', () => {
  const clock = createFakeClock(Date.UTC(2026, 5, 1));
  let t: TestApp;
  before(async () => {
    t = await makeApp({ clock });
    await t.user('alice');
    await t.user('bob');
  });
  after(() => t.close());

  async function obtain(username = 'alice', password = 'Pw-12345678') {
    return t.client().request('POST', '/api-token-auth/', { json: { username, password } });
  }

  test('POST /api-token-auth/ answers {"token":"<key>"} and each call issues a new key', async () => {
    const a = await obtain();
    const b = await obtain();
    assert.equal(a.status, 200);
    assert.deepEqual(Object.keys(a.json), ['token']);
    assert.match(a.json.token, KEY);
    assert.notEqual(a.json.token, b.json.token);
    assert.equal(a.headers['cache-control'], 'no-store');
    assert.equal(a.headers.allow, 'POST, OPTIONS');
  });

  test('issue 8.10: obtained keys are capped per user (the oldest is revoked) and one never used expires', async () => {
    await t.user('mobile');
    const profile = (key: string) =>
      t.client().request('GET', '/api/profile/', { headers: { authorization: `Token ${key}` } });
    const keys: string[] = [];
    for (let i = 0; i < 21; i++) {
      keys.push((await obtain('mobile')).json.token);
      clock.advance(1_000); // one launch of the app a second
    }
    assert.equal((await profile(keys[0])).status, 401, 'the 21st key revoked the oldest');
    assert.equal((await profile(keys[1])).status, 200);
    const listed = await t.client().request('GET', '/api/tokens/', {
      headers: { authorization: `Token ${keys[1]}` },
    });
    assert.equal(listed.json.length, 20);
    // keys[2] was never used: after seven days it is dead; keys[1] was used, so it lives on.
    clock.advance(7 * 86_400_000);
    assert.equal((await profile(keys[2])).status, 401);
    assert.equal((await profile(keys[1])).status, 200);
  });

  test('review: a key obtained by a login whose password a reset changed meanwhile is never live', async () => {
    await t.user('racer');
    const checked = (await t.gh.accounts.getByUsername('racer'))!; // the record the password was checked against
    // The reset lands while the login hashes the password: it ends every key of the user, none exists yet.
    await t.gh.accounts.setPassword(checked, 'Another-Pw-987', { endTokens: true });
    for (const name of ['api-token-auth', 'auth-token-login']) {
      assert.equal(await t.gh.tokens.obtain(checked, name), null, name);
    }
    assert.deepEqual(await t.gh.tokens.list(checked.id), [], 'the key it stored was revoked');
    const fresh = (await t.gh.accounts.getByUsername('racer'))!;
    assert.ok(await t.gh.tokens.obtain(fresh, 'api-token-auth'), 'a login with the new password gets one');
  });

  test('issue 8.10: a token made at POST /api/tokens/ may not take a login key name', async () => {
    const { token } = (await obtain()).json;
    const res = await t.client().request('POST', '/api/tokens/', {
      json: { name: 'api-token-auth' },
      headers: { authorization: `Token ${token}` },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body, '{"name":["This name is reserved."]}');
  });

  test('api-token-auth accepts form and multipart bodies', async () => {
    const form = await t
      .client()
      .request('POST', '/api-token-auth/', { form: { username: 'alice', password: 'Pw-12345678' } });
    assert.equal(form.status, 200);
    const boundary = 'XyZ';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="username"\r\n\r\nalice\r\n--${boundary}\r\nContent-Disposition: form-data; name="password"\r\n\r\nPw-12345678\r\n--${boundary}--\r\n`;
    const multi = await t.client().request('POST', '/api-token-auth/', {
      body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    assert.equal(multi.status, 200);
    assert.match(multi.json.token, KEY);
  });

  test("api-token-auth answers DRF's field and non_field errors", async () => {
    assert.equal(
      (await obtain('alice', 'wrong')).body,
      '{"non_field_errors":["Unable to log in with provided credentials."]}',
    );
    assert.equal((await obtain('nobody')).status, 400);
    const empty = await t.client().request('POST', '/api-token-auth/', { json: {} });
    assert.equal(
      empty.body,
      '{"username":["This field is required."],"password":["This field is required."]}',
    );
    const onlyUser = await t.client().request('POST', '/api-token-auth/', { json: { username: 'alice' } });
    assert.equal(onlyUser.body, '{"password":["This field is required."]}');
    const blank = await t
      .client()
      .request('POST', '/api-token-auth/', { json: { username: '', password: '' } });
    assert.equal(
      blank.body,
      '{"username":["This field may not be blank."],"password":["This field may not be blank."]}',
    );
    assert.equal(
      (await t.client().request('GET', '/api-token-auth/')).body,
      '{"detail":"Method \\"GET\\" not allowed."}',
    );
  });

  test("api-token-auth renders JSON only: Accept text/html is 406, as DRF's obtain_auth_token", async () => {
    const res = await t.client().request('POST', '/api-token-auth/', {
      json: { username: 'alice', password: 'Pw-12345678' },
      headers: { accept: 'text/html' },
    });
    assert.equal(res.status, 406);
    assert.equal(res.body, '{"detail":"Could not satisfy the request Accept header."}');
    const browser = await t.client().request('POST', '/api-token-auth/', {
      json: { username: 'alice', password: 'Pw-12345678' },
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    assert.equal(browser.status, 200);
  });

  test('api-token-auth with a logged-in session and no CSRF token is 403 CSRF Failed (DRF)', async () => {
    const c = t.client();
    await c.login('alice');
    const res = await c.request('POST', '/api-token-auth/', {
      json: { username: 'alice', password: 'Pw-12345678' },
    });
    assert.equal(res.status, 403);
    assert.equal(res.body, '{"detail":"CSRF Failed: CSRF token missing."}');
  });

  test("TOK-06: DRF's header parsing and messages, 401 with WWW-Authenticate: Token on token-first views", async () => {
    const { token } = (await obtain()).json;
    const cases: [string, number, string][] = [
      ['Token', 401, '{"detail":"Invalid token header. No credentials provided."}'],
      ['Token a b', 401, '{"detail":"Invalid token header. Token string should not contain spaces."}'],
      [
        'Token abc\xb8',
        401,
        '{"detail":"Invalid token header. Token string should not contain invalid characters."}',
      ],
      ['Token nope', 401, '{"detail":"Invalid token."}'],
      [`Token ${token}x`, 401, '{"detail":"Invalid token."}'],
      [`Token ${token.slice(0, -1)}`, 401, '{"detail":"Invalid token."}'],
      [`Token ${token.toUpperCase()}`, 401, '{"detail":"Invalid token."}'],
      [`Token ${'x'.repeat(16384)}`, 401, '{"detail":"Invalid token."}'],
    ];
    for (const [authorization, status, body] of cases) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/profile/',
        headers: { authorization, host: 'localhost' },
      });
      assert.equal(res.statusCode, status, authorization.slice(0, 30));
      assert.equal(res.body, body);
      assert.equal(res.headers['www-authenticate'], 'Token');
    }
    for (const authorization of [`token ${token}`, `Token   ${token}`, `Token\t${token}`]) {
      const res = await t.client().request('GET', '/api/profile/', { headers: { authorization } });
      assert.equal(res.status, 200, authorization.slice(0, 10));
    }
  });

  test('TOK-06: a key in the query string is not a credential', async () => {
    const { token } = (await obtain()).json;
    const res = await t.client().request('GET', `/api/profile/?token=${token}&access_token=${token}`);
    assert.equal(res.status, 401);
  });

  test('on session-first views a bad token is 403 without WWW-Authenticate', async () => {
    const res = await t
      .client()
      .request('GET', '/api/dashboard/', { headers: { authorization: 'Token nope' } });
    assert.equal(res.status, 403);
    assert.equal(res.body, '{"detail":"Invalid token."}');
    assert.equal(res.headers['www-authenticate'], undefined);
  });

  test('token requests are not subject to CSRF', async () => {
    const { token } = (await obtain()).json;
    const res = await t.client().request('POST', '/api/articles/', {
      json: { title: 'by token' },
      headers: { authorization: `Token ${token}` },
    });
    assert.equal(res.status, 201);
  });

  test('TOK-03 / TOK-05: tokens are listed without keys, created with a shown-once key, revoked at once', async () => {
    const { token } = (await obtain()).json;
    const auth = { authorization: `Token ${token}` };
    const c = t.client();
    const created = await c.request('POST', '/api/tokens/', {
      json: { name: 'laptop', expires_in: 60 },
      headers: auth,
    });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.json), ['id', 'name', 'token', 'expires']);
    assert.match(created.json.token, KEY);
    const list = await c.request('GET', '/api/tokens/', { headers: auth });
    assert.deepEqual(Object.keys(list.json[0]), ['id', 'name', 'created', 'last_used', 'expires']);
    assert.ok(!list.body.includes(created.json.token));
    assert.ok(!list.body.includes(token));
    const laptop = { authorization: `Token ${created.json.token}` };
    assert.equal((await c.request('GET', '/api/profile/', { headers: laptop })).status, 200);
    const bob = (await obtain('bob')).json.token;
    const foreign = await c.request('DELETE', `/api/tokens/${created.json.id}/`, {
      headers: { authorization: `Token ${bob}` },
    });
    assert.equal(foreign.status, 404);
    const del = await c.request('DELETE', `/api/tokens/${created.json.id}/`, { headers: auth });
    assert.equal(del.status, 204);
    assert.equal(
      (await c.request('GET', '/api/profile/', { headers: laptop })).body,
      '{"detail":"Invalid token."}',
    );
  });

  test('TOK-05: an expired key is "Invalid token." one second after its expiry', async () => {
    const { token } = (await obtain()).json;
    const short = (
      await t.client().request('POST', '/api/tokens/', {
        json: { name: 'short', expires_in: 10 },
        headers: { authorization: `Token ${token}` },
      })
    ).json.token;
    clock.advance(9_000);
    assert.equal(
      (await t.client().request('GET', '/api/profile/', { headers: { authorization: `Token ${short}` } }))
        .status,
      200,
    );
    clock.advance(2_000);
    assert.equal(
      (await t.client().request('GET', '/api/profile/', { headers: { authorization: `Token ${short}` } }))
        .body,
      '{"detail":"Invalid token."}',
    );
  });

  test('last_used is recorded after a verified use', async () => {
    const { token } = (await obtain()).json;
    clock.advance(61_000);
    await t.client().request('GET', '/api/profile/', { headers: { authorization: `Token ${token}` } });
    const list = await t
      .client()
      .request('GET', '/api/tokens/', { headers: { authorization: `Token ${token}` } });
    assert.ok(list.json.some((x: { last_used: string | null }) => x.last_used !== null));
  });

  test('TOK-07: creating a token needs an authenticated owner', async () => {
    const res = await t.client().request('POST', '/api/tokens/', { json: { name: 'x', userId: 1 } });
    assert.equal(res.status, 403);
  });

  test('POST /api/logoutall/ ends every session and token of the user', async () => {
    await t.user('hank');
    const c = t.client();
    await c.login('hank');
    const other = t.client();
    await other.login('hank');
    const { token } = (await obtain('hank')).json;
    const res = await c.request('POST', '/api/logoutall/', { csrf: true });
    assert.equal(res.status, 204);
    assert.equal((await other.request('GET', '/api/me/')).body, '{"user":null}');
    assert.equal((await c.request('GET', '/api/me/')).body, '{"user":null}');
    assert.equal(
      (await t.client().request('GET', '/api/profile/', { headers: { authorization: `Token ${token}` } }))
        .status,
      401,
    );
  });

  test('SES-11: a deactivated user\'s token answers "User inactive or deleted."', async () => {
    await t.user('ivy');
    const { token } = (await obtain('ivy')).json;
    await t.gh.accounts.setActive((await t.gh.accounts.getByUsername('ivy'))!, false);
    const res = await t
      .client()
      .request('GET', '/api/profile/', { headers: { authorization: `Token ${token}` } });
    assert.equal(res.status, 401);
    assert.equal(res.body, '{"detail":"User inactive or deleted."}');
  });
});
