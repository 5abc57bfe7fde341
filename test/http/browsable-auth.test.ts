import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeApp, type TestApp } from '../helpers/app.ts';

describe('browsable-API login and logout (/api-auth/)', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
    await t.user('alice');
  });
  after(() => t.close());

  async function form(next?: string) {
    const c = t.client();
    const page = await c.request(
      'GET',
      `/api-auth/login/${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`,
    );
    const token = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"/.exec(page.body)?.[1];
    return { c, page, token: token! };
  }

  test('GET renders a form with csrfmiddlewaretoken and never-cache headers', async () => {
    const { page, token } = await form('/api/profile/');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.ok(token);
    assert.equal(page.headers['cache-control'], 'max-age=0, no-cache, no-store, must-revalidate, private');
    assert.match(page.body, /name="next" value="\/api\/profile\/"/);
  });

  test('POST logs in and redirects to a local next', async () => {
    const { c, token } = await form();
    const res = await c.request('POST', '/api-auth/login/', {
      form: { username: 'alice', password: 'Pw-12345678', csrfmiddlewaretoken: token, next: '/api/profile/' },
    });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/api/profile/');
    assert.ok(res.setCookies.some((l) => l.startsWith('sessionid=')));
    assert.ok(res.setCookies.some((l) => l.startsWith('csrftoken=')));
    assert.equal((await c.request('GET', '/api/profile/')).status, 200);
  });

  test("bad credentials re-render the form with Django's message", async () => {
    const { c, token } = await form();
    const res = await c.request('POST', '/api-auth/login/', {
      form: { username: 'alice', password: 'x', csrfmiddlewaretoken: token },
    });
    assert.equal(res.status, 200);
    assert.match(
      res.body,
      /Please enter a correct username and password\. Note that both fields may be case-sensitive\./,
    );
  });

  test('a login POST without the token is refused', async () => {
    const res = await t
      .client()
      .request('POST', '/api-auth/login/', { form: { username: 'alice', password: 'Pw-12345678' } });
    assert.equal(res.status, 403);
  });

  test('RED-01: next pointing elsewhere redirects to /', async () => {
    const bad = [
      '//evil.example',
      '/\\evil.example',
      'https:evil.example',
      'http://evil.example',
      '\x08//evil.example',
      'javascript:alert(1)',
      '/%09/evil.example',
    ];
    for (const next of bad) {
      const { c, token } = await form();
      const res = await c.request('POST', '/api-auth/login/', {
        form: { username: 'alice', password: 'Pw-12345678', csrfmiddlewaretoken: token, next },
      });
      assert.equal(res.status, 302, next);
      assert.equal(res.headers.location, '/', next);
    }
  });

  test('POST /api-auth/logout/ takes next from the form body first', async () => {
    const { c, token } = await form();
    await c.request('POST', '/api-auth/login/', {
      form: { username: 'alice', password: 'Pw-12345678', csrfmiddlewaretoken: token },
    });
    const res = await c.request('POST', '/api-auth/logout/?next=/x/', {
      form: { next: '/api/me/', csrfmiddlewaretoken: c.csrf! },
    });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/api/me/');
  });

  test("a CSRF failure on the login form is Django's HTML 403 page; GET of logout an empty 405", async () => {
    const res = await t
      .client()
      .request('POST', '/api-auth/login/', { form: { username: 'alice', password: 'Pw-12345678' } });
    assert.equal(res.status, 403);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, /CSRF verification failed\. Request aborted\./);
    const get = await t.client().request('GET', '/api-auth/logout/');
    assert.equal(get.status, 405);
    assert.equal(get.body, '');
    assert.equal(get.headers.allow, 'POST, OPTIONS');
  });

  test('POST /api-auth/logout/ ends the session and redirects; GET is 405', async () => {
    const { c, token } = await form();
    await c.request('POST', '/api-auth/login/', {
      form: { username: 'alice', password: 'Pw-12345678', csrfmiddlewaretoken: token },
    });
    assert.equal((await c.request('GET', '/api-auth/logout/')).status, 405);
    const res = await c.request('POST', '/api-auth/logout/?next=/api/me/', { csrf: true });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/api/me/');
    assert.equal((await c.request('GET', '/api/me/')).body, '{"user":null}');
  });
});
