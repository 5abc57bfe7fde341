/**
 * Issue 8.6: a `next` with a character above U+00FF (`/中`) made
 * `/api-auth/login/` and `/api-auth/logout/` never answer: node's writeHead
 * threw on the non-Latin-1 `Location` after `reply.hijack()`, the error was
 * swallowed, and the socket stayed open (on login, after the session was
 * created). Locations are now encoded as Django's iri_to_uri does, and a write
 * that throws answers 500 and ends the request, through either adapter.
 *
 * The `timeout` of each test is a liveness guard: before the fix these
 * requests never completed.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { type ApiResponse, toResponse, type View } from '#gatehouse';
import { mount } from '../../src/adapters/fastify.ts';
import { mount as mountNode } from '../../src/adapters/node-http.ts';
import { register } from '../helpers/accounts.ts';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

const LIVE = { timeout: 20_000 };
const TOKEN = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"/;

describe('issue 8.6: a next above U+00FF, through the reference server in process', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
    await t.user('alice');
  });
  after(() => t.close());

  async function loginForm(query: string) {
    const c = t.client();
    const page = await c.request('GET', `/api-auth/login/${query}`);
    return { c, token: TOKEN.exec(page.body)![1] };
  }

  test(
    'issue 8.6: POST /api-auth/login/?next=/中 logs in and answers 302 Location: /%E4%B8%AD',
    LIVE,
    async () => {
      const { c, token } = await loginForm(`?next=${encodeURIComponent('/中')}`);
      const res = await c.request('POST', `/api-auth/login/?next=${encodeURIComponent('/中')}`, {
        form: { username: 'alice', password: 'Pw-12345678', csrfmiddlewaretoken: token },
      });
      assert.equal(res.status, 302);
      assert.equal(res.headers.location, '/%E4%B8%AD');
      assert.ok(res.setCookies.some((line) => line.startsWith('sessionid=')));
    },
  );

  test('issue 8.6: a next in the login form body is encoded the same way', LIVE, async () => {
    const { c, token } = await loginForm('');
    const res = await c.request('POST', '/api-auth/login/', {
      form: {
        username: 'alice',
        password: 'Pw-12345678',
        csrfmiddlewaretoken: token,
        next: '/I ♥ Django/?q=a b',
      },
    });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/I%20%E2%99%A5%20Django/?q=a%20b');
  });

  test('issue 8.6: POST /api-auth/logout/?next=/中 answers 302 Location: /%E4%B8%AD', LIVE, async () => {
    const { c, token } = await loginForm('');
    await c.request('POST', '/api-auth/login/', {
      form: { username: 'alice', password: 'Pw-12345678', csrfmiddlewaretoken: token },
    });
    const res = await c.request('POST', `/api-auth/logout/?next=${encodeURIComponent('/中')}`, {
      csrf: true,
    });
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/%E4%B8%AD');
    assert.equal((await c.request('GET', '/api/me/')).body, '{"user":null}');
  });

  test(
    "issue 8.6: APPEND_SLASH's Location is encoded as Django's get_full_path (iri_to_uri)",
    LIVE,
    async () => {
      const res = await t.client().request('GET', '/api/me?next=/中&q=a|b^c');
      assert.equal(res.status, 301);
      assert.equal(res.headers.location, '/api/me/?next=/%E4%B8%AD&q=a%7Cb%5Ec');
    },
  );
});

describe('issue 8.6: a next above U+00FF, through a real server', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer();
    await register(server.url, 'alice', 'Pw-12345678');
  });
  after(() => server.stop());

  test(
    'issue 8.6: login and logout with ?next=/中 answer 302 Location: /%E4%B8%AD over a socket',
    LIVE,
    async () => {
      const page = await fetch(`${server.url}/api-auth/login/?next=/中`);
      const csrf = /csrftoken=([A-Za-z0-9]+)/.exec(page.headers.getSetCookie().join('\n'))![1];
      const token = TOKEN.exec(await page.text())![1];
      const login = await fetch(`${server.url}/api-auth/login/?next=/中`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: `csrftoken=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'alice', password: 'Pw-12345678', csrfmiddlewaretoken: token }),
      });
      assert.equal(login.status, 302);
      assert.equal(login.headers.get('location'), '/%E4%B8%AD');
      const cookies = login.headers.getSetCookie().join('\n');
      const session = /sessionid=([a-z0-9]{32})/.exec(cookies)![1];
      const rotated = /csrftoken=([A-Za-z0-9]+)/.exec(cookies)![1];

      const logout = await fetch(`${server.url}/api-auth/logout/?next=/中`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: `csrftoken=${rotated}; sessionid=${session}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ csrfmiddlewaretoken: rotated }),
      });
      assert.equal(logout.status, 302);
      assert.equal(logout.headers.get('location'), '/%E4%B8%AD');
    },
  );
});

describe('issue 8.6: a response node cannot write still answers, through each adapter', () => {
  // A view whose answer carries a header value node refuses, after a login set a cookie.
  const unsendable: View = {
    name: 'Unsendable',
    allow: ['GET'],
    headers: {},
    renderers: ['json'],
    fail: (_req, error) => toResponse(error),
    handle: async (): Promise<ApiResponse> => ({
      status: 302,
      headers: { location: '/中' },
      cookies: [{ name: 'sessionid', value: 'abcdefghijklmnopqrstuvwxyz012345', httpOnly: true, path: '/' }],
      text: '',
    }),
  };

  async function expectServerError(url: string) {
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(await res.text(), '{"detail":"A server error occurred."}');
    // Nothing of the failed answer goes out with the 500: no session cookie for a login that did not answer.
    assert.deepEqual(res.headers.getSetCookie(), []);
    assert.equal(res.headers.get('location'), null);
    assert.equal(res.headers.get('connection'), 'close');
  }

  test('issue 8.6: the Fastify adapter (direct writes) answers 500 and ends the request', LIVE, async () => {
    const app = Fastify();
    await mount(app, [{ name: 'unsendable', path: '/unsendable/', view: unsendable, group: 'test' }], {
      direct: true,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      await expectServerError(`http://127.0.0.1:${port}/unsendable/`);
      const injected = await app.inject({ method: 'GET', url: '/unsendable/' });
      assert.equal(injected.statusCode, 500);
      assert.equal(injected.body, '{"detail":"A server error occurred."}');
    } finally {
      await app.close();
    }
  });

  test('issue 8.6: the node:http adapter answers 500 and ends the request', LIVE, async () => {
    const server = createServer(
      mountNode([{ name: 'unsendable', path: '/unsendable/', view: unsendable, group: 'test' }]),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await expectServerError(`http://127.0.0.1:${port}/unsendable/`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
