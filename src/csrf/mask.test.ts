import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cryptoRandom, type Random } from '../internal/random.ts';
import { isWellFormed, maskSecret, newSecret, tokenFormatProblem, toSecret, unmaskToken } from './mask.ts';

// Django's csrf_tests vectors.
const TEST_SECRET = 'lcccccccX2kcccccccY2jcccccccssIC';
const MASKED_TEST_SECRET1 = '1bcdefghij2bcdefghij3bcdefghij4bcdefghij5bcdefghij6bcdefghijABCD';
const MASKED_TEST_SECRET2 = '2JgchWvM1tpxT2lfz9aydoXW9yT1DN3NdLiejYxOOlzzV4nhBbYqmqZYbAV3V5Bf';

/** Always draws the same characters, so a mask is predictable. */
function fixedRandom(char: string): Random {
  return { bytes: (n) => Buffer.alloc(n), string: (n) => char.repeat(n) };
}

test("unmaskToken matches Django's test vectors", () => {
  const cases: [string, string][] = [
    [TEST_SECRET, MASKED_TEST_SECRET1],
    [TEST_SECRET, MASKED_TEST_SECRET2],
    ['a'.repeat(32), 'vFioG3XOLyGyGsPRFyB9iYUs341ufzIEvFioG3XOLyGyGsPRFyB9iYUs341ufzIE'],
    ['a'.repeat(32), 'a'.repeat(64)],
    ['a'.repeat(32), 'b'.repeat(64)],
    ['b'.repeat(32), 'a'.repeat(32) + 'b'.repeat(32)],
    ['b'.repeat(32), 'b'.repeat(32) + 'c'.repeat(32)],
    ['c'.repeat(32), 'a'.repeat(32) + 'c'.repeat(32)],
  ];
  for (const [secret, token] of cases) assert.equal(unmaskToken(token), secret, token);
});

test('maskSecret round-trips through unmaskToken with 64 alphanumeric characters', () => {
  for (const secret of ['a'.repeat(32), TEST_SECRET, 'da4SrUiHJYoJ0HYQ0vcgisoIuFOxx4ER']) {
    const token = maskSecret(secret, cryptoRandom);
    assert.equal(token.length, 64);
    assert.match(token, /^[a-zA-Z0-9]{64}$/);
    assert.equal(unmaskToken(token), secret);
  }
});

test('the mask is the first half and shifts by alphabet position (wrapping past 9)', () => {
  // Mask 'a' (position 0) leaves the secret unchanged; mask 'b' shifts by one, and '9' wraps to 'a'.
  assert.equal(maskSecret(TEST_SECRET, fixedRandom('a')), 'a'.repeat(32) + TEST_SECRET);
  assert.equal(maskSecret('9'.repeat(32), fixedRandom('b')), 'b'.repeat(32) + 'a'.repeat(32));
});

test('masking the same secret twice gives different tokens', () => {
  assert.notEqual(maskSecret(TEST_SECRET, cryptoRandom), maskSecret(TEST_SECRET, cryptoRandom));
});

test('maskSecret refuses a malformed secret', () => {
  assert.throws(() => maskSecret('short', cryptoRandom), TypeError);
  assert.throws(() => maskSecret('*'.repeat(32), cryptoRandom), TypeError);
});

test('newSecret draws 32 characters of the alphabet', () => {
  const secret = newSecret(cryptoRandom);
  assert.match(secret, /^[a-zA-Z0-9]{32}$/);
  assert.notEqual(secret, newSecret(cryptoRandom));
});

test("tokenFormatProblem gives Django's reasons, length first", () => {
  assert.equal(tokenFormatProblem(''), 'has incorrect length');
  assert.equal(tokenFormatProblem('a'.repeat(16)), 'has incorrect length');
  assert.equal(tokenFormatProblem('*'.repeat(16)), 'has incorrect length');
  assert.equal(tokenFormatProblem('x'.repeat(100_000)), 'has incorrect length');
  assert.equal(tokenFormatProblem('*'.repeat(64)), 'has invalid characters');
  assert.equal(tokenFormatProblem(`${'a'.repeat(31)}é`), 'has invalid characters');
  assert.equal(tokenFormatProblem(TEST_SECRET), null);
  assert.equal(tokenFormatProblem(MASKED_TEST_SECRET1), null);
});

test('isWellFormed accepts 32- and 64-character alphanumeric values only', () => {
  assert.equal(isWellFormed(TEST_SECRET), true);
  assert.equal(isWellFormed(MASKED_TEST_SECRET2), true);
  assert.equal(isWellFormed('a'.repeat(33)), false);
  assert.equal(isWellFormed(`${'a'.repeat(63)}-`), false);
});

test('toSecret unmasks a token and passes a secret through', () => {
  assert.equal(toSecret(MASKED_TEST_SECRET1), TEST_SECRET);
  assert.equal(toSecret(TEST_SECRET), TEST_SECRET);
});
