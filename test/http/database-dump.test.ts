import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { makeApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
before(async () => {
  t = await makeApp();
  await t.user('alice');
});
after(() => t.close());

test('TOK-03 / SES-02: a dump of the database holds no usable session id, API key or refresh token', async () => {
  const c = t.client();
  await c.login('alice');
  const session = c.jar.get('sessionid')!;
  const key = (
    await t
      .client()
      .request('POST', '/api-token-auth/', { json: { username: 'alice', password: 'Pw-12345678' } })
  ).json.token;
  const { refresh, access } = (
    await t.client().request('POST', '/api/token/', { json: { username: 'alice', password: 'Pw-12345678' } })
  ).json;
  // Every credential works before the dump is read.
  assert.equal(
    (await t.client().request('GET', '/api/dashboard/', { headers: { cookie: `sessionid=${session}` } }))
      .status,
    200,
  );
  assert.equal(
    (await t.client().request('GET', '/api/profile/', { headers: { authorization: `Token ${key}` } })).status,
    200,
  );
  assert.equal(
    (await t.client().request('GET', '/api/profile/', { headers: { authorization: `Bearer ${access}` } }))
      .status,
    200,
  );

  const db = new DatabaseSync(t.dbPath, { readOnly: true });
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
    name: string;
  }[];
  const values = new Set<string>();
  for (const { name } of tables) {
    for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
      for (const value of Object.values(row))
        if (typeof value === 'string' && value.length >= 8) values.add(value);
    }
  }
  db.close();
  assert.ok(values.size > 5, 'the dump has values to try');
  for (const secret of [session, key, refresh, access])
    assert.ok(!values.has(secret), 'no credential is stored as is');

  for (const value of values) {
    const asCookie = await t
      .client()
      .request('GET', '/api/me/', { headers: { cookie: `sessionid=${value}` } });
    assert.equal(asCookie.body, '{"user":null}');
    const asToken = await t
      .client()
      .request('GET', '/api/profile/', { headers: { authorization: `Token ${value}` } });
    assert.equal(asToken.status, 401);
    const asBearer = await t
      .client()
      .request('GET', '/api/profile/', { headers: { authorization: `Bearer ${value}` } });
    assert.equal(asBearer.status, 401);
    const asRefresh = await t.client().request('POST', '/api/token/refresh/', { json: { refresh: value } });
    assert.equal(asRefresh.status, 401);
  }
});
