import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeenSet } from './seen-set.ts';

test('SeenSet: what was added is there, and nothing else, across growth', () => {
  const seen = new SeenSet();
  for (let i = 0; i < 5000; i += 2) seen.add(String(i));
  seen.seal();
  assert.equal(seen.size, 2500);
  for (let i = 0; i < 5000; i++) assert.equal(seen.has(String(i)), i % 2 === 0, String(i));
});

test('SeenSet: add after seal, or has before it, is a bug', () => {
  const seen = new SeenSet();
  assert.throws(() => seen.has('x'), /seal\(\) first/);
  seen.seal();
  assert.equal(seen.has('x'), false);
  assert.throws(() => seen.add('x'), /sealed/);
});
