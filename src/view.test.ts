import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AllowAny, IsAuthenticated } from './permissions/index.ts';
import type { Policy } from './pipeline.ts';
import { type ApiResponse, jsonResponse, responseBody } from './response.ts';
import type { User } from './stores/types.ts';
import { fakeAuthenticator, makeRequest, makeUser } from './testing/index.ts';
import type { Authenticator, Permission } from './types.ts';
import { createView, type Handler } from './view.ts';

/** A fake authenticator with this challenge, answering `user` (null: "not my scheme"). */
const authenticator = (challenge: string | null, user: User | null = null) =>
  fakeAuthenticator({ challenge, outcome: user });

const defaults: Policy = { authenticators: [], permissions: [AllowAny], throttles: [] };
const ok: Handler = () => jsonResponse(200, { ok: true });

/** A GET-only view behind IsAuthenticated, with `auth` its one authenticator. */
const guarded = (auth: Authenticator) =>
  createView(
    { name: 'Things', authenticators: [auth], permissions: [IsAuthenticated], handlers: { GET: ok } },
    { defaults },
  );

function wire(res: ApiResponse) {
  return { status: res.status, allow: res.headers.allow, body: responseBody(res).body };
}

test("405 names the method and lists Allow in Django's order", async () => {
  const view = createView({ name: 'Things', handlers: { DELETE: ok, GET: ok, POST: ok } }, { defaults });
  const res = await view.handle(makeRequest('PATCH'));
  assert.deepEqual(wire(res), {
    status: 405,
    allow: 'GET, POST, DELETE, HEAD, OPTIONS',
    body: '{"detail":"Method \\"PATCH\\" not allowed."}',
  });
});

