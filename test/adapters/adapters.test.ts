import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve as serveHono } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { createGatehouse, createMemoryStores, IsAuthenticated, jsonResponse } from '#gatehouse';
import { PasswordHashers } from '#gatehouse/passwords';
import * as expressAdapter from '../../src/adapters/express.ts';
import * as fastifyAdapter from '../../src/adapters/fastify.ts';
import * as honoAdapter from '../../src/adapters/hono.ts';
import * as nodeAdapter from '../../src/adapters/node-http.ts';

// One Gatehouse, four frameworks: the adapters only translate, so every case must answer alike.
const gh = createGatehouse({
  stores: createMemoryStores(),
  secretKey: 'adapter-test-secret-0123456789-abcdefghijklmnop',
  hashers: new PasswordHashers(),
  loginRate: '100/min',
});
const dashboard = gh.view({
  name: 'Dashboard',
  permissions: [IsAuthenticated],
  handlers: {
    GET: (ctx) => jsonResponse(200, { message: `Hello ${ctx.user.username}` }),
    POST: (ctx) => jsonResponse(201, { got: ctx.data() }),
  },
});
const guard = { permissions: [IsAuthenticated] } as const;

type Fetcher = (path: string, init?: RequestInit) => Promise<Response>;
const targets: Record<string, { fetch: Fetcher; close(): Promise<void> }> = {};

function listen(server: Server): Promise<{ fetch: Fetcher; close(): Promise<void> }> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        fetch: (path, init) => fetch(`http://127.0.0.1:${port}${path}`, init),
        close: () => new Promise((r) => server.close(() => r())),
      });
    }),
  );
}

