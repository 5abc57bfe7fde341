import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonResponse } from '../response.ts';
import { addVary, toWire } from './write.ts';

const NOW = Date.UTC(2025, 0, 1);

test('a JSON response is compact with Content-Type application/json', () => {
  assert.deepEqual(
    toWire(jsonResponse(401, { detail: 'Invalid token.' }, { 'www-authenticate': 'Token' }), NOW),
    {
      status: 401,
      headers: { 'www-authenticate': 'Token', 'content-type': 'application/json' },
      body: '{"detail":"Invalid token."}',
    },
  );
});

test('cookies become Set-Cookie lines, with Vary: Cookie as Django adds', () => {
  const res = jsonResponse(200, {}, { vary: 'Accept' });
  res.cookies.push({ name: 'sessionid', value: '', maxAge: 0, path: '/', sameSite: 'Lax' });
  res.cookies.push({
    name: 'csrftoken',
    value: 'O976A7n2vjLpJe5D5jhbZ0MTpewNGNZ5',
    maxAge: 31449600,
    path: '/',
    sameSite: 'Lax',
  });
  const wire = toWire(res, NOW);
  assert.deepEqual(wire.headers['set-cookie'], [
    'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax',
    'csrftoken=O976A7n2vjLpJe5D5jhbZ0MTpewNGNZ5; expires=Wed, 31 Dec 2025 00:00:00 GMT; Max-Age=31449600; Path=/; SameSite=Lax',
  ]);
  assert.equal(wire.headers.vary, 'Accept, Cookie');
});

test('no cookies, no Set-Cookie and no Vary: Cookie', () => {
  const wire = toWire(jsonResponse(200, { ok: true }), NOW);
  assert.equal(wire.headers['set-cookie'], undefined);
  assert.equal(wire.headers.vary, undefined);
});

test('HEAD keeps the headers but sends no body', () => {
  const wire = toWire(jsonResponse(200, { hello: 'world' }), NOW, 'HEAD');
  assert.equal(wire.body, undefined);
  assert.equal(wire.headers['content-type'], 'application/json');
});

test('204 has no body and no Content-Type', () => {
  assert.deepEqual(toWire(jsonResponse(204), NOW), { status: 204, headers: {}, body: undefined });
});

test('addVary appends once, case-insensitively', () => {
  assert.equal(addVary(undefined, 'Cookie'), 'Cookie');
  assert.equal(addVary('Accept', 'Cookie'), 'Accept, Cookie');
  assert.equal(addVary('Accept, cookie', 'Cookie'), 'Accept, cookie');
  assert.equal(addVary('Accept,Origin', 'Origin'), 'Accept,Origin');
});
