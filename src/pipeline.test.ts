import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApiError,
  AuthenticationFailed,
  CsrfFailed,
  NotAuthenticated,
  StoreUnavailableError,
} from './errors.ts';
import { AllowAny, and, IsAdminUser, IsAuthenticated, or } from './permissions/index.ts';
import { checkObjectPermissions, type Policy, runPipeline } from './pipeline.ts';
import type { AuthRequest } from './request.ts';
import { responseBody, toResponse } from './response.ts';
import type { User } from './stores/types.ts';
import { fakeAuthenticator, makeRequest, makeUser } from './testing/index.ts';
import type { CsrfCheck, Permission, Throttle, ThrottleDecision } from './types.ts';

// ── fakes ────────────────────────────────────────────────────────────────

/** A fake authenticator whose credential (`ctx.auth`) is named after it. */
function fake(name: string, challenge: string | null, outcome?: User | null | Error, enforcesCsrf?: boolean) {
  return fakeAuthenticator({ name, challenge, outcome, auth: `${name}-credential`, enforcesCsrf });
}

// The challenges of DRF's classes (DRF-BEHAVIOR §2.1).
const basic = (outcome?: User | null | Error) => fake('basic', 'Basic realm="api"', outcome);
const token = (outcome?: User | null | Error) => fake('token', 'Token', outcome);
const jwt = (outcome?: User | null | Error) => fake('jwt', 'Bearer realm="api"', outcome);
const session = (outcome?: User | null | Error) => fake('session', null, outcome, true);
const remoteUser = (outcome?: User | null | Error) => fake('remote', null, outcome);

interface RecordingCsrf extends CsrfCheck {
  calls: { method: string; formToken: string | undefined }[];
}

function recordingCsrf(fail?: string): RecordingCsrf {
  return {
    calls: [],
    check(req, formToken) {
      this.calls.push({ method: req.method, formToken });
      if (fail) throw new CsrfFailed(fail);
    },
  };
}

interface FakeThrottle extends Throttle {
  calls: number;
}

function fakeThrottle(decision: ThrottleDecision): FakeThrottle {
  return {
    calls: 0,
    async allow() {
      this.calls++;
      return decision;
    },
  };
}

function policy(overrides: Partial<Policy>): Policy {
  return { authenticators: [], permissions: [], throttles: [], ...overrides };
}

/** Runs the pipeline and renders its refusal as the wire sees it (status, headers, body). */
async function refusal(req: AuthRequest, p: Policy) {
  try {
    await runPipeline(req, p);
  } catch (error) {
    const res = toResponse(error);
    return { status: res.status, headers: res.headers, body: responseBody(res).body };
  }
  assert.fail('the pipeline let the request through');
}

const NOT_PROVIDED = '{"detail":"Authentication credentials were not provided."}';
const NO_PERMISSION = '{"detail":"You do not have permission to perform this action."}';

// ── the 401/403 matrix (DRF-BEHAVIOR §2.1, verified against DRF) ─────────────

test('PERM-02: anonymous on IsAuthenticated with [Basic] → 401 with WWW-Authenticate: Basic realm="api"', async () => {
  const result = await refusal(
    makeRequest(),
    policy({ authenticators: [basic()], permissions: [IsAuthenticated] }),
  );
  assert.deepEqual(result, {
    status: 401,
    headers: { 'www-authenticate': 'Basic realm="api"' },
    body: NOT_PROVIDED,
  });
});

test('PERM-02: anonymous with [Token] → 401 with WWW-Authenticate: Token', async () => {
  const result = await refusal(
    makeRequest(),
    policy({ authenticators: [token()], permissions: [IsAuthenticated] }),
  );
  assert.deepEqual(result, { status: 401, headers: { 'www-authenticate': 'Token' }, body: NOT_PROVIDED });
});

test('PERM-02: anonymous with [JWT] → 401 with WWW-Authenticate: Bearer realm="api"', async () => {
  const result = await refusal(
    makeRequest(),
    policy({ authenticators: [jwt()], permissions: [IsAuthenticated] }),
  );
  assert.deepEqual(result, {
    status: 401,
    headers: { 'www-authenticate': 'Bearer realm="api"' },
    body: NOT_PROVIDED,
  });
});

test('PERM-02: anonymous with a challenge-less first authenticator → 403, same body, no WWW-Authenticate', async () => {
  for (const authenticators of [[session()], [remoteUser()], [session(), basic()], [session(), token()]]) {
    const result = await refusal(makeRequest(), policy({ authenticators, permissions: [IsAuthenticated] }));
    assert.deepEqual(
      result,
      { status: 403, headers: {}, body: NOT_PROVIDED },
      authenticators.map((a) => a.name).join(),
    );
  }
});

