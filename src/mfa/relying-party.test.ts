import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAuthRequest } from '../request.ts';
import { relyingParty } from './relying-party.ts';

const request = (host: string, secure = false) =>
  createAuthRequest({
    method: 'POST',
    url: '/auth/passkeys/login/begin/',
    headers: { host },
    clientAddress: '1',
    secure,
  });
const defaults = { id: null, name: 'Gatehouse', origins: [], allowedHosts: ['.localhost', 'example.com'] };

test("unset: the request's host without its port, and its own origin", () => {
  assert.deepEqual(relyingParty(request('localhost:8000'), defaults), {
    id: 'localhost',
    name: 'Gatehouse',
    origins: ['http://localhost:8000'],
  });
  assert.deepEqual(relyingParty(request('Example.COM', true), defaults), {
    id: 'example.com',
    name: 'Gatehouse',
    origins: ['https://example.com'],
  });
});

test('a Host outside the allowed hosts chooses nothing', () => {
  assert.equal(relyingParty(request('evil.example'), defaults), null);
  assert.equal(relyingParty(request(''), defaults), null);
});

test('configured values win, whatever the Host', () => {
  const configured = {
    ...defaults,
    id: 'example.com',
    name: 'Example',
    origins: ['https://app.example.com'],
  };
  for (const host of ['localhost:8000', 'evil.example'])
    assert.deepEqual(relyingParty(request(host), configured), {
      id: 'example.com',
      name: 'Example',
      origins: ['https://app.example.com'],
    });
  assert.deepEqual(relyingParty(request('localhost:8000'), { ...defaults, id: 'localhost' })?.origins, [
    'http://localhost:8000',
  ]);
});
