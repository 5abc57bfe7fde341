import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SecurityEvent } from '#gatehouse';
import { makeApp, type TestApp } from '../helpers/app.ts';

const events: SecurityEvent[] = [];
let t: TestApp;
const PASSWORD = 'canary-PW-7f3a';

before(async () => {
  t = await makeApp({ securityLog: (e) => events.push(e), env: { GATEHOUSE_LOGIN_RATE: '3/min' } });
  await t.user('alice', PASSWORD);
  await t.user('bob', PASSWORD);
});
after(() => t.close());

function last(name: string): SecurityEvent {
  const found = events.filter((e) => e.event === name).at(-1);
  assert.ok(found, `no ${name} event`);
  return found;
}

test('LOG-01: security events say who, what, when and where', async () => {
  const c = t.client();
  await c.primeCsrf();
  await c.request('POST', '/api/login/', { json: { username: 'nobody', password: 'x' }, csrf: true });
  assert.equal(last('login_failed').reason, 'unknown_user');
  await c.request('POST', '/api/login/', { json: { username: 'alice', password: 'wrong' }, csrf: true });
  assert.equal(last('login_failed').reason, 'invalid_password');
  const login = last('login_failed');
  assert.equal(typeof login.userId, 'number');
  assert.equal(login.ip, '127.0.0.1');
  assert.equal(login.route, '/api/login/');
  assert.match(login.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  await c.login('alice', PASSWORD);
  assert.match(String(last('login_succeeded').sessionRef), /^[0-9a-f]{12}$/);
  await c.request('POST', '/api/articles/', { json: { title: 'x' } });
  assert.equal(last('csrf_failed').reason, 'CSRF token missing.');
  const created = await c.request('POST', '/api/tokens/', { json: { name: 'cli' }, csrf: true });
  assert.equal(last('token_created').reason, created.json.id);
  await c.request('DELETE', `/api/tokens/${created.json.id}/`, { csrf: true });
  assert.equal(last('token_revoked').reason, created.json.id);
  await c.request('GET', '/api/admin/users/');
  assert.equal(last('permission_denied').route, '/api/admin/users/');
  await c.request('POST', '/api/password/change/', {
    json: { old_password: PASSWORD, new_password: 'New-pass-7730' },
    csrf: true,
  });
  assert.ok(last('password_changed'));

  const pair = (
    await t.client().request('POST', '/api/token/', { json: { username: 'bob', password: PASSWORD } })
  ).json;
  await t.client().request('POST', '/api/token/refresh/', { json: { refresh: pair.refresh } });
  await t.client().request('POST', '/api/token/refresh/', { json: { refresh: pair.refresh } });
  assert.equal(last('refresh_reuse_detected').route, '/api/token/refresh/');

  for (let i = 0; i < 3; i++)
    await t.client().request('POST', '/api-token-auth/', { json: { username: 'bob', password: 'wrong' } });
  await t.client().request('POST', '/api-token-auth/', { json: { username: 'bob', password: PASSWORD } });
  assert.ok(last('login_throttled'));
});

test('LOG-02: no secret reaches the log, and CR/LF cannot forge a line', async () => {
  const c = t.client();
  await c.login('alice', 'New-pass-7730');
  const key = (
    await t
      .client()
      .request('POST', '/api-token-auth/', { json: { username: 'alice', password: 'New-pass-7730' } })
  ).json.token;
  const { refresh, access } = (
    await t
      .client()
      .request('POST', '/api/token/', { json: { username: 'alice', password: 'New-pass-7730' } })
  ).json;
  await t.client().request('GET', '/api/profile/', { headers: { authorization: `Token ${key}x` } });
  await t.client().request('GET', '/api/login%0d%0a[FAKE]%20admin%20logged%20in/');
  await c.request('POST', '/api/login/', {
    json: { username: 'a\r\n[FAKE] admin logged in', password: PASSWORD },
    csrf: true,
  });
  const text = events.map((e) => JSON.stringify(e)).join('\n');
  for (const secret of [PASSWORD, 'New-pass-7730', key, refresh, access, c.jar.get('sessionid')!, c.csrf!]) {
    assert.ok(!text.includes(secret), 'a secret was logged');
  }
  assert.ok(!text.split('\n').some((line) => line.startsWith('[FAKE]')));
});
