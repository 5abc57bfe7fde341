import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const CHALLENGE = 'Bearer realm="api"';

function payload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

describe('JWT (CONTRACT "JWT", simplejwt 5.5)', () => {
  const clock = createFakeClock(Date.UTC(2026, 6, 1, 12));
  let t: TestApp;
  before(async () => {
    t = await makeApp({ clock });
    for (const name of ['alice', 'bob', 'carol', 'dan', 'ed']) await t.user(name);
  });
  after(() => t.close());

  const post = (path: string, json: unknown) => t.client().request('POST', path, { json });
  const obtain = async (username = 'alice') =>
    (await post('/api/token/', { username, password: 'Pw-12345678' })).json;
  const bearer = (access: string) => ({ authorization: `Bearer ${access}` });

  test('JWT-15: obtain answers {"refresh","access"} with simplejwt\'s claims in order and a 5-minute access token', async () => {
    const res = await post('/api/token/', { username: 'alice', password: 'Pw-12345678' });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json), ['refresh', 'access']);
    assert.match(res.json.access, JWT);
    const access = payload(res.json.access);
    const refresh = payload(res.json.refresh);
    assert.deepEqual(Object.keys(access), ['token_type', 'exp', 'iat', 'jti', 'user_id']);
    assert.equal(access.token_type, 'access');
    assert.equal(refresh.token_type, 'refresh');
    assert.equal(typeof access.user_id, 'string');
    assert.equal((access.exp as number) - (access.iat as number), 300);
    assert.equal((refresh.exp as number) - (refresh.iat as number), 86400);
    assert.match(access.jti as string, /^[0-9a-f]{32}$/);
    assert.deepEqual(JSON.parse(Buffer.from(res.json.access.split('.')[0], 'base64url').toString()), {
      alg: 'HS256',
      typ: 'JWT',
    });
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('obtain with wrong credentials is 401 with Bearer realm="api" and no code', async () => {
    const res = await post('/api/token/', { username: 'alice', password: 'nope' });
    assert.equal(res.status, 401);
    assert.equal(res.body, '{"detail":"No active account found with the given credentials"}');
    assert.equal(res.headers['www-authenticate'], CHALLENGE);
    const empty = await post('/api/token/', {});
    assert.equal(
      empty.body,
      '{"username":["This field is required."],"password":["This field is required."]}',
    );
  });

  test('an access token authenticates; the Bearer keyword is case-sensitive', async () => {
    const { access } = await obtain();
    assert.equal((await t.client().request('GET', '/api/profile/', { headers: bearer(access) })).status, 200);
    const lower = await t
      .client()
      .request('GET', '/api/profile/', { headers: { authorization: `bearer ${access}` } });
    assert.equal(lower.status, 401);
    assert.equal(lower.body, '{"detail":"Authentication credentials were not provided."}');
  });

  test("a bad Bearer header gets simplejwt's bodies; token-first → 401 Token, session-first → 403", async () => {
    const two = await t
      .client()
      .request('GET', '/api/profile/', { headers: { authorization: 'Bearer a b' } });
    assert.equal(two.status, 401);
    assert.equal(
      two.body,
      '{"detail":"Authorization header must contain two space-delimited values","code":"bad_authorization_header"}',
    );
    assert.equal(two.headers['www-authenticate'], 'Token');
    const bad = await t
      .client()
      .request('GET', '/api/dashboard/', { headers: { authorization: 'Bearer abc.def.ghi' } });
    assert.equal(bad.status, 403);
    assert.equal(
      bad.body,
      '{"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[{"token_class":"AccessToken","token_type":"access","message":"Token is invalid"}]}',
    );
    assert.equal(bad.headers['www-authenticate'], undefined);
  });

  test('a refresh token is not an access token: "Token has wrong type"', async () => {
    const { refresh } = await obtain();
    const res = await t.client().request('GET', '/api/profile/', { headers: bearer(refresh) });
    assert.equal(res.status, 401);
    assert.equal(res.json.messages[0].message, 'Token has wrong type');
  });

  test('an access token expires after 5 minutes: "Token is expired"', async () => {
    const { access } = await obtain();
    clock.advance(299_000);
    assert.equal((await t.client().request('GET', '/api/profile/', { headers: bearer(access) })).status, 200);
    clock.advance(2_000);
    const res = await t.client().request('GET', '/api/profile/', { headers: bearer(access) });
    assert.equal(res.json.messages[0].message, 'Token is expired');
  });

  test('JWT-16 / JWT-17: refresh rotates ({"access","refresh"}); reusing the old one is "Token is blacklisted" and ends the family', async () => {
    const first = await obtain();
    const rotated = await post('/api/token/refresh/', { refresh: first.refresh });
    assert.equal(rotated.status, 200);
    assert.deepEqual(Object.keys(rotated.json), ['access', 'refresh']);
    const replay = await post('/api/token/refresh/', { refresh: first.refresh });
    assert.equal(replay.status, 401);
    assert.equal(replay.body, '{"detail":"Token is blacklisted","code":"token_not_valid"}');
    assert.equal(replay.headers['www-authenticate'], CHALLENGE);
    // The family is dead: the legitimate holder's newer token no longer refreshes either.
    const descendant = await post('/api/token/refresh/', { refresh: rotated.json.refresh });
    assert.equal(descendant.body, '{"detail":"Token is blacklisted","code":"token_not_valid"}');
    // Another family of the same user is untouched.
    const other = await obtain();
    assert.equal((await post('/api/token/refresh/', { refresh: other.refresh })).status, 200);
  });

  test('JWT-18: ten concurrent refreshes of one token: exactly one succeeds', async () => {
    const { refresh } = await obtain('bob');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => post('/api/token/refresh/', { refresh })),
    );
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    assert.ok(results.filter((r) => r.status !== 200).every((r) => r.status === 401));
  });

  test('refresh errors: access token, garbage, missing field', async () => {
    const { access } = await obtain();
    assert.equal(
      (await post('/api/token/refresh/', { refresh: access })).body,
      '{"detail":"Token has wrong type","code":"token_not_valid"}',
    );
    assert.equal(
      (await post('/api/token/refresh/', { refresh: 'x' })).body,
      '{"detail":"Token is invalid","code":"token_not_valid"}',
    );
    assert.equal((await post('/api/token/refresh/', {})).body, '{"refresh":["This field is required."]}');
  });

  test('CVE-2024-22513 / JWT-19 / SES-11: refresh for an inactive user is refused', async () => {
    const { refresh, access } = await obtain('carol');
    await t.gh.accounts.setActive((await t.gh.accounts.getByUsername('carol'))!, false);
    const res = await post('/api/token/refresh/', { refresh });
    assert.equal(res.status, 401);
    assert.equal(res.body, '{"detail":"No active account found for the given token."}');
    const use = await t.client().request('GET', '/api/profile/', { headers: bearer(access) });
    assert.equal(use.body, '{"detail":"User is inactive","code":"user_inactive"}');
  });

  test('verify: 200 {} for any valid token, 401 for bad ones, 400 for a blacklisted refresh', async () => {
    const { access, refresh } = await obtain();
    assert.equal((await post('/api/token/verify/', { token: access })).body, '{}');
    assert.equal((await post('/api/token/verify/', { token: refresh })).body, '{}');
    const bad = await post('/api/token/verify/', { token: 'x.y.z' });
    assert.equal(bad.status, 401);
    assert.equal(bad.body, '{"detail":"Token is invalid","code":"token_not_valid"}');
    await post('/api/token/blacklist/', { refresh });
    const spent = await post('/api/token/verify/', { token: refresh });
    assert.equal(spent.status, 400);
    assert.equal(spent.body, '{"non_field_errors":["Token is blacklisted"]}');
  });

  describe('issue 8.8: verify agrees with what the token can do', () => {
    const INVALID = '{"detail":"Token is invalid","code":"token_not_valid"}';
    const BLACKLISTED = '{"non_field_errors":["Token is blacklisted"]}';
    const verify = (token: string) => post('/api/token/verify/', { token });

    test('issue 8.8: after logout everywhere the access token is "Token is invalid" (401) and the refresh token blacklisted (400)', async () => {
      await t.user('vera');
      const { access, refresh } = await obtain('vera');
      assert.equal((await verify(access)).body, '{}');
      assert.equal(
        (await t.client().request('POST', '/api/logoutall/', { headers: bearer(access) })).status,
        204,
      );
      const a = await verify(access);
      assert.equal(a.status, 401);
      assert.equal(a.body, INVALID);
      assert.equal(a.headers['www-authenticate'], CHALLENGE);
      const r = await verify(refresh);
      assert.equal(r.status, 400);
      assert.equal(r.body, BLACKLISTED);
      clock.advance(1);
    });

    test('issue 8.8: after a password change the old access and refresh tokens no longer verify', async () => {
      await t.user('vince');
      const { access, refresh } = await obtain('vince');
      const c = t.client();
      await c.login('vince');
      const res = await c.request('POST', '/api/password/change/', {
        json: { old_password: 'Pw-12345678', new_password: 'Fresh-pass-9911' },
        csrf: true,
      });
      assert.equal(res.status, 200);
      assert.equal((await verify(access)).body, INVALID);
      assert.equal((await verify(refresh)).body, BLACKLISTED);
      clock.advance(1);
    });

    test('issue 8.8: every token of a family ended by reuse detection is blacklisted for verify too', async () => {
      const first = await obtain();
      const rotated = await post('/api/token/refresh/', { refresh: first.refresh });
      await post('/api/token/refresh/', { refresh: first.refresh }); // the replay ends the family
      const descendant = await verify(rotated.json.refresh);
      assert.equal(descendant.status, 400);
      assert.equal(descendant.body, BLACKLISTED);
    });

    test('issue 8.8: the tokens of an inactive user are "Token is invalid" (401)', async () => {
      await t.user('ivy');
      const { access, refresh } = await obtain('ivy');
      await t.gh.accounts.setActive((await t.gh.accounts.getByUsername('ivy'))!, false);
      for (const token of [access, refresh]) {
        const res = await verify(token);
        assert.equal(res.status, 401);
        assert.equal(res.body, INVALID);
      }
    });

    test('issue 8.8: a refresh token whose family is past its 30 days is "Token is expired", as refresh says', async () => {
      await t.user('old-timer');
      let { refresh } = await obtain('old-timer');
      for (let day = 0; day < 30; day++) {
        clock.advance(86_000_000);
        refresh = (await post('/api/token/refresh/', { refresh })).json.refresh;
      }
      clock.advance(20_000_000);
      const res = await verify(refresh);
      assert.equal(res.status, 401);
      assert.equal(res.body, '{"detail":"Token is expired","code":"token_not_valid"}');
    });
  });

  test('blacklist: 200 {}, then 401 "Token is blacklisted"; the token no longer refreshes', async () => {
    const { refresh } = await obtain();
    const res = await post('/api/token/blacklist/', { refresh });
    assert.equal(res.status, 200);
    assert.equal(res.body, '{}');
    assert.equal(
      (await post('/api/token/blacklist/', { refresh })).body,
      '{"detail":"Token is blacklisted","code":"token_not_valid"}',
    );
    assert.equal((await post('/api/token/refresh/', { refresh })).status, 401);
  });

  test('JWT-14: logout everywhere ends access tokens at once (per-user "not before")', async () => {
    const { access, refresh } = await obtain('dan');
    const headers = bearer(access);
    assert.equal((await t.client().request('GET', '/api/profile/', { headers })).status, 200);
    assert.equal((await t.client().request('POST', '/api/logoutall/', { headers })).status, 204);
    const res = await t.client().request('GET', '/api/profile/', { headers });
    assert.equal(res.status, 401);
    assert.equal(res.json.code, 'token_not_valid');
    assert.equal(
      (await post('/api/token/refresh/', { refresh })).body,
      '{"detail":"Token is blacklisted","code":"token_not_valid"}',
    );
    // A token obtained afterwards, even in the same second (here one millisecond later), works.
    clock.advance(1);
    const fresh = await obtain('dan');
    assert.equal(
      (await t.client().request('GET', '/api/profile/', { headers: bearer(fresh.access) })).status,
      200,
    );
  });

  test('SES-10: a password change ends access and refresh tokens', async () => {
    const { access, refresh } = await obtain('ed');
    const c = t.client();
    await c.login('ed');
    const res = await c.request('POST', '/api/password/change/', {
      json: { old_password: 'Pw-12345678', new_password: 'Fresh-pass-9911' },
      csrf: true,
    });
    assert.equal(res.status, 200);
    assert.equal((await t.client().request('GET', '/api/profile/', { headers: bearer(access) })).status, 401);
    assert.equal((await post('/api/token/refresh/', { refresh })).status, 401);
  });

  test('JWT requests are not subject to CSRF', async () => {
    const { access } = await obtain();
    const res = await t
      .client()
      .request('POST', '/api/articles/', { json: { title: 'jwt' }, headers: bearer(access) });
    assert.equal(res.status, 201);
  });

  test('CVE-2015-9235: alg "none" and an HS256 token signed with another key are refused over HTTP', async () => {
    const { access } = await obtain();
    const [, body] = access.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${body}.`;
    const forged = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${body}`;
    const signature = createHmac('sha256', 'not-the-secret').update(forged).digest('base64url');
    for (const token of [none, `${forged}.${signature}`]) {
      const res = await t.client().request('GET', '/api/profile/', { headers: bearer(token) });
      assert.equal(res.status, 401);
    }
  });

  test('GET /.well-known/jwks.json answers an empty key set for HS256', async () => {
    const res = await t.client().request('GET', '/.well-known/jwks.json');
    assert.equal(res.body, '{"keys":[]}');
  });

  test('JWT-15: a refresh family dies 30 days after its login, however often it rotated', async () => {
    let { refresh } = await obtain('bob');
    for (let day = 0; day < 30; day++) {
      clock.advance(86_000_000); // each refresh token is used before its one-day lifetime ends
      const res = await post('/api/token/refresh/', { refresh });
      assert.equal(res.status, 200, `day ${day + 1}`);
      refresh = res.json.refresh;
    }
    clock.advance(20_000_000); // the last token is 5.5 hours old, its family past 30 days
    const late = await post('/api/token/refresh/', { refresh });
    assert.equal(late.body, '{"detail":"Token is expired","code":"token_not_valid"}');
  });

  test('the token views allow POST only', async () => {
    const res = await t.client().request('GET', '/api/token/');
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'POST, OPTIONS');
  });
});