/** Reads a node request's JSON body, as an application's own handler would. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : null;
}

before(async () => {
  await gh.accounts.create({ username: 'alice', password: 'Pw-12345678' });

  // node:http: mount, with the application's own routes as the fallback.
  const protectNode = nodeAdapter.protect(gh, guard);
  const serveDashboard = nodeAdapter.serve(dashboard);
  targets['node:http'] = await listen(
    createServer(
      nodeAdapter.mount(gh.urls(), {
        fallback: (req, res) => {
          if (req.url === '/dashboard/') return void serveDashboard(req, res);
          if (req.url?.startsWith('/notes/'))
            return void protectNode(req, res).then(async (ctx) => {
              if (!ctx) return;
              const body = (req as { body?: unknown }).body ?? (await readJson(req));
              const user = ctx.user.username;
              res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ user, body }));
            });
          res.writeHead(404).end();
        },
      }),
    ),
  );

  // Express: a body parser before the guard on one route, after it on the other.
  const app = express();
  expressAdapter.mount(app, gh.urls());
  app.all('/dashboard/', expressAdapter.serve(dashboard));
  app.post('/notes/json-first/', express.json(), expressAdapter.protect(gh, guard), (req, res) => {
    res.status(201).json({ user: req.gatehouse.user.username, body: req.body });
  });
  app.post(
    '/notes/guard-first/',
    expressAdapter.protect(gh, guard),
    express.json(),
    express.urlencoded(),
    (req, res) => {
      res.status(201).json({ user: req.gatehouse.user.username, body: req.body });
    },
  );
  targets.express = await listen(createServer(app));

  // Fastify: mount is encapsulated, so the application's JSON parser still serves its own routes.
  const fastify = Fastify();
  // The application's own views go through mount too: inside it, every body is Gatehouse's to parse.
  await fastifyAdapter.mount(fastify, [
    ...gh.urls(),
    { name: 'dashboard', path: '/dashboard/', view: dashboard, group: 'app' },
  ]);
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  for (const path of ['/notes/json-first/', '/notes/guard-first/']) {
    fastify.post(path, { preHandler: fastifyAdapter.protect(gh, guard) }, async (request, reply) => {
      reply.code(201);
      return { user: request.gatehouse.user.username, body: request.body };
    });
  }
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const fastifyPort = (fastify.server.address() as AddressInfo).port;
  targets.fastify = {
    fetch: (p, i) => fetch(`http://127.0.0.1:${fastifyPort}${p}`, i),
    close: () => fastify.close(),
  };

  // Hono on @hono/node-server: the client address comes from the socket by default.
  const hono = new Hono<{ Variables: honoAdapter.GatehouseVariables }>();
  honoAdapter.mount(hono, gh.urls());
  hono.all('/dashboard/', honoAdapter.serve(dashboard));
  for (const path of ['/notes/json-first/', '/notes/guard-first/']) {
    hono.post(path, honoAdapter.protect(gh, guard), async (c) => {
      const type = c.req.header('content-type') ?? '';
      const body = type.includes('json') ? await c.req.json() : await c.req.parseBody();
      return c.json({ user: c.get('gatehouse').user.username, body }, 201);
    });
  }
  await new Promise<void>((resolve) => {
    const server = serveHono({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      targets.hono = {
        fetch: (p, i) => fetch(`http://127.0.0.1:${info.port}${p}`, i),
        close: () => new Promise((r) => server.close(() => r())),
      };
      resolve();
    });
  });
});

after(async () => {
  for (const target of Object.values(targets)) await target.close();
});

/** A logged-in browser: the session and CSRF cookies from POST /api/login/. */
async function sessionOf(f: Fetcher): Promise<{ cookie: string; csrf: string }> {
  const primed = await f('/api/csrf/');
  const secret = /csrftoken=([A-Za-z0-9]{32})/.exec(primed.headers.getSetCookie().join('\n'))![1];
  const { csrfToken } = (await primed.json()) as { csrfToken: string };
  const res = await f('/api/login/', {
    method: 'POST',
    headers: { cookie: `csrftoken=${secret}`, 'x-csrftoken': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'Pw-12345678' }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const lines = res.headers.getSetCookie().join('\n');
  const session = /sessionid=([a-z0-9]{32})/.exec(lines)![1];
  const rotated = /csrftoken=([A-Za-z0-9]{32})/.exec(lines)![1];
  return { cookie: `sessionid=${session}; csrftoken=${rotated}`, csrf: rotated };
}

for (const name of ['node:http', 'express', 'fastify', 'hono']) {
  describe(`the ${name} adapter`, () => {
    const f: Fetcher = (path, init) => targets[name].fetch(path, init);

    test("anonymous → 403 with DRF's body and application/json", async () => {
      const res = await f('/dashboard/');
      assert.equal(res.status, 403);
      assert.equal(await res.text(), '{"detail":"Authentication credentials were not provided."}');
      assert.equal(res.headers.get('content-type'), 'application/json');
    });

    test('the mounted endpoints answer: token obtain, then the token authenticates a view and a guard', async () => {
      const obtained = await f('/api-token-auth/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'alice', password: 'Pw-12345678' }),
      });
      assert.equal(obtained.status, 200);
      const { token } = (await obtained.json()) as { token: string };
      const headers = { authorization: `Token ${token}` };
      assert.equal(await (await f('/dashboard/', { headers })).text(), '{"message":"Hello alice"}');
      const posted = await f('/notes/json-first/', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{"text":"hi"}',
      });
      assert.equal(posted.status, 201);
      assert.deepEqual(await posted.json(), { user: 'alice', body: { text: 'hi' } });
    });

    test('a guard never consumes the JSON body: the handler after it still reads it', async () => {
      const { cookie, csrf } = await sessionOf(f);
      const res = await f('/notes/guard-first/', {
        method: 'POST',
        headers: { cookie, 'x-csrftoken': csrf, 'content-type': 'application/json' },
        body: '{"text":"after the guard"}',
      });
      assert.equal(res.status, 201);
      assert.deepEqual(await res.json(), { user: 'alice', body: { text: 'after the guard' } });
    });

    test('a guarded form POST may carry its CSRF token as csrfmiddlewaretoken, and the handler gets the fields', async () => {
      const { cookie, csrf } = await sessionOf(f);
      const res = await f('/notes/guard-first/', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrfmiddlewaretoken: csrf, text: 'form' }).toString(),
      });
      assert.equal(res.status, 201, await res.clone().text());
      const body = (await res.json()) as { body: Record<string, string> };
      assert.equal(body.body.text, 'form');
    });

    test('a session POST without the CSRF token is refused by the guard', async () => {
      const { cookie } = await sessionOf(f);
      const res = await f('/notes/guard-first/', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(res.status, 403);
      assert.equal(await res.text(), '{"detail":"CSRF Failed: CSRF token missing."}');
    });

    test('a view reads JSON, form and multipart bodies (DRF default parsers)', async () => {
      const { token } = (await (
        await f('/api-token-auth/', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'username=alice&password=Pw-12345678',
        })
      ).json()) as { token: string };
      const form = new FormData();
      form.set('a', '1');
      const res = await f('/dashboard/', {
        method: 'POST',
        headers: { authorization: `Token ${token}` },
        body: form,
      });
      assert.equal(res.status, 201);
      assert.equal(await res.text(), '{"got":{"a":"1"}}');
    });

    test("Django's APPEND_SLASH: /api/login answers 301 to /api/login/", async () => {
      const res = await f('/api/login?next=/x', { redirect: 'manual' });
      assert.equal(res.status, 301);
      assert.equal(res.headers.get('location'), '/api/login/?next=/x');
    });

    test('a body over 1 MiB → 413', async () => {
      const res = await f('/dashboard/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(1_100_000),
      });
      assert.equal(res.status, 413);
    });

    test('JSON.stringify of the request context carries no password hash and no cookie', async () => {
      const { cookie, csrf } = await sessionOf(f);
      const res = await f('/notes/guard-first/', {
        method: 'POST',
        headers: { cookie, 'x-csrftoken': csrf, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(res.status, 201);
      const user = await gh.accounts.getByUsername('alice');
      const text = JSON.stringify(user) + JSON.stringify(await gh.check(requestWith(cookie)));
      assert.doesNotMatch(text, /argon2|password|sessionid/);
    });
  });
}

