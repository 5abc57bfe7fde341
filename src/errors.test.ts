import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApiError,
  AuthenticationFailed,
  ConfigurationError,
  CsrfFailed,
  MethodNotAllowed,
  NotAcceptable,
  NotAuthenticated,
  NotFound,
  ParseError,
  PayloadTooLarge,
  PermissionDenied,
  ServiceUnavailable,
  StoreUnavailableError,
  Throttled,
  UnsupportedMediaType,
  ValidationError,
} from './errors.ts';

// DRF's exceptions.py: status, default detail and code. The code never reaches the wire.
test("every ApiError carries DRF's status, default detail and code", () => {
  const cases: [ApiError, number, unknown, string][] = [
    [
      new AuthenticationFailed(),
      401,
      { detail: 'Incorrect authentication credentials.' },
      'authentication_failed',
    ],
    [
      new NotAuthenticated(),
      401,
      { detail: 'Authentication credentials were not provided.' },
      'not_authenticated',
    ],
    [
      new PermissionDenied(),
      403,
      { detail: 'You do not have permission to perform this action.' },
      'permission_denied',
    ],
    [new NotFound(), 404, { detail: 'Not found.' }, 'not_found'],
    [new NotAcceptable(), 406, { detail: 'Could not satisfy the request Accept header.' }, 'not_acceptable'],
    [new PayloadTooLarge(), 413, { detail: 'Request body too large.' }, 'payload_too_large'],
    [
      new UnsupportedMediaType('text/plain'),
      415,
      { detail: 'Unsupported media type "text/plain" in request.' },
      'unsupported_media_type',
    ],
    [new ParseError(), 400, { detail: 'Malformed request.' }, 'parse_error'],
    [new Throttled(null), 429, { detail: 'Request was throttled.' }, 'throttled'],
    [new ServiceUnavailable(), 503, { detail: 'Service temporarily unavailable.' }, 'service_unavailable'],
  ];
  for (const [error, status, body, code] of cases) {
    assert.equal(error.status, status, error.name);
    assert.deepEqual(error.body, body, error.name);
    assert.equal(error.code, code, error.name);
    assert.ok(error instanceof Error);
  }
});

test('the error name is the subclass name, so logs say what happened', () => {
  assert.equal(new NotAuthenticated().name, 'NotAuthenticated');
  assert.equal(new CsrfFailed('x').name, 'CsrfFailed');
});

test('authentication classes give their own detail with the authentication_failed code', () => {
  const error = new AuthenticationFailed('Invalid token.');
  assert.equal(error.status, 401);
  assert.deepEqual(error.body, { detail: 'Invalid token.' });
  assert.equal(error.detail, 'Invalid token.');
  assert.equal(error.code, 'authentication_failed');
  assert.deepEqual(error.headers, {});
});

test('a dict detail is the body itself, as simplejwt sends {"detail","code"}', () => {
  const error = new AuthenticationFailed({
    detail: 'Given token not valid for any token type',
    code: 'token_not_valid',
  });
  assert.deepEqual(error.body, {
    detail: 'Given token not valid for any token type',
    code: 'token_not_valid',
  });
  assert.equal(error.detail, 'Given token not valid for any token type');
});

test('a permission message becomes the 403 detail', () => {
  const error = new PermissionDenied('Only the author may edit this article.');
  assert.equal(error.status, 403);
  assert.deepEqual(error.body, { detail: 'Only the author may edit this article.' });
});

test('CsrfFailed is a PermissionDenied whose detail has the "CSRF Failed: " prefix', () => {
  const error = new CsrfFailed('CSRF token missing.');
  assert.ok(error instanceof PermissionDenied);
  assert.equal(error.status, 403);
  assert.deepEqual(error.body, { detail: 'CSRF Failed: CSRF token missing.' });
  assert.equal(error.reason, 'CSRF token missing.');
});

