import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';

const SESSION_COOKIE =
  /^sessionid=([a-z0-9]{32}); expires=[^;]+ GMT; HttpOnly; Max-Age=1209600; Path=\/; SameSite=Lax$/;
const CSRF_COOKIE =
  /^csrftoken=([A-Za-z0-9]{32}); expires=[^;]+ GMT; Max-Age=31449600; Path=\/; SameSite=Lax$/;
const DELETED = 'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax';

describe('session authentication (CONTRACT "Session authentication")', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
    await t.user('alice');
    await t.user('bob');
  });
  after(() => t.close());

  test('GET /api/csrf/ hands out a fresh masked token per response and sets csrftoken (CSRF-05, CSRF-14)', async () => {
    const c = t.client();
    const first = await c.request('GET', '/api/csrf/');
    const second = await c.request('GET', '/api/csrf/');
    assert.equal(first.status, 200);
    assert.match(first.json.csrfToken, /^[A-Za-z0-9]{64}$/);
    assert.notEqual(first.json.csrfToken, second.json.csrfToken);
    assert.match(first.setCookies[0], CSRF_COOKIE);
    assert.equal(first.headers['cache-control'], 'no-store');
    assert.match(String(first.headers.vary), /Cookie/);
    // Both masked tokens carry the same secret, so both are accepted.
    for (const token of [first.json.csrfToken, second.json.csrfToken]) {
      const res = await c.request('POST', '/api/logout/', { headers: { 'x-csrftoken': token } });
      assert.equal(res.status, 200);
    }
  });

  test('login answers 200 with the user, a new sessionid and a rotated csrftoken', async () => {
    const c = t.client();
    await c.primeCsrf();
    const before = c.csrf;
    const res = await c.login('alice');
    assert.equal(res.status, 200);
    assert.match(res.body, /^\{"user":\{"id":\d+,"username":"alice","email":"alice@example.com"\}\}$/);
    assert.match(res.setCookies[0], SESSION_COOKIE);
    assert.match(res.setCookies[1], CSRF_COOKIE);
    assert.notEqual(c.csrf, before);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('a wrong password answers 401 {"error":"Invalid credentials"} and sets no session', async () => {
    const c = t.client();
    await c.primeCsrf();
    const res = await c.request('POST', '/api/login/', {
      json: { username: 'alice', password: 'nope' },
      csrf: true,
    });
    assert.equal(res.status, 401);
    assert.equal(res.body, '{"error":"Invalid credentials"}');
    assert.equal(res.setCookies.length, 0);
  });

  test('AUTH-01: unknown user, wrong password and inactive user get the same response', async () => {
    await t.user('sleepy');
    const sleepy = (await t.gh.accounts.getByUsername('sleepy'))!;
    await t.gh.accounts.setActive(sleepy, false);
    const answers = [];
    for (const [username, password] of [
      ['nobody', 'Pw-12345678'],
      ['bob', 'wrong-pass'],
      ['sleepy', 'Pw-12345678'],
    ]) {
      const c = t.client();
      await c.primeCsrf();
      const res = await c.request('POST', '/api/login/', { json: { username, password }, csrf: true });
      answers.push({ status: res.status, body: res.body, headers: Object.keys(res.headers).sort().join() });
    }
    assert.deepEqual(answers[0], answers[1]);
    assert.deepEqual(answers[1], answers[2]);
  });

  test('GET /api/me/ answers {"user":null} anonymously and the user when logged in', async () => {
    const c = t.client();
    assert.equal((await c.request('GET', '/api/me/')).body, '{"user":null}');
    await c.login('alice');
    assert.match((await c.request('GET', '/api/me/')).body, /"username":"alice"/);
  });

  test('CVE-2022-25896 / SES-06: login issues a new session id and the pre-login one is dead', async () => {
    const c = t.client();
    await c.login('alice');
    const s0 = c.jar.get('sessionid')!;
    await c.login('alice');
    const s1 = c.jar.get('sessionid')!;
    assert.notEqual(s0, s1);
    const replay = await t.client().request('GET', '/api/me/', { headers: { cookie: `sessionid=${s0}` } });
    assert.equal(replay.body, '{"user":null}');
  });

  test("SES-08: logging in as B in A's client never keeps A's session", async () => {
    const c = t.client();
    await c.login('alice');
    const a = c.jar.get('sessionid')!;
    await c.login('bob');
    assert.notEqual(c.jar.get('sessionid'), a);
    assert.match((await c.request('GET', '/api/me/')).body, /"username":"bob"/);
    assert.equal(
      (await t.client().request('GET', '/api/me/', { headers: { cookie: `sessionid=${a}` } })).body,
      '{"user":null}',
    );
  });

  test('CVE-2015-5143 / SES-03: an unknown session key is no session and creates no store record', async () => {
    const before = (await t.gh.sessions.list(1)).length;
    const res = await t
      .client()
      .request('GET', '/api/me/', { headers: { cookie: `sessionid=${'a'.repeat(32)}` } });
    assert.equal(res.body, '{"user":null}');
    assert.equal((await t.gh.sessions.list(1)).length, before);
  });

  test('CVE-2015-3982 / SES-04: empty, short, long, odd and duplicated session cookies are no session', async () => {
    const c = t.client();
    await c.login('alice');
    const valid = c.jar.get('sessionid')!;
    const cookies = [
      'sessionid=',
      'sessionid=a',
      `sessionid=${'a'.repeat(8192)}`,
      'sessionid=%00abc',
      "sessionid='; DROP TABLE x;--",
      `sessionid=${valid}; sessionid=${'b'.repeat(32)}`,
      `sessionid=${'b'.repeat(32)}; sessionid=${valid}`,
      `SESSIONID=${valid}`,
      `=sessionid=${valid}`,
    ];
    for (const cookie of cookies) {
      const res = await t.client().request('GET', '/api/dashboard/', { headers: { cookie } });
      assert.equal(res.status, 403, cookie.slice(0, 40));
      assert.equal(res.body, '{"detail":"Authentication credentials were not provided."}');
    }
  });

  test('CK-05: a cookie with odd characters before sessionid still parses', async () => {
    const c = t.client();
    await c.login('alice');
    const res = await t.client().request('GET', '/api/dashboard/', {
      headers: { cookie: `x=1]"; sessionid=${c.jar.get('sessionid')}` },
    });
    assert.equal(res.status, 200);
  });

  test('SES-05: a session id is accepted only from the cookie', async () => {
    const c = t.client();
    await c.login('alice');
    const key = c.jar.get('sessionid')!;
    const bare = t.client();
    for (const res of [
      await bare.request('GET', `/api/dashboard/?sessionid=${key}`),
      await bare.request('GET', '/api/dashboard/', { headers: { 'x-session-id': key } }),
    ]) {
      assert.equal(res.status, 403);
      assert.ok(!res.body.includes(key));
    }
  });

  test('SES-09: logout deletes the session on the server, clears the cookie, and is POST-only', async () => {
    const c = t.client();
    await c.login('alice');
    const key = c.jar.get('sessionid')!;
    const get = await c.request('GET', '/api/logout/');
    assert.equal(get.status, 405);
    assert.match((await c.request('GET', '/api/me/')).body, /alice/);
    const res = await c.request('POST', '/api/logout/', { csrf: true });
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"message":"Logged out"}');
    assert.ok(res.setCookies.includes(DELETED));
    const replay = await t.client().request('GET', '/api/me/', { headers: { cookie: `sessionid=${key}` } });
    assert.equal(replay.body, '{"user":null}');
  });

  test('SES-09: a cross-site logout without a token is 403', async () => {
    const c = t.client();
    await c.login('alice');
    const res = await c.request('POST', '/api/logout/', { headers: { origin: 'https://evil.example' } });
    assert.equal(res.status, 403);
    assert.match((await c.request('GET', '/api/me/')).body, /alice/);
  });

  test('CSRF-01: unsafe session requests need the token; token requests do not', async () => {
    const c = t.client();
    await c.login('alice');
    const missing = await c.request('POST', '/api/articles/', { json: { title: 'x' } });
    assert.equal(missing.status, 403);
    assert.equal(missing.body, '{"detail":"CSRF Failed: CSRF token missing."}');
    const wrong = await c.request('POST', '/api/articles/', {
      json: { title: 'x' },
      headers: { 'x-csrftoken': 'a'.repeat(32) },
    });
    assert.equal(
      wrong.body,
      '{"detail":"CSRF Failed: CSRF token from the \'X-Csrftoken\' HTTP header incorrect."}',
    );
    const ok = await c.request('POST', '/api/articles/', { json: { title: 'x' }, csrf: true });
    assert.equal(ok.status, 201);
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await c.request(method, `/api/articles/${ok.json.id}/`, { json: { title: 'y' } });
      assert.equal(res.status, 403, method);
    }
  });

  test("a malformed csrftoken cookie is refused with Django's reason and replaced on the response", async () => {
    const c = t.client();
    await c.login('alice');
    const res = await c.request('POST', '/api/articles/', {
      json: { title: 'x' },
      headers: { cookie: `sessionid=${c.jar.get('sessionid')}; csrftoken=short`, 'x-csrftoken': 'short' },
    });
    assert.equal(res.body, '{"detail":"CSRF Failed: CSRF cookie has incorrect length."}');
    assert.equal(res.setCookies.length, 1);
    assert.match(res.setCookies[0], /^csrftoken=[A-Za-z0-9]{32}; expires=/);
    const fresh = /^csrftoken=([A-Za-z0-9]{32})/.exec(res.setCookies[0])![1];
    const retry = await c.request('POST', '/api/articles/', {
      json: { title: 'x' },
      headers: { cookie: `sessionid=${c.jar.get('sessionid')}; csrftoken=${fresh}`, 'x-csrftoken': fresh },
    });
    assert.equal(retry.status, 201);
    const get = await t.client().request('GET', '/api/me/', { headers: { cookie: 'csrftoken=bad!' } });
    assert.equal(get.setCookies.length, 1);
    assert.deepEqual(
      (await t.client().request('GET', '/api/me/', { headers: { cookie: `csrftoken=${fresh}` } })).setCookies,
      [],
    );
  });

  test('CSRF-01: no CSRF cookie at all is "CSRF cookie not set."', async () => {
    const c = t.client();
    await c.login('alice');
    const res = await c.request('POST', '/api/articles/', {
      json: { title: 'x' },
      headers: { cookie: `sessionid=${c.jar.get('sessionid')}`, 'x-csrftoken': c.csrf! },
    });
    assert.equal(res.body, '{"detail":"CSRF Failed: CSRF cookie not set."}');
  });

  test('CSRF-04 / SES-07: nothing from before login survives it: the pre-login CSRF token no longer works', async () => {
    const c = t.client();
    await c.primeCsrf();
    const t0 = c.csrf!;
    await c.login('alice');
    const res = await c.request('POST', '/api/articles/', {
      json: { title: 'x' },
      headers: { 'x-csrftoken': t0 },
    });
    assert.equal(res.status, 403);
    const t1 = (await c.request('GET', '/api/csrf/')).json.csrfToken;
    const ok = await c.request('POST', '/api/articles/', {
      json: { title: 'x' },
      headers: { 'x-csrftoken': t1 },
    });
    assert.equal(ok.status, 201);
  });

  test("CSRF-03: an attacker's own cookie and token pair fails with the victim's cookie", async () => {
    const attacker = t.client();
    await attacker.primeCsrf();
    const victim = t.client();
    await victim.login('alice');
    const res = await victim.request('POST', '/api/articles/', {
      json: { title: 'x' },
      headers: {
        cookie: `sessionid=${victim.jar.get('sessionid')}; csrftoken=${victim.csrf}`,
        'x-csrftoken': attacker.csrf!,
      },
    });
    assert.equal(res.status, 403);
  });

  test('CSRF-06 / CSRF-08: a foreign Origin is refused, even when Host claims to be it', async () => {
    const c = t.client();
    await c.login('alice');
    for (const [origin, host] of [
      ['https://evil.example', 'localhost'],
      ['null', 'localhost'],
      ['http://evil.example', 'evil.example'],
      ['http://localhost.evil.example', 'localhost'],
    ]) {
      const res = await c.request('POST', '/api/articles/', {
        json: { title: 'x' },
        csrf: true,
        headers: { origin, host },
      });
      assert.equal(res.status, 403, origin);
      assert.equal(
        res.json.detail,
        `CSRF Failed: Origin checking failed - ${origin} does not match any trusted origins.`,
      );
    }
    const same = await c.request('POST', '/api/articles/', {
      json: { title: 'x' },
      csrf: true,
      headers: { origin: 'http://localhost' },
    });
    assert.equal(same.status, 201);
  });

  test('CSRF-11: login, register and logout are CSRF-protected even without a session', async () => {
    for (const path of ['/api/login/', '/api/register/', '/api/logout/']) {
      const res = await t.client().request('POST', path, {
        form: { username: 'alice', password: 'Pw-12345678' },
        headers: { origin: 'https://evil.example' },
      });
      assert.equal(res.status, 403, path);
      assert.equal(
        res.setCookies.filter((c) => c.startsWith('sessionid=') && !c.includes('Max-Age=0')).length,
        0,
      );
    }
    const noToken = await t
      .client()
      .request('POST', '/api/login/', { json: { username: 'alice', password: 'Pw-12345678' } });
    assert.equal(noToken.body, '{"detail":"CSRF Failed: CSRF cookie not set."}');
  });

  test('login accepts a form body with csrfmiddlewaretoken', async () => {
    const c = t.client();
    await c.primeCsrf();
    const res = await c.request('POST', '/api/login/', {
      form: { username: 'alice', password: 'Pw-12345678', csrfmiddlewaretoken: c.csrf! },
    });
    assert.equal(res.status, 200);
  });

  test('CSRF-12: GET and HEAD of logout change nothing; method override headers are ignored', async () => {
    const c = t.client();
    await c.login('alice');
    await c.request('HEAD', '/api/logout/');
    const created = await c.request('POST', '/api/articles/', { json: { title: 'keep' }, csrf: true });
    const overridden = await c.request('POST', `/api/articles/${created.json.id}/`, {
      csrf: true,
      headers: { 'x-http-method-override': 'DELETE' },
    });
    assert.equal(overridden.status, 405);
    assert.equal((await c.request('GET', `/api/articles/${created.json.id}/`)).status, 200);
    assert.match((await c.request('GET', '/api/me/')).body, /alice/);
  });

  test('CSRF-13: a bad Authorization header next to a session cookie fails (session-first: 403 Invalid token.)', async () => {
    const c = t.client();
    await c.login('alice');
    const res = await c.request('POST', '/api/articles/', {
      json: { title: 'x' },
      headers: { authorization: 'Token garbage' },
    });
    // DRF: the session authenticates first, so CSRF applies and fails before the token is looked at.
    assert.equal(res.status, 403);
    const anon = await t.client().request('GET', '/api/me/', { headers: { authorization: 'Token garbage' } });
    assert.equal(anon.status, 403);
    assert.equal(anon.body, '{"detail":"Invalid token."}');
  });

  test('register answers 201 with email "" and does not log in; a taken username is a field error', async () => {
    const c = t.client();
    await c.primeCsrf();
    const res = await c.request('POST', '/api/register/', {
      json: { username: 'carol', password: 'Pw-12345678' },
      csrf: true,
    });
    assert.equal(res.status, 201);
    assert.match(res.body, /^\{"user":\{"id":\d+,"username":"carol","email":""\}\}$/);
    assert.equal(c.jar.get('sessionid'), undefined);
    const again = await c.request('POST', '/api/register/', {
      json: { username: 'carol', password: 'Pw-12345678' },
      csrf: true,
    });
    assert.equal(again.status, 400);
    assert.equal(again.body, '{"username":["A user with that username already exists."]}');
  });

  test("PWD-05: register applies Django's four validators with Django's messages", async () => {
    const c = t.client();
    await c.primeCsrf();
    const cases: [string, string, string][] = [
      ['dave', 'short', 'This password is too short. It must contain at least 8 characters.'],
      ['dave', 'password123', 'This password is too common.'],
      ['dave', '83920174650', 'This password is entirely numeric.'],
      ['davidson', 'davidson1', 'The password is too similar to the username.'],
    ];
    for (const [username, password, message] of cases) {
      const res = await c.request('POST', '/api/register/', { json: { username, password }, csrf: true });
      assert.equal(res.status, 400, password);
      assert.ok(res.json.password.includes(message), `${password}: ${res.body}`);
    }
  });

  test('IN-03: a fullwidth username is NFKC-normalised and collides with the existing one', async () => {
    const c = t.client();
    await c.primeCsrf();
    const res = await c.request('POST', '/api/register/', {
      json: { username: 'ａｌｉｃｅ', password: 'Pw-12345678' },
      csrf: true,
    });
    assert.equal(res.status, 400);
    assert.equal(res.body, '{"username":["A user with that username already exists."]}');
  });

  test('issue 8.10: a Cyrillic look-alike of an existing name does not register beside its Latin twin', async () => {
    const c = t.client();
    await c.primeCsrf();
    const mixed = await c.request('POST', '/api/register/', {
      json: { username: 'аlice', password: 'Pw-12345678' }, // Cyrillic а, Latin lice
      csrf: true,
    });
    assert.equal(
      mixed.body,
      '{"username":["Enter a valid username. This value may not mix Latin letters with Cyrillic or Greek ones."]}',
    );
    await t.user('oca');
    const twin = await c.request('POST', '/api/register/', {
      json: { username: 'оса', password: 'Pw-12345678' }, // all Cyrillic
      csrf: true,
    });
    assert.equal(twin.body, '{"username":["A user with a similar username already exists."]}');
  });

  test('a hash upgrade at login (a Django PBKDF2 hash rehashed as argon2id) logs no other session out', async () => {
    await t.user('djangonaut');
    const user = (await t.gh.accounts.getByUsername('djangonaut'))!;
    // What a Django 3.2 project holds: pbkdf2_sha256 at 260,000 iterations, below today's floor, so upgraded.
    await t.gh.stores.users.update(user.id, { password: djangoPbkdf2('Pw-12345678', 260_000) });
    const imported = (await t.gh.stores.users.getById(user.id))!;
    const { key } = await t.gh.sessions.create(imported, { ip: '192.0.2.2', userAgent: 'tablet' });
    const tablet = t.client();
    tablet.jar.set('sessionid', key);
    assert.match((await tablet.request('GET', '/api/me/')).body, /djangonaut/);
    assert.equal((await t.client().login('djangonaut')).status, 200);
    assert.match((await t.gh.stores.users.getById(user.id))!.password, /^\$argon2id\$/);
    assert.match(
      (await tablet.request('GET', '/api/me/')).body,
      /djangonaut/,
      'still logged in after the upgrade',
    );
  });

  test('SES-10: a password change keeps the current session (new key) and ends the others', async () => {
    await t.user('erin', 'Old-pass-4821');
    const a = t.client();
    const b = t.client();
    await a.login('erin', 'Old-pass-4821');
    await b.login('erin', 'Old-pass-4821');
    const token = (await a.request('POST', '/api/tokens/', { json: { name: 'cli' }, csrf: true })).json.token;
    const wrong = await a.request('POST', '/api/password/change/', {
      json: { old_password: 'nope', new_password: 'New-pass-7730' },
      csrf: true,
    });
    assert.equal(wrong.status, 400);
    assert.equal(
      wrong.body,
      '{"old_password":["Your old password was entered incorrectly. Please enter it again."]}',
    );
    const before = a.jar.get('sessionid');
    const res = await a.request('POST', '/api/password/change/', {
      json: { old_password: 'Old-pass-4821', new_password: 'New-pass-7730' },
      csrf: true,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"message":"Password changed"}');
    assert.notEqual(a.jar.get('sessionid'), before);
    assert.match((await a.request('GET', '/api/me/')).body, /erin/);
    assert.equal((await b.request('GET', '/api/me/')).body, '{"user":null}');
    // API tokens stay (logoutall ends them).
    const withToken = await t
      .client()
      .request('GET', '/api/profile/', { headers: { authorization: `Token ${token}` } });
    assert.equal(withToken.status, 200);
  });

  test('issue 8.10: a password change may end the API tokens too (end_tokens, a Gatehouse addition)', async () => {
    await t.user('eve', 'Old-pass-4821');
    const a = t.client();
    await a.login('eve', 'Old-pass-4821');
    const token = (await a.request('POST', '/api/tokens/', { json: { name: 'cli' }, csrf: true })).json.token;
    const bad = await a.request('POST', '/api/password/change/', {
      json: { old_password: 'Old-pass-4821', new_password: 'New-pass-7730', end_tokens: 'maybe' },
      csrf: true,
    });
    assert.equal(bad.body, '{"end_tokens":["Must be a valid boolean."]}');
    const res = await a.request('POST', '/api/password/change/', {
      json: { old_password: 'Old-pass-4821', new_password: 'New-pass-7730', end_tokens: true },
      csrf: true,
    });
    assert.equal(res.status, 200);
    assert.match((await a.request('GET', '/api/me/')).body, /eve/, 'the current session continues');
    const withToken = await t
      .client()
      .request('GET', '/api/profile/', { headers: { authorization: `Token ${token}` } });
    assert.equal(withToken.status, 401);
  });

  test('SES-15: sessions are listed with a public id (never the key) and revoked by it', async () => {
    await t.user('frank');
    const a = t.client();
    const b = t.client();
    await a.login('frank');
    await b.login('frank');
    const list = await a.request('GET', '/api/sessions/');
    assert.equal(list.status, 200);
    assert.equal(list.json.length, 2);
    assert.deepEqual(Object.keys(list.json[0]), [
      'id',
      'created',
      'last_seen',
      'ip',
      'user_agent',
      'current',
    ]);
    assert.ok(!list.body.includes(a.jar.get('sessionid')!));
    assert.ok(!list.body.includes(b.jar.get('sessionid')!));
    assert.match(list.json[0].created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/);
    const other = list.json.find((s: { current: boolean }) => !s.current);
    const mallory = t.client();
    await mallory.login('bob');
    const foreign = await mallory.request('DELETE', `/api/sessions/${other.id}/`, { csrf: true });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body, '{"detail":"No Session matches the given query."}');
    const res = await a.request('DELETE', `/api/sessions/${other.id}/`, { csrf: true });
    assert.equal(res.status, 204);
    assert.equal(res.body, '');
    assert.equal((await b.request('GET', '/api/me/')).body, '{"user":null}');
    assert.match((await a.request('GET', '/api/me/')).body, /frank/);
  });

  test('SES-11: deactivating a user ends its session with "User inactive or deleted."', async () => {
    await t.user('gina');
    const c = t.client();
    await c.login('gina');
    await t.gh.accounts.setActive((await t.gh.accounts.getByUsername('gina'))!, false);
    const res = await c.request('GET', '/api/dashboard/');
    assert.equal(res.status, 403);
    assert.equal(res.body, '{"detail":"User inactive or deleted."}');
  });

  test('SES-02: the store keeps only a hash of the session key', async () => {
    const c = t.client();
    await c.login('alice');
    const key = c.jar.get('sessionid')!;
    const sessions = await t.gh.sessions.list(1);
    assert.ok(sessions.every((s) => s.keyHash !== key && !s.id.includes(key)));
  });
});

