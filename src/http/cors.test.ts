import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { createAuthRequest } from '../request.ts';
import { jsonResponse } from '../response.ts';
import { Cors } from './cors.ts';

function request(method: string, headers: Record<string, string>) {
  return createAuthRequest({ method, url: '/api/things/', headers, clientAddress: '192.0.2.1' });
}

const APP = 'https://app.example.test';

function decorated(cors: Cors, origin: string | undefined) {
  const res = jsonResponse(200, {});
  cors.decorate(request('GET', origin === undefined ? {} : { origin }), res);
  return res.headers;
}

test('an allowed origin gets itself back, with Vary: Origin', () => {
  const headers = decorated(new Cors({ allowedOrigins: [APP] }), APP);
  assert.equal(headers['access-control-allow-origin'], APP);
  assert.equal(headers.vary, 'Origin');
  assert.equal(headers['access-control-allow-credentials'], undefined);
});

test('CSRF-15: any other origin gets no CORS header at all', () => {
  const cors = new Cors({ allowedOrigins: [APP], allowCredentials: true });
  for (const origin of [
    'https://evil.example',
    'https://app.example.test.evil.example',
    'https://evil.app.example.test',
    'http://app.example.test',
    'https://app.example.test:8443',
    'https://APP.example.test',
    'null',
    `${APP}/`,
  ]) {
    const headers = decorated(cors, origin);
    assert.equal(headers['access-control-allow-origin'], undefined, origin);
    assert.equal(headers['access-control-allow-credentials'], undefined, origin);
    assert.equal(headers.vary, 'Origin', origin);
  }
});

test('a request without Origin gets no CORS header', () => {
  assert.equal(
    decorated(new Cors({ allowedOrigins: [APP] }), undefined)['access-control-allow-origin'],
    undefined,
  );
});

test('credentials are allowed only when configured', () => {
  assert.equal(
    decorated(new Cors({ allowedOrigins: [APP], allowCredentials: true }), APP)[
      'access-control-allow-credentials'
    ],
    'true',
  );
  assert.equal(
    decorated(new Cors({ allowedOrigins: [APP] }), APP)['access-control-allow-credentials'],
    undefined,
  );
});

test('CSRF-15: "*" and patterns are refused at start-up, so * never meets credentials', () => {
  for (const origin of [
    '*',
    'app.example.test',
    'https://app.example.test/',
    'https://app.example.test/path',
    'null',
    '',
  ]) {
    assert.throws(
      () => new Cors({ allowedOrigins: [origin], allowCredentials: true }),
      ConfigurationError,
      origin,
    );
  }
});

test('a wildcard pattern such as https://*.example.test is refused at start-up rather than silently never matching', () => {
  assert.throws(() => new Cors({ allowedOrigins: ['https://*.example.test'] }), ConfigurationError);
});

test('a wildcard-looking entry is refused at start-up (CORS origins are exact)', () => {
  assert.throws(
    () => new Cors({ allowedOrigins: ['https://*.example.test'], allowCredentials: true }),
    ConfigurationError,
  );
});

test('CSRF-15: no response ever says Access-Control-Allow-Origin: *', () => {
  const cors = new Cors({ allowedOrigins: [APP, 'http://localhost:5173'], allowCredentials: true });
  for (const origin of [APP, 'http://localhost:5173', 'https://evil.example', '*']) {
    assert.notEqual(decorated(cors, origin)['access-control-allow-origin'], '*');
  }
});

test('a preflight from an allowed origin is answered 200 with methods, headers and max-age', () => {
  const cors = new Cors({ allowedOrigins: [APP], allowCredentials: true });
  const req = request('OPTIONS', { origin: APP, 'access-control-request-method': 'POST' });
  const res = cors.preflight(req);
  assert.ok(res);
  cors.decorate(req, res);
  assert.equal(res.status, 200);
  assert.equal(res.text, '');
  assert.deepEqual(res.headers, {
    'content-length': '0',
    'access-control-allow-headers':
      'accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with',
    'access-control-allow-methods': 'DELETE, GET, OPTIONS, PATCH, POST, PUT',
    'access-control-max-age': '86400',
    vary: 'Origin',
    'access-control-allow-origin': APP,
    'access-control-allow-credentials': 'true',
  });
});

test('CSRF-15: a preflight from another origin carries no Access-Control-* header', () => {
  const cors = new Cors({ allowedOrigins: [APP], allowCredentials: true });
  const req = request('OPTIONS', { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
  const res = cors.preflight(req);
  assert.ok(res);
  cors.decorate(req, res);
  assert.deepEqual(
    Object.keys(res.headers).filter((h) => h.startsWith('access-control-')),
    [],
  );
});

test('a plain OPTIONS (no Access-Control-Request-Method) is not a preflight: the view answers it', () => {
  const cors = new Cors({ allowedOrigins: [APP] });
  assert.equal(cors.preflight(request('OPTIONS', { origin: APP })), null);
  assert.equal(cors.preflight(request('GET', { origin: APP, 'access-control-request-method': 'GET' })), null);
});

test('with no allowed origins CORS is off: no preflight answer, no Vary', () => {
  const cors = new Cors({ allowedOrigins: [] });
  assert.equal(cors.enabled, false);
  assert.equal(
    cors.preflight(request('OPTIONS', { origin: APP, 'access-control-request-method': 'POST' })),
    null,
  );
  assert.deepEqual(decorated(cors, APP), {});
});

test('errors from an allowed origin are readable by the client too', () => {
  const cors = new Cors({ allowedOrigins: [APP] });
  const res = jsonResponse(
    401,
    { detail: 'Invalid token.' },
    { 'www-authenticate': 'Token', vary: 'Accept' },
  );
  cors.decorate(request('GET', { origin: APP }), res);
  assert.equal(res.headers['access-control-allow-origin'], APP);
  assert.equal(res.headers.vary, 'Accept, Origin');
});
