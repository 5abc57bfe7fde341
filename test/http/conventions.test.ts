import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeApp, type TestApp } from '../helpers/app.ts';

describe('DRF conventions of the reference server', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
  });
  after(() => t.close());

  test('GET /healthz answers 200 {"status":"ok"} when the database answers', async () => {
    const res = await t.client().request('GET', '/healthz');
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"status":"ok"}');
  });

  test('an unknown path is 404 {"detail":"Not found."} with application/json and no charset', async () => {
    const res = await t.client().request('GET', '/nope/');
    assert.equal(res.status, 404);
    assert.equal(res.body, '{"detail":"Not found."}');
    assert.equal(res.headers['content-type'], 'application/json');
  });

  test('APPEND_SLASH: GET without the trailing slash redirects to the slashed route', async () => {
    const res = await t.client().request('GET', '/api/me?x=1');
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, '/api/me/?x=1');
  });

  test("a wrong method is 405 with DRF's detail and Allow in Django's order", async () => {
    const res = await t.client().request('GET', '/api/login/');
    assert.equal(res.status, 405);
    assert.equal(res.body, '{"detail":"Method \\"GET\\" not allowed."}');
    assert.equal(res.headers.allow, 'POST, OPTIONS');
  });

  test('HDR-03: PROPFIND and TRACE answer 405 with Allow', async () => {
    for (const method of ['PROPFIND', 'TRACE']) {
      const res = await t.client().request(method, '/api/me/');
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.allow, 'GET, HEAD, OPTIONS');
    }
  });

  test('malformed JSON is 400 with DRF\'s "JSON parse error - " prefix', async () => {
    const c = t.client();
    await c.primeCsrf();
    const res = await c.request('POST', '/api-token-auth/', {
      body: '{"username": "a",',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 400);
    assert.match(res.json.detail, /^JSON parse error - /);
  });

  test('IN-01: 10,000-level nested JSON is 400, never 500', async () => {
    const res = await t.client().request('POST', '/api-token-auth/', {
      body: '['.repeat(10_000) + ']'.repeat(10_000),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 400);
    assert.match(res.json.detail, /^JSON parse error - /);
  });

  test("an unsupported content type is 415 with DRF's message", async () => {
    const res = await t
      .client()
      .request('POST', '/api-token-auth/', { body: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(res.status, 415);
    assert.equal(res.body, '{"detail":"Unsupported media type \\"text/plain\\" in request."}');
  });

  test('IN-02: a body over 1 MiB is 413', async () => {
    const res = await t.client().request('POST', '/api-token-auth/', {
      body: JSON.stringify({ username: 'a', password: 'x'.repeat(1_100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 413);
    assert.equal(res.headers['content-type'], 'application/json');
  });

  test('IN-01: invalid UTF-8 and a UTF-8 BOM are 400', async () => {
    for (const body of [
      Buffer.from([0xff, 0xfe, 0x7b]),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]),
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api-token-auth/',
        payload: body,
        headers: { 'content-type': 'application/json', host: 'localhost' },
      });
      assert.equal(res.statusCode, 400);
    }
  });

  test('PWD-09: credential fields of the wrong type are 400, never 500 or 200', async () => {
    await t.user('typed');
    const bodies = [
      '{"username":"typed","password":["x"]}',
      '{"password":{"$ne":null}}',
      'true',
      '123',
      'null',
      '{"username":{"toString":"x"}}',
    ];
    for (const body of bodies) {
      const res = await t
        .client()
        .request('POST', '/api-token-auth/', { body, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 400, body);
    }
  });

  test('IN-04: __proto__ in a register body neither pollutes prototypes nor grants staff', async () => {
    const c = t.client();
    await c.primeCsrf();
    const res = await c.request('POST', '/api/register/', {
      body: '{"username":"proto","password":"Pw-12345678","is_staff":true,"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}',
      headers: { 'content-type': 'application/json' },
      csrf: true,
    });
    assert.equal(res.status, 201);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
    const user = await t.gh.accounts.getByUsername('proto');
    assert.equal(user?.isStaff, false);
  });

  test('HDR-04: no X-Powered-By and no framework version in Server', async () => {
    const res = await t.client().request('GET', '/api/me/');
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers.server, undefined);
  });

  test('APPEND_SLASH covers parameterised routes and every method', async () => {
    const detail = await t.client().request('GET', '/api/articles/1');
    assert.equal(detail.status, 301);
    assert.equal(detail.headers.location, '/api/articles/1/');
    const post = await t.client().request('POST', '/api/login');
    assert.equal(post.status, 301);
    assert.equal(post.headers.location, '/api/login/');
  });

  test('a URL that cannot be decoded is 404 {"detail":"Not found."}', async () => {
    const res = await t.client().request('GET', '/api/articles/%ff/');
    assert.equal(res.status, 404);
    assert.equal(res.body, '{"detail":"Not found."}');
  });

  test('a non-numeric article id is DRF\'s bare "Not found."', async () => {
    assert.equal((await t.client().request('GET', '/api/articles/abc/')).body, '{"detail":"Not found."}');
  });

  test("HDR-01: even Fastify's own 413 on an auth endpoint is not cacheable", async () => {
    const res = await t.client().request('POST', '/api/token/', {
      body: JSON.stringify({ username: 'a', password: 'x'.repeat(1_100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 413);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('session-first views vary on Accept and Cookie, as DRF', async () => {
    assert.equal((await t.client().request('GET', '/api/me/')).headers.vary, 'Accept, Cookie');
    assert.equal((await t.client().request('POST', '/api-token-auth/', { json: {} })).headers.vary, 'Cookie');
  });

  test('a sessionid that names no session is deleted, as Django does', async () => {
    const res = await t
      .client()
      .request('GET', '/api/me/', { headers: { cookie: `sessionid=${'z'.repeat(32)}` } });
    assert.equal(res.body, '{"user":null}');
    assert.deepEqual(res.setCookies, [
      'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax',
    ]);
    assert.deepEqual((await t.client().request('GET', '/api/me/')).setCookies, []);
  });

  test('OPTIONS answers DRF-style metadata', async () => {
    const res = await t.client().request('OPTIONS', '/api/articles/');
    assert.equal(res.status, 200);
    assert.equal(res.json.name, 'Article List');
  });
});