describe('session expiry on a fake clock (SES-12, SES-13)', () => {
  const clock = createFakeClock(Date.UTC(2026, 0, 1));
  let t: TestApp;
  before(async () => {
    t = await makeApp({
      clock,
      env: { GATEHOUSE_SESSION_IDLE_TIMEOUT: '3600', GATEHOUSE_SESSION_ABSOLUTE_TIMEOUT: '10800' },
    });
    await t.user('ida');
  });
  after(() => t.close());

  test('SES-12: the idle timeout is enforced at read time and activity extends it', async () => {
    const c = t.client();
    await c.login('ida');
    clock.advance(3599_000);
    assert.match((await c.request('GET', '/api/me/')).body, /ida/);
    clock.advance(3599_000);
    assert.match((await c.request('GET', '/api/me/')).body, /ida/);
    clock.advance(3601_000);
    assert.equal((await c.request('GET', '/api/me/')).body, '{"user":null}');
  });

  test('SES-13: the absolute lifetime cannot be extended by activity', async () => {
    const c = t.client();
    await c.login('ida');
    for (let i = 0; i < 6; i++) {
      clock.advance(1800_000);
      assert.match((await c.request('GET', '/api/me/')).body, /ida/, `after ${(i + 1) / 2} h`);
    }
    clock.advance(1_000);
    assert.equal((await c.request('GET', '/api/me/')).body, '{"user":null}');
  });

  test('CK-06: the session cookie lives no longer than the absolute lifetime', async () => {
    const c = t.client();
    const res = await c.login('ida');
    assert.match(res.setCookies[0], /Max-Age=3600;/);
  });
});

/** A Django pbkdf2_sha256 hash of `password` at `iterations` (Django 3.2 used 260,000). */
function djangoPbkdf2(password: string, iterations: number): string {
  const salt = 'Ws4bR0kNkqCQB2lFbM9u3Y';
  const digest = pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64');
  return `pbkdf2_sha256$${iterations}$${salt}$${digest}`;
}