test('MethodNotAllowed quotes the method and sends Allow', () => {
  const error = new MethodNotAllowed('PATCH', ['GET', 'POST', 'HEAD', 'OPTIONS']);
  assert.equal(error.status, 405);
  assert.deepEqual(error.body, { detail: 'Method "PATCH" not allowed.' });
  assert.equal(error.code, 'method_not_allowed');
  assert.deepEqual(error.headers, { allow: 'GET, POST, HEAD, OPTIONS' });
});

test('UnsupportedMediaType quotes the Content-Type exactly as sent', () => {
  assert.deepEqual(new UnsupportedMediaType('text/plain; charset=utf-8').body, {
    detail: 'Unsupported media type "text/plain; charset=utf-8" in request.',
  });
});

test('ParseError carries the JSON parser message', () => {
  const error = new ParseError('JSON parse error - Expecting value: line 1 column 1 (char 0)');
  assert.equal(error.status, 400);
  assert.deepEqual(error.body, { detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' });
});

test('ValidationError bodies are the field dict or the list itself', () => {
  const fields = new ValidationError({
    username: ['This field is required.'],
    password: ['This field may not be blank.'],
  });
  assert.equal(fields.status, 400);
  assert.equal(fields.code, 'invalid');
  assert.deepEqual(fields.body, {
    username: ['This field is required.'],
    password: ['This field may not be blank.'],
  });
  assert.equal(fields.detail, undefined);
  assert.deepEqual(Object.keys(fields.body), ['username', 'password'], 'field order is declaration order');

  const list = new ValidationError(['Unable to log in with provided credentials.']);
  assert.deepEqual(list.body, ['Unable to log in with provided credentials.']);
});

test('Throttled for 60 seconds: plural wording and Retry-After: 60', () => {
  const error = new Throttled(60);
  assert.equal(error.status, 429);
  assert.deepEqual(error.body, { detail: 'Request was throttled. Expected available in 60 seconds.' });
  assert.deepEqual(error.headers, { 'retry-after': '60' });
  assert.equal(error.wait, 60);
});

test('Throttled for 1 second: singular wording', () => {
  const error = new Throttled(1);
  assert.deepEqual(error.body, { detail: 'Request was throttled. Expected available in 1 second.' });
  assert.deepEqual(error.headers, { 'retry-after': '1' });
});

test('Throttled rounds a fractional wait up, as DRF does with math.ceil', () => {
  const quarter = new Throttled(0.25);
  assert.deepEqual(quarter.body, { detail: 'Request was throttled. Expected available in 1 second.' });
  assert.deepEqual(quarter.headers, { 'retry-after': '1' });
  assert.equal(quarter.wait, 1);

  const almostAMinute = new Throttled(59.2);
  assert.deepEqual(almostAMinute.body, {
    detail: 'Request was throttled. Expected available in 60 seconds.',
  });
  assert.deepEqual(almostAMinute.headers, { 'retry-after': '60' });
});

test('Throttled without a known wait says only "Request was throttled." and sends no Retry-After', () => {
  const error = new Throttled(null);
  assert.deepEqual(error.body, { detail: 'Request was throttled.' });
  assert.deepEqual(error.headers, {});
  assert.equal(error.wait, null);
});

test('Throttled with a zero wait keeps the sentence but, as DRF (`if exc.wait`), sends no Retry-After', () => {
  const error = new Throttled(0);
  assert.deepEqual(error.body, { detail: 'Request was throttled. Expected available in 0 seconds.' });
  assert.deepEqual(error.headers, {});
});

test('ConfigurationError and StoreUnavailableError are not ApiErrors: never a 4xx by themselves', () => {
  assert.ok(!(new ConfigurationError('bad rate') instanceof ApiError));
  assert.equal(new ConfigurationError('bad rate').name, 'ConfigurationError');
  const cause = new Error('ECONNREFUSED');
  const outage = new StoreUnavailableError('redis down', { cause });
  assert.ok(!(outage instanceof ApiError));
  assert.equal(outage.name, 'StoreUnavailableError');
  assert.equal(outage.cause, cause);
});
