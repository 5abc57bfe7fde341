import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAuthRequest } from '../request.ts';
import { authorizationParts, decodesAsUtf8 } from './authorization-header.ts';

function withAuthorization(value: string | string[] | undefined) {
  return createAuthRequest({
    method: 'GET',
    url: '/',
    headers: value === undefined ? {} : { authorization: value },
    clientAddress: '192.0.2.1',
  });
}

test("the header splits like Python's bytes.split(): runs of ASCII whitespace, ends dropped", () => {
  assert.deepEqual(authorizationParts(withAuthorization('Token abcd1234')), ['Token', 'abcd1234']);
  assert.deepEqual(authorizationParts(withAuthorization('Token   abcd1234')), ['Token', 'abcd1234']);
  assert.deepEqual(authorizationParts(withAuthorization('Token\tabcd1234')), ['Token', 'abcd1234']);
  assert.deepEqual(authorizationParts(withAuthorization('  Token \t\v\f abcd1234  ')), ['Token', 'abcd1234']);
  assert.deepEqual(authorizationParts(withAuthorization('Token a b')), ['Token', 'a', 'b']);
});

test('non-ASCII spaces do not split, as bytes.split() only knows ASCII whitespace', () => {
  assert.deepEqual(authorizationParts(withAuthorization('Token\u00a0abcd')), ['Token\u00a0abcd']);
  assert.deepEqual(authorizationParts(withAuthorization('Token\x1cabcd')), ['Token\x1cabcd']);
});

test('an absent or empty header has no parts', () => {
  assert.deepEqual(authorizationParts(withAuthorization(undefined)), []);
  assert.deepEqual(authorizationParts(withAuthorization('')), []);
  assert.deepEqual(authorizationParts(withAuthorization('   ')), []);
});

test('two Authorization headers are ambiguous and match no scheme', () => {
  const parts = authorizationParts(withAuthorization(['Token a', 'Token b']));
  assert.notEqual(parts[0]?.toLowerCase(), 'token');
  assert.equal(parts.length, 2);
});

test('decodesAsUtf8 reads the latin-1 header text as bytes', () => {
  assert.equal(decodesAsUtf8('abcd1234'), true);
  assert.equal(decodesAsUtf8('abcd1234\xb8'), false, '¸ alone is byte 0xB8, invalid UTF-8');
  assert.equal(decodesAsUtf8('caf\xc3\xa9'), true, 'UTF-8 é sent as two latin-1 characters');
  assert.equal(decodesAsUtf8(''), true);
});
