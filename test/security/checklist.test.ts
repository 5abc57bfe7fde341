import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createGatehouse, createMemoryStores, type Random } from '#gatehouse';
import { PasswordHashers } from '#gatehouse/passwords';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';

// Items of design/SECURITY.md that cut across the contract tables.

describe('SES-01: session ids', () => {
  // Whether the CSPRNG itself is unbiased is Node's to test (crypto.randomInt rejects to stay uniform);
  // a chi-square over its output here would fail about one run in a thousand and prove nothing of ours.
  test('SES-01: 5,000 session keys are unique and 32 × [a-z0-9]', async () => {
    const stores = createMemoryStores();
    const gh = createGatehouse({ stores, secretKey: 'k'.repeat(40), hashers: new PasswordHashers() });
    const user = await stores.users.create({ username: 'u', email: '', password: 'x', dateJoined: 0 });
    const keys = new Set<string>();
    for (let i = 0; i < 5000; i++) keys.add((await gh.sessions.create(user, { ip: '', userAgent: '' })).key);
    assert.equal(keys.size, 5000);
    for (const key of keys) assert.match(key, /^[a-z0-9]{32}$/);
  });

  test('SES-01: a key is 32 draws over the whole 36-letter alphabet, each through the injected Random', async () => {
    const draws: [number, string][] = [];
    const random: Random = {
      bytes: (n) => Buffer.alloc(n),
      string: (n, alphabet) => {
        draws.push([n, alphabet]);
        return alphabet.slice(0, n).padEnd(n, alphabet[0]);
      },
    };
    const stores = createMemoryStores();
    const gh = createGatehouse({ stores, secretKey: 'k'.repeat(40), random });
    const user = await stores.users.create({ username: 'u', email: '', password: 'x', dateJoined: 0 });
    const { key } = await gh.sessions.create(user, { ip: '', userAgent: '' });
    assert.deepEqual(draws, [[32, 'abcdefghijklmnopqrstuvwxyz0123456789']]);
    assert.equal(key, 'abcdefghijklmnopqrstuvwxyz012345');
    // 36^32 ≈ 2^165: at least the 128 bits SES-01 asks for.
    assert.ok(32 * Math.log2(36) >= 128);
  });

  test('SES-01: keys come from the CSPRNG, not Math.random or the clock', async () => {
    const realRandom = Math.random;
    Math.random = () => 0.5;
    try {
      const stores = createMemoryStores({ clock: { now: () => 0 } });
      const gh = createGatehouse({ stores, secretKey: 'k'.repeat(40), clock: { now: () => 0 } });
      const user = await stores.users.create({ username: 'u', email: '', password: 'x', dateJoined: 0 });
      const a = await gh.sessions.create(user, { ip: '', userAgent: '' });
      const b = await gh.sessions.create(user, { ip: '', userAgent: '' });
      assert.notEqual(a.key, b.key);
    } finally {
      Math.random = realRandom;
    }
  });

  test('the injected randomness is the one used (so tests can pin it)', async () => {
    let calls = 0;
    const random: Random = {
      bytes: (n) => Buffer.alloc(n, 7),
      string: (n, alphabet) => {
        calls++;
        return alphabet[calls % alphabet.length].repeat(n);
      },
    };
    const stores = createMemoryStores();
    const gh = createGatehouse({ stores, secretKey: 'k'.repeat(40), random });
    const user = await stores.users.create({ username: 'u', email: '', password: 'x', dateJoined: 0 });
    const { key } = await gh.sessions.create(user, { ip: '', userAgent: '' });
    assert.match(key, /^(.)\1{31}$/);
  });
});