function requestWith(cookie: string) {
  return {
    method: 'GET',
    url: '/',
    path: '/',
    query: new URLSearchParams(),
    headers: { cookie },
    cookies: new Map(cookie.split('; ').map((p) => [p.split('=')[0], [p.split('=')[1]]])),
    clientAddress: '127.0.0.1',
    secure: false,
    rawBody: null,
    parsedBody: undefined,
  };
}

describe('the client address', () => {
  test('hono on node: 20 failed logins from one client do not lock out a user logging in from another address', async () => {
    const strict = createGatehouse({
      stores: createMemoryStores(),
      secretKey: 'adapter-test-secret-0123456789-abcdefghijklmnop',
      hashers: new PasswordHashers(),
      loginRate: '100/min',
      loginAddressRate: '20/min',
    });
    await strict.accounts.create({ username: 'bob', password: 'Pw-12345678' });
    const hono = new Hono();
    honoAdapter.mount(hono, strict.urls({ include: ['jwt'] }));
    const login = (peer: string, password: string) =>
      hono.fetch(
        new Request('http://localhost/api/token/', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'bob', password }),
        }),
        { incoming: { socket: { remoteAddress: peer } } },
      );
    for (let i = 0; i < 20; i++) assert.equal((await login('198.51.100.7', 'wrong')).status, 401);
    assert.equal((await login('198.51.100.7', 'Pw-12345678')).status, 429);
    assert.equal((await login('203.0.113.9', 'Pw-12345678')).status, 200);
  });

  test('hono without any address is refused (500), never pooled into one bucket', async () => {
    const hono = new Hono();
    honoAdapter.mount(hono, gh.urls({ include: ['jwt'] }));
    const original = console.error;
    console.error = () => {};
    try {
      const res = await hono.fetch(
        new Request('http://localhost/api/token/', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"username":"alice","password":"x"}',
        }),
      );
      assert.equal(res.status, 500);
    } finally {
      console.error = original;
    }
  });

  test('hono reads no more than the limit of a huge body before answering 413', async () => {
    const hono = new Hono();
    honoAdapter.mount(hono, gh.urls({ include: ['jwt'] }));
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        if (pulled > 200 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await hono.fetch(
      new Request('http://localhost/api/token/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit),
      { incoming: { socket: { remoteAddress: '192.0.2.1' } } },
    );
    assert.equal(res.status, 413);
    assert.ok(pulled < 4 * 1024 * 1024, `read ${pulled} bytes of a 200 MiB body`);
  });
});
