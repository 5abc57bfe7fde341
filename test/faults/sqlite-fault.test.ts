import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { makeApp, type TestApp } from '../helpers/app.ts';

// SES-16: a store that cannot answer fails closed — 503, never 2xx, never another 5xx.
let t: TestApp;
before(async () => {
  t = await makeApp();
  await t.user('alice');
});
after(() => t.close());

test('SES-16: a database locked by another process makes writes answer 503, and the server recovers', async () => {
  const c = t.client();
  await c.login('alice');
  const token = (
    await t
      .client()
      .request('POST', '/api-token-auth/', { json: { username: 'alice', password: 'Pw-12345678' } })
  ).json.token;
  const other = new DatabaseSync(t.dbPath, { timeout: 0 });
  other.exec('BEGIN EXCLUSIVE');
  try {
    const started = Date.now();
    const res = await c.request('POST', '/api/articles/', { json: { title: 'x' }, csrf: true });
    assert.equal(res.status, 503);
    assert.equal(res.body, '{"detail":"Service temporarily unavailable."}');
    assert.ok(Date.now() - started < 7_000, 'answers within the busy timeout');
    const login = await t
      .client()
      .request('POST', '/api-token-auth/', { json: { username: 'alice', password: 'Pw-12345678' } });
    assert.equal(login.status, 503);
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
  assert.equal(
    (await c.request('POST', '/api/articles/', { json: { title: 'after' }, csrf: true })).status,
    201,
  );
  assert.equal(
    (await t.client().request('GET', '/api/profile/', { headers: { authorization: `Token ${token}` } }))
      .status,
    200,
  );
});

test('SES-16: with the database gone, a valid cookie never authenticates: 503 without Set-Cookie', async () => {
  const c = t.client();
  await c.login('alice');
  await t.gh.stores.close();
  const res = await c.request('GET', '/api/dashboard/');
  assert.equal(res.status, 503);
  assert.equal(res.body, '{"detail":"Service temporarily unavailable."}');
  assert.equal(res.setCookies.length, 0);
  const login = await c.request('POST', '/api/login/', {
    json: { username: 'alice', password: 'Pw-12345678' },
    csrf: true,
  });
  assert.equal(login.status, 503);
  assert.ok(!login.setCookies.some((line) => line.startsWith('sessionid=')));
  const health = await t.client().request('GET', '/healthz');
  assert.equal(health.status, 503);
});
