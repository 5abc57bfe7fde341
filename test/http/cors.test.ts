import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeApp, type TestApp } from '../helpers/app.ts';

describe('CORS for clients on other origins (CONTRACT "Cross-origin clients")', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp({ env: { GATEHOUSE_CORS_ALLOWED_ORIGINS: 'https://app.example.test' } });
    await t.user('alice');
  });
  after(() => t.close());

  const preflight = (origin: string) =>
    t.client().request('OPTIONS', '/api/profile/', {
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });

  test('a preflight from an allowed origin answers 200 with the CORS headers', async () => {
    const res = await preflight('https://app.example.test');
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example.test');
    assert.match(String(res.headers['access-control-allow-headers']), /authorization/);
    assert.match(String(res.headers['access-control-allow-headers']), /content-type/);
    assert.match(String(res.headers['access-control-allow-methods']), /POST/);
    assert.match(String(res.headers.vary), /Origin/);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
  });

  test('CSRF-15: other origins get no CORS headers, and nothing is reflected or wildcarded', async () => {
    for (const origin of ['https://evil.example', 'https://app.example.test.evil.example', 'null']) {
      const res = await preflight(origin);
      assert.equal(res.headers['access-control-allow-origin'], undefined, origin);
      const actual = await t.client().request('GET', '/api/articles/', { headers: { origin } });
      assert.equal(actual.headers['access-control-allow-origin'], undefined);
    }
  });

  test('actual responses to an allowed origin carry Access-Control-Allow-Origin, errors included', async () => {
    const headers = { origin: 'https://app.example.test' };
    const ok = await t.client().request('GET', '/api/articles/', { headers });
    assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example.test');
    const denied = await t.client().request('GET', '/api/profile/', { headers });
    assert.equal(denied.status, 401);
    assert.equal(denied.headers['access-control-allow-origin'], 'https://app.example.test');
    const missing = await t.client().request('GET', '/api/nothing/', { headers });
    assert.equal(missing.headers['access-control-allow-origin'], 'https://app.example.test');
  });

  test('a token client on the allowed origin works; CORS origins are not CSRF-trusted', async () => {
    const key = (
      await t
        .client()
        .request('POST', '/api-token-auth/', { json: { username: 'alice', password: 'Pw-12345678' } })
    ).json.token;
    const res = await t.client().request('POST', '/api/articles/', {
      json: { title: 'from the other origin' },
      headers: { origin: 'https://app.example.test', authorization: `Token ${key}` },
    });
    assert.equal(res.status, 201);
    const c = t.client();
    await c.login('alice');
    const session = await c.request('POST', '/api/articles/', {
      json: { title: 'x' },
      csrf: true,
      headers: { origin: 'https://app.example.test' },
    });
    assert.equal(session.status, 403);
    assert.match(session.json.detail, /^CSRF Failed: Origin checking failed/);
  });
});

describe('CORS with credentials', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp({
      env: {
        GATEHOUSE_CORS_ALLOWED_ORIGINS: 'https://app.example.test',
        GATEHOUSE_CORS_ALLOW_CREDENTIALS: '1',
      },
    });
  });
  after(() => t.close());

  test('Access-Control-Allow-Credentials is sent only when configured, never with *', async () => {
    const res = await t
      .client()
      .request('GET', '/api/articles/', { headers: { origin: 'https://app.example.test' } });
    assert.equal(res.headers['access-control-allow-credentials'], 'true');
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example.test');
  });
});
