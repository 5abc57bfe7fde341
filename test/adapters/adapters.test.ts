import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import {
  createGatehouse,
  createMemoryStores,
  IsAuthenticated,
  jsonResponse,
  PasswordHashers,
} from '#gatehouse';
import * as expressAdapter from '../../src/adapters/express.ts';
import * as fastifyAdapter from '../../src/adapters/fastify.ts';
import * as honoAdapter from '../../src/adapters/hono.ts';
import { nodeHandler } from '../../src/adapters/node-http.ts';

// One Gatehouse, four frameworks: the adapters only translate, so every case must answer alike.
const gh = createGatehouse({
  stores: createMemoryStores(),
  secretKey: 'adapter-test-secret-0123456789-abcdefghijklmnop',
  hashers: new PasswordHashers(),
});
const dashboard = gh.view({
  name: 'Dashboard',
  permissions: [IsAuthenticated],
  handlers: {
    GET: (ctx) => jsonResponse(200, { message: `Hello ${ctx.user!.username}` }),
    POST: (ctx) => jsonResponse(201, { got: ctx.data() }),
  },
});
const login = gh.view({
  name: 'Login',
  alwaysCheckCsrf: true,
  handlers: {
    POST: async (ctx) => {
      const user = (await gh.accounts.getByUsername('alice'))!;
      const { cookies } = await gh.login(ctx.req, user);
      return { status: 200, headers: {}, cookies, data: { ok: true } };
    },
  },
});
const check = (req: Parameters<typeof gh.check>[0]) => gh.check(req, { permissions: [IsAuthenticated] });

type Fetcher = (path: string, init?: RequestInit) => Promise<Response>;
const targets: Record<string, { fetch: Fetcher; close(): Promise<void> }> = {};

function listen(server: Server): Promise<Fetcher> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve((path, init) => fetch(`http://127.0.0.1:${port}${path}`, init));
    }),
  );
}

before(async () => {
  await gh.accounts.create({ username: 'alice', password: 'Pw-12345678' });

  const nodeServer = createServer(
    nodeHandler(async (req) => {
      if (req.path === '/login/') return login.handle(req);
      if (req.path === '/protected/') {
        const ctx = await check(req);
        return jsonResponse(200, { user: ctx.user!.username });
      }
      return dashboard.handle(req);
    }),
  );
  targets['node:http'] = {
    fetch: await listen(nodeServer),
    close: () => new Promise((r) => nodeServer.close(() => r())),
  };

  const app = express();
  app.all('/dashboard/', expressAdapter.serve(dashboard));
  app.all('/login/', expressAdapter.serve(login));
  app.get('/protected/', expressAdapter.protect(check), (req, res) => {
    res.json({ user: req.gatehouse!.user!.username });
  });
  const expressServer = createServer(app);
  targets.express = {
    fetch: await listen(expressServer),
    close: () => new Promise((r) => expressServer.close(() => r())),
  };

  const fastify = Fastify();
  fastifyAdapter.useGatehouse(fastify);
  fastifyAdapter.mountView(fastify, '/dashboard/', dashboard);
  fastifyAdapter.mountView(fastify, '/login/', login);
  fastify.get('/protected/', { preHandler: fastifyAdapter.protect(check) }, async (request) => ({
    user: (request as unknown as { gatehouse: Awaited<ReturnType<typeof check>> }).gatehouse.user!.username,
  }));
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const fastifyPort = (fastify.server.address() as AddressInfo).port;
  targets.fastify = {
    fetch: (p, i) => fetch(`http://127.0.0.1:${fastifyPort}${p}`, i),
    close: () => fastify.close(),
  };

  const hono = new Hono();
  hono.all('/dashboard/', honoAdapter.serve(dashboard, { peer: () => '127.0.0.1' }));
  hono.all('/login/', honoAdapter.serve(login, { peer: () => '127.0.0.1' }));
  hono.get('/protected/', honoAdapter.protect(check, { peer: () => '127.0.0.1' }), (c) =>
    c.json({ user: (c.get('gatehouse' as never) as Awaited<ReturnType<typeof check>>).user!.username }),
  );
  targets.hono = {
    fetch: (p, i) => Promise.resolve(hono.fetch(new Request(`http://localhost${p}`, i))),
    close: async () => {},
  };
});

after(async () => {
  for (const target of Object.values(targets)) await target.close();
});

for (const name of ['node:http', 'express', 'fastify', 'hono']) {
  describe(`the ${name} adapter`, () => {
    const f: Fetcher = (path, init) => targets[name].fetch(path, init);

    test("anonymous → 403 with DRF's body and application/json", async () => {
      const res = await f('/dashboard/');
      assert.equal(res.status, 403);
      assert.equal(await res.text(), '{"detail":"Authentication credentials were not provided."}');
      assert.equal(res.headers.get('content-type'), 'application/json');
    });

    test('a bad token → 403 "Invalid token." (session-first)', async () => {
      const res = await f('/protected/', { headers: { authorization: 'Token nope' } });
      assert.equal(res.status, 403);
      assert.equal(await res.text(), '{"detail":"Invalid token."}');
    });

    test('a token authenticates the view and the middleware', async () => {
      const { key } = await gh.tokens.issue((await gh.accounts.getByUsername('alice'))!);
      const headers = { authorization: `Token ${key}` };
      assert.equal(await (await f('/dashboard/', { headers })).text(), '{"message":"Hello alice"}');
      assert.deepEqual(await (await f('/protected/', { headers })).json(), { user: 'alice' });
      const posted = await f('/dashboard/', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      assert.equal(posted.status, 201);
      assert.equal(await posted.text(), '{"got":{"a":1}}');
    });

    test('login sets two cookies; the session then needs CSRF on POST', async () => {
      const csrf = gh.csrfFor({ cookies: new Map(), headers: {} } as never);
      const cookie = `csrftoken=${csrf.secret}`;
      const res = await f('/login/', {
        method: 'POST',
        headers: { cookie, 'x-csrftoken': csrf.token, host: 'localhost' },
      });
      assert.equal(res.status, 200);
      const setCookies = res.headers.getSetCookie();
      assert.equal(setCookies.length, 2);
      const session = /sessionid=([a-z0-9]{32})/.exec(setCookies[0])![1];
      const rotated = /csrftoken=([A-Za-z0-9]{32})/.exec(setCookies[1])![1];
      const jar = `sessionid=${session}; csrftoken=${rotated}`;
      assert.equal((await f('/dashboard/', { headers: { cookie: jar } })).status, 200);
      const denied = await f('/dashboard/', {
        method: 'POST',
        headers: { cookie: jar, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(denied.status, 403);
      assert.equal(await denied.text(), '{"detail":"CSRF Failed: CSRF token missing."}');
      const ok = await f('/dashboard/', {
        method: 'POST',
        headers: { cookie: jar, 'x-csrftoken': rotated, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(ok.status, 201);
    });

    test('a body over 1 MiB → 413', async () => {
      const res = await f('/dashboard/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(1_100_000),
      });
      assert.equal(res.status, 413);
    });
  });
}
