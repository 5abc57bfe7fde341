import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStorableText } from './storable-text.ts';

test('issue 8.7: a NUL or a lone surrogate is not storable text; anything else is', () => {
  for (const value of ['', '3f2a9c0d11e94b6f', 'é中😀', ' \t\x01\x1f\x7f'])
    assert.equal(isStorableText(value), true);
  for (const value of ['\0', 'a\0b', 'a\ud800b', '\udc00', '\ud83d'])
    assert.equal(isStorableText(value), false);
});