describe('SES-14: logout wins races with a request that touches the session', () => {
  test('SES-14: 100 concurrent reads (each writing last_seen) and one logout leave no session', async () => {
    const clock = createFakeClock();
    const stores = createMemoryStores({ clock });
    const gh = createGatehouse({ stores, secretKey: 'k'.repeat(40), clock });
    const user = await stores.users.create({ username: 'u', email: '', password: 'x', dateJoined: 0 });
    for (let round = 0; round < 100; round++) {
      const { key, session } = await gh.sessions.create(user, { ip: '', userAgent: '' });
      clock.advance(61_000); // every read now writes last_seen
      await Promise.all([gh.sessions.resolve(key), gh.sessions.destroy(key), gh.sessions.resolve(key)]);
      assert.equal(await stores.sessions.getByKeyHash(session.keyHash), null);
      assert.equal(await gh.sessions.resolve(key), null);
    }
  });
});

describe('cookies, headers and routes of the reference server', () => {
  let t: TestApp;
  let secure: TestApp;
  before(async () => {
    t = await makeApp();
    secure = await makeApp({ env: { GATEHOUSE_SECURE_COOKIES: '1' } });
    for (const app of [t, secure]) {
      await app.user('alice');
      await app.user('admin', 'Pw-12345678', { isStaff: true });
    }
  });
  after(async () => {
    await t.close();
    await secure.close();
  });

  test('CK-01: with GATEHOUSE_SECURE_COOKIES=1 every auth cookie is Secure (csrf, login, logout)', async () => {
    const c = secure.client();
    const csrf = await c.request('GET', '/api/csrf/');
    const login = await c.login('alice');
    const logout = await c.request('POST', '/api/logout/', { csrf: true });
    const lines = [...csrf.setCookies, ...login.setCookies, ...logout.setCookies];
    assert.ok(lines.length >= 4);
    for (const line of lines) assert.match(line, /; Secure$/, line);
  });

  test('CK-03 / CK-04: the session cookie is HttpOnly and SameSite=Lax; no body carries the session id', async () => {
    const c = t.client();
    const res = await c.login('alice');
    const line = res.setCookies.find((l) => l.startsWith('sessionid='))!;
    assert.match(line, /; HttpOnly;/);
    assert.match(line, /; SameSite=Lax/);
    const key = c.jar.get('sessionid')!;
    for (const path of ['/api/me/', '/api/sessions/', '/api/dashboard/']) {
      assert.ok(!(await c.request('GET', path)).body.includes(key), path);
    }
  });

  test('CK-06: every Set-Cookie is at most 4096 bytes of name and value', async () => {
    const c = t.client();
    const lines = [
      ...(await c.request('GET', '/api/csrf/')).setCookies,
      ...(await c.login('alice')).setCookies,
    ];
    for (const line of lines) assert.ok(line.split(';')[0].length <= 4096);
  });

  test('HDR-01: authentication responses are never cached', async () => {
    const c = t.client();
    const responses = [
      await c.request('GET', '/api/csrf/'),
      await c.request('POST', '/api/login/', { json: { username: 'alice', password: 'wrong' }, csrf: true }),
      await c.login('alice'),
      await c.request('GET', '/api/me/'),
      await c.request('GET', '/api/sessions/'),
      await c.request('POST', '/api/tokens/', { json: { name: 'x' }, csrf: true }),
      await c.request('POST', '/api/logout/', { csrf: true }),
      await t
        .client()
        .request('POST', '/api-token-auth/', { json: { username: 'alice', password: 'Pw-12345678' } }),
      await t
        .client()
        .request('POST', '/api/token/', { json: { username: 'alice', password: 'Pw-12345678' } }),
      await t.client().request('POST', '/api/token/refresh/', { json: { refresh: 'x' } }),
    ];
    for (const res of responses) assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('HDR-02: nosniff on every answer; no framing and a restrictive CSP on auth answers and errors; HSTS behind HTTPS', async () => {
    const plain = await t.client().request('GET', '/api/articles/');
    assert.equal(plain.headers['x-content-type-options'], 'nosniff');
    for (const res of [
      await t.client().request('GET', '/api/me/'),
      await t.client().request('GET', '/api/csrf/'),
      await t.client().request('GET', '/nope/'),
      await t.client().request('GET', '/api/dashboard/'),
    ]) {
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.equal(res.headers['strict-transport-security'], undefined);
    }
    const https = await secure.client().request('GET', '/api/me/');
    assert.match(String(https.headers['strict-transport-security']), /^max-age=31536000/);
  });

  test('CSRF-10: a CORS-simple form post with the session cookie but no token is refused by CSRF, with no side effect', async () => {
    const c = t.client();
    await c.login('alice');
    const before = (await c.request('GET', '/api/articles/')).json.length;
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', 'title=x'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--x--\r\n',
      ],
      ['text/plain', '{"title":"x"}'],
    ]) {
      const res = await c.request('POST', '/api/articles/', { body, headers: { 'content-type': type } });
      assert.equal(res.status, 403, type);
      assert.equal(res.body, '{"detail":"CSRF Failed: CSRF token missing."}');
    }
    assert.equal((await c.request('GET', '/api/articles/')).json.length, before);
  });

  test('CSRF-10: content types no parser accepts are 415 with no side effect', async () => {
    const c = t.client();
    await c.login('alice');
    const before = (await c.request('GET', '/api/articles/')).json.length;
    for (const type of [
      'text/plain',
      'text/plain; charset=utf-8',
      'application/json\t',
      'application/jsonx',
      'application/json, text/plain',
    ]) {
      const res = await c.request('POST', '/api/articles/', {
        body: '{"title":"x"}',
        headers: { 'content-type': type },
        csrf: true,
      });
      assert.equal(res.status, 415, JSON.stringify(type));
    }
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/articles/',
      headers: {
        host: 'localhost',
        cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        'x-csrftoken': c.csrf!,
      },
      payload: '{"title":"x"}',
    });
    assert.equal(missing.statusCode, 415);
    assert.equal((await c.request('GET', '/api/articles/')).json.length, before);
    for (const type of ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON']) {
      const res = await c.request('POST', '/api/articles/', {
        body: '{"title":"x"}',
        headers: { 'content-type': type },
        csrf: true,
      });
      assert.equal(res.status, 201, type);
    }
  });

  test('AUTH-08: path variants of the login endpoint are 404 or share its throttle bucket', async () => {
    for (const path of [
      '//api/login/',
      '/api//login/',
      '/API/login/',
      '/api/login/;x',
      '/api/login/%00',
      '/api/./login/',
      '/api/%6Cogin/',
    ]) {
      const c = t.client();
      await c.primeCsrf();
      const res = await c.request('POST', path, {
        json: { username: 'alice', password: 'Pw-12345678' },
        csrf: true,
      });
      assert.ok([404, 200, 401, 429].includes(res.status), `${path}: ${res.status}`);
      if (res.status !== 404)
        assert.ok(['/api/./login/', '/api/%6Cogin/'].includes(path), `${path} was served`);
    }
  });

  test('AUTH-09: a password change needs the old password; a wrong one counts as a failed login', async () => {
    const app = await makeApp({ env: { GATEHOUSE_LOGIN_RATE: '2/min' } });
    try {
      await app.user('zed');
      const c = app.client();
      await c.login('zed');
      const missing = await c.request('POST', '/api/password/change/', {
        json: { new_password: 'New-pass-7730' },
        csrf: true,
      });
      assert.equal(missing.body, '{"old_password":["This field is required."]}');
      for (let i = 0; i < 2; i++) {
        const wrong = await c.request('POST', '/api/password/change/', {
          json: { old_password: 'x', new_password: 'New-pass-7730' },
          csrf: true,
        });
        assert.equal(wrong.status, 400);
      }
      const throttled = await c.request('POST', '/api/password/change/', {
        json: { old_password: 'Pw-12345678', new_password: 'New-pass-7730' },
        csrf: true,
      });
      assert.equal(throttled.status, 429);
      assert.equal((await app.client().login('zed')).status, 429);
    } finally {
      await app.close();
    }
  });

  test('IN-05: CR/LF in a username, a next URL or a token name inject no header', async () => {
    const c = t.client();
    await c.primeCsrf();
    const login = await c.request('POST', '/api/login/', {
      json: { username: 'a\r\nSet-Cookie: x=1', password: 'p' },
      csrf: true,
    });
    assert.equal(login.status, 401);
    assert.ok(!login.setCookies.some((l) => l.startsWith('x=')));
    const page = await c.request('GET', '/api-auth/login/');
    const token = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"/.exec(page.body)![1];
    const redirect = await c.request('POST', '/api-auth/login/', {
      form: {
        username: 'alice',
        password: 'Pw-12345678',
        csrfmiddlewaretoken: token,
        next: '/\r\nLocation: https://evil.example',
      },
    });
    assert.equal(redirect.headers.location, '/');
    const named = await c.request('POST', '/api/tokens/', {
      json: { name: 'x\nSet-Cookie: y=1' },
      csrf: true,
    });
    assert.equal(named.status, 201);
    assert.ok(!named.setCookies.some((l) => l.startsWith('y=')));
  });

  test('PERM-01: every route without credentials answers as the contract declares (a new route must be listed here)', async () => {
    const open = new Set([
      '/healthz',
      '/api/csrf/',
      '/api/me/',
      '/api/articles/',
      '/api/articles/:id/',
      '/',
      '/app.js',
      '/app.css',
      '/api-auth/login/',
      '/.well-known/jwks.json',
    ]);
    const loginLike = new Set([
      '/api/register/',
      '/api/login/',
      '/api/logout/',
      '/api-token-auth/',
      '/api/token/',
      '/api/token/refresh/',
      '/api/token/verify/',
      '/api/token/blacklist/',
      '/api-auth/logout/',
      '/auth/token/login/',
      '/auth/jwt/create/',
      '/auth/jwt/refresh/',
      '/auth/jwt/verify/',
      '/auth/mfa/verify/',
      '/auth/passkeys/login/begin/',
      '/auth/passkeys/login/complete/',
    ]);
    const routes = (t.app.printRoutes({ commonPrefix: false }).match(/[^\s│├└─]+ \(/g) ?? []).map((r) =>
      r.slice(0, -2),
    );
    assert.ok(routes.length > 10, 'routes were listed');
    const { serverRoutes } = await import('../../server/app.ts');
    // Only the route list is read here; the requests go to the running app and its own store.
    const listOnly = {} as Parameters<typeof serverRoutes>[1];
    for (const route of serverRoutes(t.gh, listOnly).filter((r) => r.group !== 'pages')) {
      const path = route.path.replace(':id', '1');
      const get = await t.client().request('GET', path);
      if (open.has(route.path))
        assert.ok(
          get.status < 400 || get.status === 404 || get.status === 405,
          `${route.path}: ${get.status}`,
        );
      else if (loginLike.has(route.path)) assert.equal(get.status, 405, route.path);
      else
        assert.ok(
          [401, 403].includes(get.status),
          `${route.path} answered ${get.status} without credentials`,
        );
    }
  });

  test('PERM-04 / JWT-20: a staff flag removed takes effect on the next request, session and JWT alike', async () => {
    const c = t.client();
    await c.login('admin');
    const access = (
      await t
        .client()
        .request('POST', '/api/token/', { json: { username: 'admin', password: 'Pw-12345678' } })
    ).json.access;
    assert.equal((await c.request('GET', '/api/admin/users/')).status, 200);
    assert.equal(
      (
        await t
          .client()
          .request('GET', '/api/admin/users/', { headers: { authorization: `Bearer ${access}` } })
      ).status,
      200,
    );
    const admin = (await t.gh.accounts.getByUsername('admin'))!;
    await t.gh.stores.users.update(admin.id, { isStaff: false });
    await t.gh.revocations.userChanged(admin.id);
    assert.equal((await c.request('GET', '/api/admin/users/')).status, 403);
    assert.equal(
      (
        await t
          .client()
          .request('GET', '/api/admin/users/', { headers: { authorization: `Bearer ${access}` } })
      ).status,
      403,
    );
  });
});
