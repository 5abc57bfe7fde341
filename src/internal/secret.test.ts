import assert from 'node:assert/strict';
import { test } from 'node:test';
import { format, inspect } from 'node:util';
import { Secret } from './secret.ts';

const value = 'django-insecure-0123456789';

test('a Secret reveals its value only when asked', () => {
  assert.equal(new Secret(value).reveal(), value);
});

test('a Secret redacts itself in strings, JSON, inspect and console formatting', () => {
  const secret = new Secret(value);
  assert.equal(String(secret), '[redacted]');
  assert.equal(`${secret}`, '[redacted]');
  assert.equal(JSON.stringify({ secretKey: secret }), '{"secretKey":"[redacted]"}');
  assert.equal(inspect(secret), 'Secret([redacted])');
  assert.equal(
    inspect({ settings: { secretKey: secret } }, { depth: 5 }),
    '{ settings: { secretKey: Secret([redacted]) } }',
  );
  assert.ok(!format('%o %O %s %j', secret, secret, secret, secret).includes(value));
});

test('the value is not an enumerable or reachable property', () => {
  const secret = new Secret(value);
  assert.deepEqual(Object.keys(secret), []);
  assert.deepEqual(Object.getOwnPropertyNames(secret), []);
  assert.ok(!JSON.stringify(Object.entries(secret)).includes(value));
});