test('PERM-02: only the FIRST authenticator decides the challenge: [Token, Session] → 401 Token', async () => {
  const result = await refusal(
    makeRequest(),
    policy({ authenticators: [token(), session()], permissions: [IsAuthenticated] }),
  );
  assert.deepEqual(result, { status: 401, headers: { 'www-authenticate': 'Token' }, body: NOT_PROVIDED });
});

test('PERM-02: a view without authenticators → 403 with the permission message', async () => {
  const result = await refusal(makeRequest(), policy({ authenticators: [], permissions: [IsAuthenticated] }));
  assert.deepEqual(result, { status: 403, headers: {}, body: NO_PERMISSION });
});

test("PERM-02: without authenticators a custom permission's message is the 403 detail (NoAuthenticationClassesTests)", async () => {
  const dummy: Permission = { message: 'Dummy permission message', hasPermission: () => false };
  const result = await refusal(makeRequest(), policy({ authenticators: [], permissions: [dummy] }));
  assert.deepEqual(result, { status: 403, headers: {}, body: '{"detail":"Dummy permission message"}' });
});

test('PERM-02: an authenticated user without permission → 403 with no WWW-Authenticate', async () => {
  const result = await refusal(
    makeRequest(),
    policy({ authenticators: [token(makeUser())], permissions: [IsAdminUser] }),
  );
  assert.deepEqual(result, { status: 403, headers: {}, body: NO_PERMISSION });
});

test('PERM-02: an invalid token → 401, not 403', async () => {
  const result = await refusal(
    makeRequest(),
    policy({
      authenticators: [token(new AuthenticationFailed('Invalid token.'))],
      permissions: [IsAuthenticated],
    }),
  );
  assert.deepEqual(result, {
    status: 401,
    headers: { 'www-authenticate': 'Token' },
    body: '{"detail":"Invalid token."}',
  });
});

test("PERM-02: a failing second authenticator keeps its detail and takes the first one's challenge: [Token, Basic]", async () => {
  const result = await refusal(
    makeRequest(),
    policy({
      authenticators: [token(), basic(new AuthenticationFailed('Invalid username/password.'))],
      permissions: [IsAuthenticated],
    }),
  );
  assert.deepEqual(result, {
    status: 401,
    headers: { 'www-authenticate': 'Token' },
    body: '{"detail":"Invalid username/password."}',
  });
});

test('PERM-02: the same failure behind a challenge-less first authenticator is 403: [Session, Basic]', async () => {
  const result = await refusal(
    makeRequest(),
    policy({
      authenticators: [session(), basic(new AuthenticationFailed('Invalid username/password.'))],
      permissions: [IsAuthenticated],
    }),
  );
  assert.deepEqual(result, { status: 403, headers: {}, body: '{"detail":"Invalid username/password."}' });
});

test("an empty challenge counts as none (DRF's `if auth_header:`), so the answer is 403", async () => {
  const empty = fakeAuthenticator({ name: 'empty', challenge: '' });
  const result = await refusal(
    makeRequest(),
    policy({ authenticators: [empty], permissions: [IsAuthenticated] }),
  );
  assert.deepEqual(result, { status: 403, headers: {}, body: NOT_PROVIDED });
});

test('anonymous with authenticators gets "not provided", not the permission\'s own message', async () => {
  const picky: Permission = { message: 'Authors only.', hasPermission: (ctx) => ctx.user !== null };
  const result = await refusal(makeRequest(), policy({ authenticators: [token()], permissions: [picky] }));
  assert.deepEqual(result, { status: 401, headers: { 'www-authenticate': 'Token' }, body: NOT_PROVIDED });
});

// ── authentication order ────────────────────────────────────────────────

test('the first authenticator that answers wins and later ones are not asked', async () => {
  const alice = makeUser();
  const first = token(null);
  const second = session(alice);
  const third = basic(makeUser({ id: 2, username: 'bob' }));
  const ctx = await runPipeline(
    makeRequest(),
    policy({ authenticators: [first, second, third], permissions: [IsAuthenticated] }),
  );
  assert.equal(ctx.user, alice);
  assert.equal(ctx.auth, 'session-credential');
  assert.equal(ctx.authenticator, second);
  assert.deepEqual([first.calls, second.calls, third.calls], [1, 1, 0]);
});

