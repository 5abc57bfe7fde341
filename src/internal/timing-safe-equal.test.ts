import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timingSafeEqual } from './timing-safe-equal.ts';

test('equal strings are equal', () => {
  assert.equal(timingSafeEqual('O976A7n2vjLpJe5D5jhbZ0MTpewNGNZ5', 'O976A7n2vjLpJe5D5jhbZ0MTpewNGNZ5'), true);
  assert.equal(timingSafeEqual('', ''), true);
});

test('different strings are different, including a one-character difference', () => {
  assert.equal(timingSafeEqual('abc', 'abd'), false);
  assert.equal(timingSafeEqual('abc', 'ABC'), false);
});

test('different lengths are different and never throw (node:crypto would)', () => {
  assert.equal(timingSafeEqual('abc', 'abcd'), false);
  assert.equal(timingSafeEqual('', 'a'), false);
  assert.equal(timingSafeEqual('a'.repeat(10_000), 'a'), false);
});

test('strings and buffers compare by their UTF-8 bytes', () => {
  assert.equal(timingSafeEqual('é', Buffer.from('é', 'utf8')), true);
  assert.equal(timingSafeEqual('é', Buffer.from('é', 'latin1')), false);
});
