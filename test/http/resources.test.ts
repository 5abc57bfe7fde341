import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeApp, type TestApp } from '../helpers/app.ts';

describe('example resources (CONTRACT "Example resources")', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
    await t.user('alice');
    await t.user('bob');
    await t.user('root', 'Pw-12345678', { isStaff: true });
  });
  after(() => t.close());

  test('GET /api/dashboard/ greets the user; anonymous is 403 on a session-first view', async () => {
    const anon = await t.client().request('GET', '/api/dashboard/');
    assert.equal(anon.status, 403);
    assert.equal(anon.body, '{"detail":"Authentication credentials were not provided."}');
    assert.equal(anon.headers['www-authenticate'], undefined);
    const c = t.client();
    await c.login('alice');
    const res = await c.request('GET', '/api/dashboard/');
    assert.equal(res.body, '{"message":"Hello alice, welcome to your dashboard"}');
  });

  test('PERM-02: /api/profile/ is token-first: 401 with WWW-Authenticate: Token', async () => {
    const anon = await t.client().request('GET', '/api/profile/');
    assert.equal(anon.status, 401);
    assert.equal(anon.headers['www-authenticate'], 'Token');
    const bad = await t
      .client()
      .request('GET', '/api/profile/', { headers: { authorization: 'Token nope' } });
    assert.equal(bad.status, 401);
    assert.equal(bad.body, '{"detail":"Invalid token."}');
    const c = t.client();
    await c.login('alice');
    assert.equal(
      (await c.request('GET', '/api/profile/')).body,
      '{"username":"alice","email":"alice@example.com"}',
    );
  });

  test('articles: anyone reads, users create, only the author writes (PERM-03)', async () => {
    const alice = t.client();
    await alice.login('alice');
    const bob = t.client();
    await bob.login('bob');
    const anonPost = await t.client().request('POST', '/api/articles/', { json: { title: 'x' } });
    assert.equal(anonPost.status, 403);
    const created = await alice.request('POST', '/api/articles/', { json: { title: 'Hello' }, csrf: true });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.json), ['id', 'title', 'body', 'author', 'created']);
    assert.equal(created.json.body, '');
    assert.equal(created.json.author, 'alice');
    const id = created.json.id;
    assert.equal((await t.client().request('GET', `/api/articles/${id}/`)).status, 200);
    assert.ok(
      (await t.client().request('GET', '/api/articles/')).json.some((a: { id: number }) => a.id === id),
    );
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await bob.request(method, `/api/articles/${id}/`, { json: { title: 'pwned' }, csrf: true });
      assert.equal(res.status, 403, method);
      assert.equal(res.body, '{"detail":"You do not have permission to perform this action."}');
    }
    const patched = await alice.request('PATCH', `/api/articles/${id}/`, {
      json: { body: 'text' },
      csrf: true,
    });
    assert.equal(patched.json.title, 'Hello');
    assert.equal(patched.json.body, 'text');
    const put = await alice.request('PUT', `/api/articles/${id}/`, {
      json: { body: 'only body' },
      csrf: true,
    });
    assert.equal(put.status, 400);
    assert.equal(put.body, '{"title":["This field is required."]}');
    const del = await alice.request('DELETE', `/api/articles/${id}/`, { csrf: true });
    assert.equal(del.status, 204);
    const gone = await t.client().request('GET', `/api/articles/${id}/`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body, '{"detail":"No Article matches the given query."}');
    assert.equal((await t.client().request('GET', '/api/articles/abc/')).status, 404);
  });

  test('an article title over 200 characters is a field error', async () => {
    const c = t.client();
    await c.login('alice');
    const res = await c.request('POST', '/api/articles/', { json: { title: 'x'.repeat(201) }, csrf: true });
    assert.equal(res.status, 400);
    assert.equal(res.body, '{"title":["Ensure this field has no more than 200 characters."]}');
  });

  test('GET /api/admin/users/ is staff only', async () => {
    const alice = t.client();
    await alice.login('alice');
    const denied = await alice.request('GET', '/api/admin/users/');
    assert.equal(denied.status, 403);
    assert.equal(denied.body, '{"detail":"You do not have permission to perform this action."}');
    const root = t.client();
    await root.login('root');
    const res = await root.request('GET', '/api/admin/users/');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json[0]), [
      'id',
      'username',
      'email',
      'is_staff',
      'is_active',
      'date_joined',
      'last_login',
    ]);
  });

  test('the browsable API renders /api/profile/ as a page for a browser, JSON otherwise', async () => {
    const c = t.client();
    await c.login('alice');
    const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const page = await c.request('GET', '/api/profile/', { headers: { accept } });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /<h1>Profile<\/h1>/);
    assert.match(page.body, /HTTP 200 OK/);
    assert.match(page.body, /alice/);
    assert.match(page.body, /name="csrfmiddlewaretoken"/);
    assert.match(String(page.headers.vary), /Accept/);
    const json = await c.request('GET', '/api/profile/?format=json', { headers: { accept } });
    assert.match(String(json.headers['content-type']), /^application\/json/);
    const anon = await t.client().request('GET', '/api/profile/', { headers: { accept } });
    assert.equal(anon.status, 401);
    assert.equal(anon.headers['www-authenticate'], 'Token');
    assert.match(anon.body, /\/api-auth\/login\/\?next=%2Fapi%2Fprofile%2F/);
  });

  test('the browsable API escapes every value', async () => {
    const c = t.client();
    await c.login('alice');
    await c.request('POST', '/api/articles/', { json: { title: '<script>alert(1)</script>' }, csrf: true });
    const page = await c.request('GET', '/api/articles/', { headers: { accept: 'text/html' } });
    assert.ok(!page.body.includes('<script>alert(1)</script>'));
    assert.match(page.body, /&#60;script&#62;/);
  });
});