test('nobody authenticated on AllowAny: the request goes through as anonymous', async () => {
  const ctx = await runPipeline(
    makeRequest(),
    policy({ authenticators: [token(), session()], permissions: [AllowAny] }),
  );
  assert.equal(ctx.user, null);
  assert.equal(ctx.auth, null);
  assert.equal(ctx.authenticator, null);
});

test('an authenticator that throws stops the chain even on AllowAny (IncorrectCredentialsTests)', async () => {
  const failing = remoteUser(new AuthenticationFailed('Bad credentials'));
  const later = token(makeUser());
  const result = await refusal(
    makeRequest(),
    policy({ authenticators: [failing, later], permissions: [AllowAny] }),
  );
  assert.deepEqual(result, { status: 403, headers: {}, body: '{"detail":"Bad credentials"}' });
  assert.equal(later.calls, 0);
});

test('an authenticator that throws stops the chain with no permissions at all', async () => {
  const result = await refusal(
    makeRequest(),
    policy({ authenticators: [token(new AuthenticationFailed('Invalid token.'))], permissions: [] }),
  );
  assert.equal(result.status, 401);
});

test('a non-authentication error from an authenticator (a store outage) is not reshaped', async () => {
  const broken = token(new Error('ECONNRESET'));
  await assert.rejects(
    runPipeline(makeRequest(), policy({ authenticators: [broken], permissions: [AllowAny] })),
    (error: unknown) =>
      error instanceof Error && !(error instanceof ApiError) && error.message === 'ECONNRESET',
  );
});

test('a store outage inside an authenticator is a 503, even on AllowAny: it never authenticates', async () => {
  const outage = token(new StoreUnavailableError('redis: connection refused'));
  const later = session(makeUser());
  const result = await refusal(
    makeRequest(),
    policy({ authenticators: [outage, later], permissions: [AllowAny] }),
  );
  assert.deepEqual(result, {
    status: 503,
    headers: {},
    body: '{"detail":"Service temporarily unavailable."}',
  });
  assert.equal(later.calls, 0);
});

test('a store outage inside a throttle is a 503, not a free pass', async () => {
  const broken: Throttle = {
    async allow() {
      throw new StoreUnavailableError('redis: timeout');
    },
  };
  const result = await refusal(makeRequest(), policy({ permissions: [AllowAny], throttles: [broken] }));
  assert.equal(result.status, 503);
});

// ── permissions ─────────────────────────────────────────────────────────

test('the first refusing permission decides, with its message', async () => {
  const seen: string[] = [];
  /** A permission that records being asked, then answers. */
  const asking = (name: string, answer: boolean, message?: string): Permission => ({
    message,
    hasPermission() {
      seen.push(name);
      return answer;
    },
  });
  const first = asking('first', true);
  const second = asking('second', false, 'Only authors may edit.');
  const third = asking('third', false, 'never asked');
  const result = await refusal(
    makeRequest('PUT'),
    policy({ authenticators: [token(makeUser())], permissions: [first, second, third] }),
  );
  assert.deepEqual(result, { status: 403, headers: {}, body: '{"detail":"Only authors may edit."}' });
  assert.deepEqual(seen, ['first', 'second']);
});

test('a composed permission carries no message: its refusal uses the default text', async () => {
  const custom: Permission = { message: 'Custom message', hasPermission: () => false };
  const result = await refusal(
    makeRequest(),
    policy({ authenticators: [token(makeUser())], permissions: [or(custom, IsAdminUser)] }),
  );
  assert.deepEqual(result, { status: 403, headers: {}, body: NO_PERMISSION });
});

test('async permissions are awaited', async () => {
  const slow: Permission = { message: 'Later.', hasPermission: async () => false };
  const result = await refusal(makeRequest(), policy({ authenticators: [], permissions: [slow] }));
  assert.equal(result.body, '{"detail":"Later."}');
});

test('IsAuthenticated & X for an anonymous user is a normal "not authenticated" failure', async () => {
  const result = await refusal(
    makeRequest(),
    policy({ authenticators: [basic()], permissions: [and(IsAuthenticated, IsAdminUser)] }),
  );
  assert.deepEqual(result, {
    status: 401,
    headers: { 'www-authenticate': 'Basic realm="api"' },
    body: NOT_PROVIDED,
  });
});

test("object permissions: the failing permission's message is the 403 detail", async () => {
  const isAuthor: Permission = {
    message: 'You are not the author.',
    hasPermission: () => true,
    hasObjectPermission: (ctx, obj) => (obj as { authorId: number }).authorId === ctx.user?.id,
  };
  const p = policy({ authenticators: [token(makeUser())], permissions: [IsAuthenticated, isAuthor] });
  const ctx = await runPipeline(makeRequest('PUT'), p);
  await checkObjectPermissions(ctx, p, { authorId: 1 });
  await assert.rejects(checkObjectPermissions(ctx, p, { authorId: 2 }), (error: unknown) => {
    const res = toResponse(error);
    return res.status === 403 && responseBody(res).body === '{"detail":"You are not the author."}';
  });
});

