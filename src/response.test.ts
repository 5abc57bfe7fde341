import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AuthenticationFailed,
  MethodNotAllowed,
  NotAuthenticated,
  StoreUnavailableError,
  Throttled,
  ValidationError,
} from './errors.ts';
import { jsonResponse, renderJson, responseBody, toResponse } from './response.ts';

/** The wire form of an error: status, headers and the exact body bytes. */
function wire(error: unknown) {
  const res = toResponse(error);
  const { body, contentType } = responseBody(res);
  return { status: res.status, headers: res.headers, body, contentType };
}

test('an ApiError renders as compact JSON with application/json and no charset', () => {
  assert.deepEqual(wire(new NotAuthenticated()), {
    status: 401,
    headers: {},
    body: '{"detail":"Authentication credentials were not provided."}',
    contentType: 'application/json',
  });
});

test("the error code is not serialized, as DRF's default exception handler", () => {
  const { body } = wire(new AuthenticationFailed('Invalid token.'));
  assert.equal(body, '{"detail":"Invalid token."}');
});

test('Throttled renders Retry-After and the sentence', () => {
  assert.deepEqual(wire(new Throttled(60)), {
    status: 429,
    headers: { 'retry-after': '60' },
    body: '{"detail":"Request was throttled. Expected available in 60 seconds."}',
    contentType: 'application/json',
  });
  assert.deepEqual(wire(new Throttled(null)), {
    status: 429,
    headers: {},
    body: '{"detail":"Request was throttled."}',
    contentType: 'application/json',
  });
});

test('MethodNotAllowed renders its Allow header', () => {
  const { status, headers, body } = wire(new MethodNotAllowed('PATCH', ['GET', 'HEAD', 'OPTIONS']));
  assert.equal(status, 405);
  assert.equal(headers.allow, 'GET, HEAD, OPTIONS');
  assert.equal(body, '{"detail":"Method \\"PATCH\\" not allowed."}');
});

test('validation errors render the field dict, in declaration order', () => {
  const { status, body } = wire(
    new ValidationError({ username: ['This field is required.'], password: ['This field is required.'] }),
  );
  assert.equal(status, 400);
  assert.equal(body, '{"username":["This field is required."],"password":["This field is required."]}');
});

test('a store outage is a 503, never an authentication decision', () => {
  const outage = new StoreUnavailableError(
    'SQLITE_BUSY: database is locked at /var/lib/gatehouse/db.sqlite3',
  );
  assert.deepEqual(wire(outage), {
    status: 503,
    headers: {},
    body: '{"detail":"Service temporarily unavailable."}',
    contentType: 'application/json',
  });
});

test('an unknown error is a bare 500 that reveals nothing of the error', () => {
  const bug = new TypeError(
    "Cannot read properties of undefined (reading 'password') at /srv/app/src/x.ts:12",
  );
  const { status, headers, body } = wire(bug);
  assert.equal(status, 500);
  assert.deepEqual(headers, {});
  assert.equal(body, '{"detail":"A server error occurred."}');
});

test('non-Error throwables are also a bare 500', () => {
  for (const thrown of ['boom', 42, null, undefined, { status: 200 }]) {
    const { status, body } = wire(thrown);
    assert.equal(status, 500);
    assert.equal(body, '{"detail":"A server error occurred."}');
  }
});

test('toResponse copies the headers, so responses never share one mutable object', () => {
  const error = new Throttled(5);
  const res = toResponse(error);
  res.headers.vary = 'Accept';
  assert.deepEqual(error.headers, { 'retry-after': '5' });
});

test('JSON is compact, keeps insertion order and emits non-ASCII as raw UTF-8', () => {
  assert.equal(renderJson({ user: 'walterwhité', auth: null }), '{"user":"walterwhité","auth":null}');
  assert.equal(renderJson({ refresh: 'r', access: 'a' }), '{"refresh":"r","access":"a"}');
  assert.equal(
    renderJson({ detail: 'x', code: 'y', messages: [] }),
    '{"detail":"x","code":"y","messages":[]}',
  );
});

test("JSON escapes U+2028 and U+2029 as DRF's JSONRenderer does (a strict JavaScript subset)", () => {
  assert.equal(renderJson({ text: 'a\u2028b\u2029c' }), '{"text":"a\\u2028b\\u2029c"}');
});

test('a 204 has neither body nor Content-Type', () => {
  assert.deepEqual(responseBody(jsonResponse(204, { ignored: true })), {
    body: undefined,
    contentType: undefined,
  });
  assert.deepEqual(responseBody(jsonResponse(204)), { body: undefined, contentType: undefined });
});

test('a ready text body wins over data and keeps its own Content-Type', () => {
  const res = {
    ...jsonResponse(200, { a: 1 }),
    text: '<p>hi</p>',
    headers: { 'content-type': 'text/html; charset=utf-8' },
  };
  assert.deepEqual(responseBody(res), { body: '<p>hi</p>', contentType: 'text/html; charset=utf-8' });
});

test('jsonResponse starts with no cookies', () => {
  assert.deepEqual(jsonResponse(200, { ok: true }), {
    status: 200,
    headers: {},
    cookies: [],
    data: { ok: true },
  });
});