test('a view with every handler allows GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS', () => {
  const view = createView(
    { name: 'All', handlers: { PATCH: ok, PUT: ok, DELETE: ok, POST: ok, GET: ok } },
    { defaults },
  );
  assert.deepEqual(view.allow, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
});

test('HEAD is allowed only where GET is; OPTIONS always', () => {
  const view = createView({ name: 'Login', handlers: { POST: ok } }, { defaults });
  assert.deepEqual(view.allow, ['POST', 'OPTIONS']);
});

test('anonymous PATCH on an IsAuthenticated view is 401, not 405: 405 comes after authentication and permissions', async () => {
  const view = guarded(authenticator('Token'));
  const res = await view.handle(makeRequest('PATCH'));
  assert.equal(res.status, 401);
  assert.equal(res.headers['www-authenticate'], 'Token');
  assert.equal(responseBody(res).body, '{"detail":"Authentication credentials were not provided."}');
});

test('anonymous PATCH behind a session-first view is 403, not 405', async () => {
  const view = guarded(authenticator(null));
  const res = await view.handle(makeRequest('PATCH'));
  assert.equal(res.status, 403);
  assert.equal(res.headers['www-authenticate'], undefined);
});

test('an authenticated PATCH on a view without PATCH is 405', async () => {
  const view = guarded(authenticator('Token', makeUser()));
  assert.equal((await view.handle(makeRequest('PATCH'))).status, 405);
});

test('an unknown method is 405 too', async () => {
  const view = createView({ name: 'Things', handlers: { GET: ok } }, { defaults });
  const res = await view.handle(makeRequest('BREW'));
  assert.deepEqual(wire(res), {
    status: 405,
    allow: 'GET, HEAD, OPTIONS',
    body: '{"detail":"Method \\"BREW\\" not allowed."}',
  });
});

test('every response carries Allow, successes and errors alike, as DRF', async () => {
  const view = guarded(authenticator('Token'));
  assert.equal((await view.handle(makeRequest('GET'))).headers.allow, 'GET, HEAD, OPTIONS');
  const open = createView({ name: 'Open', handlers: { GET: ok } }, { defaults });
  assert.equal((await open.handle(makeRequest('GET'))).headers.allow, 'GET, HEAD, OPTIONS');
});

test("OPTIONS answers DRF's SimpleMetadata", async () => {
  const view = createView(
    { name: 'Article List', parsers: ['json', 'form', 'multipart'], handlers: { GET: ok, POST: ok } },
    { defaults },
  );
  const res = await view.handle(makeRequest('OPTIONS'));
  assert.equal(res.status, 200);
  assert.equal(
    responseBody(res).body,
    '{"name":"Article List","description":"","renders":["application/json","text/html"],' +
      '"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"]}',
  );
  assert.equal(res.headers.allow, 'GET, POST, HEAD, OPTIONS');
});

test("a view parses DRF's default parsers (JSON, form, multipart); a view may narrow them", async () => {
  const echo: Handler = (ctx) => ({ status: 200, headers: {}, cookies: [], data: ctx.data() });
  const view = createView({ name: 'Article List', handlers: { POST: echo } }, { defaults });
  const form = makeRequest('POST', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1');
  assert.deepEqual({ ...((await view.handle(form)).data as object) }, { a: '1' });
  const narrow = createView(
    { name: 'Article List', parsers: ['json'], handlers: { POST: echo } },
    { defaults },
  );
  assert.equal((await narrow.handle(form)).status, 415);
});

test('OPTIONS metadata lists only the parsers the view accepts', async () => {
  const view = createView({ name: 'Token', parsers: ['json'], handlers: { POST: ok } }, { defaults });
  const res = await view.handle(makeRequest('OPTIONS'));
  assert.deepEqual((res.data as { parses: string[] }).parses, ['application/json']);
});

test('OPTIONS runs authentication and permissions first: anonymous on IsAuthenticated → 401', async () => {
  const view = guarded(authenticator('Basic realm="api"'));
  const res = await view.handle(makeRequest('OPTIONS'));
  assert.equal(res.status, 401);
  assert.equal(res.headers['www-authenticate'], 'Basic realm="api"');
});

test('HEAD runs the GET handler', async () => {
  let seenMethod = '';
  const view = createView(
    {
      name: 'Things',
      handlers: {
        GET: (ctx) => {
          seenMethod = ctx.req.method;
          return jsonResponse(200, { hello: 'world' });
        },
      },
    },
    { defaults },
  );
  const res = await view.handle(makeRequest('HEAD'));
  assert.equal(res.status, 200);
  assert.equal(seenMethod, 'HEAD');
  assert.deepEqual(res.data, { hello: 'world' });
});

test('HEAD on a view without GET is 405', async () => {
  const view = createView({ name: 'Login', handlers: { POST: ok } }, { defaults });
  const res = await view.handle(makeRequest('HEAD'));
  assert.deepEqual(wire(res), {
    status: 405,
    allow: 'POST, OPTIONS',
    body: '{"detail":"Method \\"HEAD\\" not allowed."}',
  });
});

test('the body is parsed lazily: a handler that never reads it never sees a 415', async () => {
  const view = createView({ name: 'Things', handlers: { POST: ok } }, { defaults });
  const res = await view.handle(makeRequest('POST', { 'content-type': 'text/plain' }, 'hello'));
  assert.equal(res.status, 200);
});

test("reading an unsupported body gives DRF's 415", async () => {
  const view = createView(
    { name: 'Things', handlers: { POST: (ctx) => jsonResponse(200, ctx.data()) } },
    { defaults },
  );
  const res = await view.handle(makeRequest('POST', { 'content-type': 'text/plain' }, 'hello'));
  assert.deepEqual(wire(res), {
    status: 415,
    allow: 'POST, OPTIONS',
    body: '{"detail":"Unsupported media type \\"text/plain\\" in request."}',
  });
});

test("data() parses once and respects the view's parsers", async () => {
  let sameValue = false;
  const view = createView(
    {
      name: 'Things',
      parsers: ['json'],
      handlers: {
        POST: (ctx) => {
          const first = ctx.data();
          sameValue = first === ctx.data();
          return jsonResponse(200, ctx.data());
        },
      },
    },
    { defaults },
  );
  const json = await view.handle(makeRequest('POST', { 'content-type': 'application/json' }, '{"a":[1]}'));
  assert.equal(responseBody(json).body, '{"a":[1]}');
  assert.ok(sameValue, 'the second call returns the value parsed by the first');
  const form = await view.handle(
    makeRequest('POST', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1'),
  );
  assert.equal(form.status, 415);
});

test('bad JSON read by a handler is 400 with the "JSON parse error - " prefix', async () => {
  const view = createView(
    { name: 'Things', handlers: { POST: (ctx) => jsonResponse(200, ctx.data()) } },
    { defaults },
  );
  const res = await view.handle(makeRequest('POST', { 'content-type': 'application/json' }, '{'));
  assert.equal(res.status, 400);
  assert.match(responseBody(res).body ?? '', /^\{"detail":"JSON parse error - /);
});

test('a handler that throws a programming error gives a bare 500', async () => {
  const view = createView(
    {
      name: 'Things',
      handlers: {
        GET: () => {
          throw new TypeError('secret internals at /srv/app.ts:1');
        },
      },
    },
    { defaults },
  );
  const res = await view.handle(makeRequest('GET'));
  assert.deepEqual(wire(res), {
    status: 500,
    allow: 'GET, HEAD, OPTIONS',
    body: '{"detail":"A server error occurred."}',
  });
});

test("ctx.checkObject applies the 401/403 rule with the failing permission's message", async () => {
  const isAuthor: Permission = {
    message: 'You are not the author.',
    hasPermission: () => true,
    hasObjectPermission: (ctx, obj) => (obj as { authorId: number }).authorId === ctx.user?.id,
  };
  const handlers = {
    PUT: async (ctx: Parameters<Handler>[0]) => {
      await ctx.checkObject({ authorId: 2 });
      return jsonResponse(200, {});
    },
  };
  const signedIn = createView(
    {
      name: 'Article',
      authenticators: [authenticator('Token', makeUser())],
      permissions: [isAuthor],
      handlers,
    },
    { defaults },
  );
  const res = await signedIn.handle(makeRequest('PUT'));
  assert.equal(res.status, 403);
  assert.equal(responseBody(res).body, '{"detail":"You are not the author."}');

  const anonymous = createView(
    { name: 'Article', authenticators: [authenticator('Token')], permissions: [isAuthor], handlers },
    { defaults },
  );
  const anon = await anonymous.handle(makeRequest('PUT'));
  assert.equal(anon.status, 401);
  assert.equal(anon.headers['www-authenticate'], 'Token');
});

test('route params reach the handler', async () => {
  const view = createView(
    { name: 'Thing', handlers: { GET: (ctx) => jsonResponse(200, ctx.params) } },
    { defaults },
  );
  assert.deepEqual((await view.handle(makeRequest('GET'), { id: '3' })).data, { id: '3' });
});

test("the view's own headers are added to every response without overriding the handler's", async () => {
  const view = createView(
    {
      name: 'Token',
      headers: { 'cache-control': 'no-store', 'x-frame-options': 'DENY' },
      handlers: { GET: () => jsonResponse(200, {}, { 'cache-control': 'private' }) },
    },
    { defaults },
  );
  const res = await view.handle(makeRequest('GET'));
  assert.equal(res.headers['cache-control'], 'private');
  assert.equal(res.headers['x-frame-options'], 'DENY');
  const error = await view.handle(makeRequest('DELETE'));
  assert.equal(error.headers['cache-control'], 'no-store');
});

test('the view falls back to the default policy for what it does not set', async () => {
  const view = createView(
    { name: 'Things', handlers: { GET: ok } },
    { defaults: { authenticators: [authenticator('Token')], permissions: [IsAuthenticated], throttles: [] } },
  );
  assert.equal((await view.handle(makeRequest('GET'))).status, 401);
});