test('object permissions: anonymous on a view with authenticators → NotAuthenticated', async () => {
  const ownerOnly: Permission = { hasPermission: () => true, hasObjectPermission: () => false };
  const p = policy({ authenticators: [token()], permissions: [ownerOnly] });
  const ctx = await runPipeline(makeRequest(), p);
  await assert.rejects(checkObjectPermissions(ctx, p, {}), NotAuthenticated);
});

test('object permissions: a permission without hasObjectPermission grants the object', async () => {
  const viewOnly: Permission = { hasPermission: () => true };
  const p = policy({ authenticators: [token(makeUser())], permissions: [viewOnly] });
  const ctx = await runPipeline(makeRequest(), p);
  await checkObjectPermissions(ctx, p, {});
});

// ── CSRF ────────────────────────────────────────────────────────────────

test('CSRF is checked for an unsafe request that a session authenticated', async () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    const csrf = recordingCsrf();
    await runPipeline(
      makeRequest(method),
      policy({ authenticators: [session(makeUser())], permissions: [AllowAny], csrf }),
    );
    assert.equal(csrf.calls.length, 1, method);
  }
});

test('CSRF is not checked for GET, HEAD, OPTIONS or TRACE', async () => {
  for (const method of ['GET', 'HEAD', 'OPTIONS', 'TRACE']) {
    const csrf = recordingCsrf('should not run');
    await runPipeline(
      makeRequest(method),
      policy({ authenticators: [session(makeUser())], permissions: [AllowAny], csrf }),
    );
    assert.equal(csrf.calls.length, 0, method);
  }
});

test('CSRF is not checked for a token-authenticated POST (only enforcesCsrf authenticators)', async () => {
  const csrf = recordingCsrf('should not run');
  await runPipeline(
    makeRequest('POST'),
    policy({ authenticators: [session(null), token(makeUser())], permissions: [IsAuthenticated], csrf }),
  );
  assert.equal(csrf.calls.length, 0);
});

test('CSRF is not checked for an anonymous POST on an ordinary view', async () => {
  const csrf = recordingCsrf('should not run');
  await runPipeline(
    makeRequest('POST'),
    policy({ authenticators: [session(null)], permissions: [AllowAny], csrf }),
  );
  assert.equal(csrf.calls.length, 0);
});

test('a CSRF failure is 403 "CSRF Failed: …" and never a challenge, even behind a challenging first authenticator', async () => {
  const csrf = recordingCsrf('CSRF token missing.');
  const result = await refusal(
    makeRequest('POST'),
    policy({ authenticators: [token(), session(makeUser())], permissions: [AllowAny], csrf }),
  );
  assert.deepEqual(result, {
    status: 403,
    headers: {},
    body: '{"detail":"CSRF Failed: CSRF token missing."}',
  });
});

test('a CSRF failure stops the request before permissions and throttles', async () => {
  const csrf = recordingCsrf('CSRF token missing.');
  let asked = false;
  const watch: Permission = {
    hasPermission() {
      asked = true;
      return true;
    },
  };
  const throttle = fakeThrottle({ allowed: true });
  await refusal(
    makeRequest('POST'),
    policy({ authenticators: [session(makeUser())], permissions: [watch], throttles: [throttle], csrf }),
  );
  assert.equal(asked, false);
  assert.equal(throttle.calls, 0);
});

test("the form's csrfmiddlewaretoken is handed to the CSRF check", async () => {
  const csrf = recordingCsrf();
  const req = makeRequest(
    'POST',
    { 'content-type': 'application/x-www-form-urlencoded' },
    'title=x&csrfmiddlewaretoken=abcDEF123',
  );
  await runPipeline(req, policy({ authenticators: [session(makeUser())], permissions: [AllowAny], csrf }));
  assert.deepEqual(csrf.calls, [{ method: 'POST', formToken: 'abcDEF123' }]);
});

test('a JSON body has no form token (as Django, request.POST is empty then)', async () => {
  const csrf = recordingCsrf();
  const req = makeRequest('POST', { 'content-type': 'application/json' }, '{"csrfmiddlewaretoken":"abc"}');
  await runPipeline(req, policy({ authenticators: [session(makeUser())], permissions: [AllowAny], csrf }));
  assert.deepEqual(csrf.calls, [{ method: 'POST', formToken: undefined }]);
});

