import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALNUM, cryptoRandom, type Random } from '../internal/random.ts';
import { isDrfKey, isWellFormedToken, mintToken, TOKEN_PREFIX } from './opaque-token.ts';

const SHAPE = /^gth_[A-Za-z0-9]{38}$/;

test('TOK-02: a minted key has the shape gth_ + 38 alphanumerics and passes its own checksum', () => {
  assert.equal(TOKEN_PREFIX, 'gth_');
  for (let i = 0; i < 1000; i++) {
    const key = mintToken(cryptoRandom);
    assert.match(key, SHAPE);
    assert.ok(isWellFormedToken(key), key);
  }
});

test('TOK-01: 10,000 minted keys are all different', () => {
  const keys = new Set<string>();
  for (let i = 0; i < 10_000; i++) keys.add(mintToken(cryptoRandom));
  assert.equal(keys.size, 10_000);
});

test('TOK-01: the random part carries at least 128 bits (32 base62 characters ≈ 190 bits)', () => {
  const key = mintToken(cryptoRandom);
  const randomPart = key.slice(4, 4 + 32);
  assert.match(randomPart, /^[A-Za-z0-9]{32}$/);
  assert.ok(randomPart.length * Math.log2(62) >= 128);
});

// Whether the CSPRNG is unbiased is Node's to test (crypto.randomInt rejects to stay uniform); a
// chi-square over its output would fail about one run in a thousand and prove nothing of ours.
test('TOK-01: the random part is 32 draws over the whole 62-letter alphabet, through Random.string', () => {
  const draws: [number, string][] = [];
  const recording: Random = {
    bytes: (n) => Buffer.alloc(n),
    string: (n, alphabet) => {
      draws.push([n, alphabet]);
      return alphabet.slice(0, n);
    },
  };
  const key = mintToken(recording);
  assert.deepEqual(draws, [[32, ALNUM]]);
  assert.equal(new Set(ALNUM).size, 62);
  assert.equal(key.slice(4, 36), ALNUM.slice(0, 32));
});

test('the random part is drawn from the injected randomness', () => {
  const fixed: Random = { bytes: (n) => Buffer.alloc(n), string: (n, alphabet) => alphabet[0].repeat(n) };
  const key = mintToken(fixed);
  assert.equal(key.slice(0, 36), `gth_${ALNUM[0].repeat(32)}`);
  assert.equal(mintToken(fixed), key, 'same randomness, same key');
});

test('TOK-02: flipping any one character breaks the checksum', () => {
  const key = mintToken(cryptoRandom);
  for (let i = TOKEN_PREFIX.length; i < key.length; i++) {
    const replacement = key[i] === 'a' ? 'b' : 'a';
    const flipped = key.slice(0, i) + replacement + key.slice(i + 1);
    assert.equal(isWellFormedToken(flipped), false, `position ${i}`);
  }
});

test('TOK-02: swapping the case of one letter breaks the checksum', () => {
  const key = mintToken(cryptoRandom);
  const i = [...key].findIndex((c, index) => index >= 4 && /[a-z]/i.test(c));
  const swapped =
    key.slice(0, i) +
    (key[i] === key[i].toLowerCase() ? key[i].toUpperCase() : key[i].toLowerCase()) +
    key.slice(i + 1);
  assert.equal(isWellFormedToken(swapped), false);
});

test('TOK-04: near misses of a valid key are not well formed', () => {
  const key = mintToken(cryptoRandom);
  for (const variant of [
    `${key}x`,
    key.slice(0, -1),
    key.toUpperCase(),
    ` ${key} `,
    `${key}\n`,
    encodeURIComponent(key).replace('_', '%5F'),
    key.replace('gth_', 'GTH_'),
    key.replace('gth_', 'ghp_'),
    key.slice(4),
    `gth_${'%'.repeat(38)}`,
    `gth_${'_'.repeat(38)}`,
    '',
  ]) {
    assert.equal(isWellFormedToken(variant), false, JSON.stringify(variant));
  }
});

test('a DRF-style 40-hex key is not a Gatehouse key', () => {
  assert.equal(isWellFormedToken('9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b'), false);
});

test("isDrfKey: DRF's 40 lower-case hex keys (imported from Django), and nothing else", () => {
  const key = '9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b'; // DRF's documentation example
  assert.equal(isDrfKey(key), true);
  for (const other of [
    key.toUpperCase(),
    key.slice(1),
    `${key}0`,
    `${key.slice(0, 39)}g`,
    ` ${key.slice(1)}`,
    mintToken(cryptoRandom),
    '',
  ]) {
    assert.equal(isDrfKey(other), false, other);
  }
  assert.equal(isWellFormedToken(key), false, 'not a key Gatehouse mints');
});