test('only POST bodies are read for a form token, as Django only reads request.POST', async () => {
  const csrf = recordingCsrf();
  const req = makeRequest(
    'PUT',
    { 'content-type': 'application/x-www-form-urlencoded' },
    'csrfmiddlewaretoken=abc',
  );
  await runPipeline(req, policy({ authenticators: [session(makeUser())], permissions: [AllowAny], csrf }));
  assert.deepEqual(csrf.calls, [{ method: 'PUT', formToken: undefined }]);
});

test('alwaysCheckCsrf runs before authentication: a failure means no authenticator is asked', async () => {
  const csrf = recordingCsrf('CSRF cookie not set.');
  const auth = session(makeUser());
  const result = await refusal(
    makeRequest('POST'),
    policy({ authenticators: [auth], permissions: [AllowAny], csrf, alwaysCheckCsrf: true }),
  );
  assert.deepEqual(result, {
    status: 403,
    headers: {},
    body: '{"detail":"CSRF Failed: CSRF cookie not set."}',
  });
  assert.equal(auth.calls, 0);
});

test('alwaysCheckCsrf checks anonymous unsafe requests too (login CSRF), once', async () => {
  const csrf = recordingCsrf();
  await runPipeline(
    makeRequest('POST'),
    policy({ authenticators: [session(null)], permissions: [AllowAny], csrf, alwaysCheckCsrf: true }),
  );
  assert.equal(csrf.calls.length, 1);
  const again = recordingCsrf();
  await runPipeline(
    makeRequest('POST'),
    policy({
      authenticators: [session(makeUser())],
      permissions: [AllowAny],
      csrf: again,
      alwaysCheckCsrf: true,
    }),
  );
  assert.equal(again.calls.length, 1, 'not a second time when the session authenticates');
});

test('alwaysCheckCsrf still skips safe methods', async () => {
  const csrf = recordingCsrf('should not run');
  await runPipeline(
    makeRequest('GET'),
    policy({ authenticators: [], permissions: [AllowAny], csrf, alwaysCheckCsrf: true }),
  );
  assert.equal(csrf.calls.length, 0);
});

// ── throttles ───────────────────────────────────────────────────────────

test('every throttle is consulted even after one refuses, and the longest wait wins', async () => {
  const throttles = [
    fakeThrottle({ allowed: false, wait: 1 }),
    fakeThrottle({ allowed: true }),
    fakeThrottle({ allowed: false, wait: 59 }),
    fakeThrottle({ allowed: false, wait: 3 }),
  ];
  const result = await refusal(makeRequest(), policy({ permissions: [AllowAny], throttles }));
  assert.deepEqual(result, {
    status: 429,
    headers: { 'retry-after': '59' },
    body: '{"detail":"Request was throttled. Expected available in 59 seconds."}',
  });
  assert.deepEqual(
    throttles.map((t) => t.calls),
    [1, 1, 1, 1],
  );
});

test('unknown waits are ignored when another throttle knows its wait', async () => {
  const throttles = [fakeThrottle({ allowed: false, wait: null }), fakeThrottle({ allowed: false, wait: 7 })];
  const result = await refusal(makeRequest(), policy({ permissions: [AllowAny], throttles }));
  assert.deepEqual(result.headers, { 'retry-after': '7' });
});

test('when no refusing throttle knows its wait: 429 "Request was throttled." without Retry-After', async () => {
  const throttles = [
    fakeThrottle({ allowed: false, wait: null }),
    fakeThrottle({ allowed: false, wait: null }),
  ];
  const result = await refusal(makeRequest(), policy({ permissions: [AllowAny], throttles }));
  assert.deepEqual(result, { status: 429, headers: {}, body: '{"detail":"Request was throttled."}' });
});

test('throttles run after permissions: a 401 wins over a 429 and the throttle is not consulted', async () => {
  const throttle = fakeThrottle({ allowed: false, wait: 60 });
  const result = await refusal(
    makeRequest(),
    policy({ authenticators: [token()], permissions: [IsAuthenticated], throttles: [throttle] }),
  );
  assert.equal(result.status, 401);
  assert.equal(throttle.calls, 0);
});

test('throttles see the authenticated user', async () => {
  const alice = makeUser();
  let seen: User | null | undefined;
  const throttle: Throttle = {
    async allow(ctx) {
      seen = ctx.user;
      return { allowed: true };
    },
  };
  await runPipeline(
    makeRequest(),
    policy({ authenticators: [token(alice)], permissions: [AllowAny], throttles: [throttle] }),
  );
  assert.equal(seen, alice);
});
