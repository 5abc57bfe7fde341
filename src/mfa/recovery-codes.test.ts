import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cryptoRandom, type Random } from '../internal/random.ts';
import {
  generateRecoveryCodes,
  matchRecoveryCode,
  normalizeRecoveryCode,
  unusedRecoveryCodes,
} from './recovery-codes.ts';

const SHAPE = /^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/;

test('ten recovery codes xxxx-xxxx, all different, from the unambiguous lowercase alphabet', () => {
  for (let n = 0; n < 200; n++) {
    const codes = generateRecoveryCodes(cryptoRandom);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, SHAPE);
  }
});

test('each code carries 40 bits: 8 characters spread evenly over 32 symbols', () => {
  const counts = new Map<string, number>();
  const sets = 2_000;
  for (let n = 0; n < sets; n++) {
    for (const code of generateRecoveryCodes(cryptoRandom)) {
      for (const c of code.replace('-', '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
  }
  assert.equal(counts.size, 32);
  assert.ok(8 * Math.log2(counts.size) >= 40);
  const expected = (sets * 10 * 8) / 32; // 5000
  let chi = 0;
  for (const count of counts.values()) chi += (count - expected) ** 2 / expected;
  // 31 degrees of freedom: mean 31; 105 is about p = 10^-9 (Wilson–Hilferty), so a fair source
  // never fails it in practice, while a broken one (a symbol never drawn, a modulo bias) lands far above.
  assert.ok(chi < 105, `chi-square ${chi}`);
});

test('codes come from the injected randomness, and a duplicate is drawn again', () => {
  const draws = ['aaaabbbb', 'aaaabbbb', 'ccccdddd'];
  const fake: Random = { bytes: () => Buffer.alloc(0), string: () => draws.shift() ?? 'zzzzzzzz' };
  assert.deepEqual(generateRecoveryCodes(fake, 3), ['aaaa-bbbb', 'cccc-dddd', 'zzzz-zzzz']);
});

test('typed input is normalised: case, spaces, a missing dash, and i, l, o read as 1 and 0', () => {
  const cases: [string, string | null][] = [
    ['7k2m-x9qf', '7k2m-x9qf'],
    ['7K2M-X9QF', '7k2m-x9qf'],
    ['7k2mx9qf', '7k2m-x9qf'],
    [' 7k2m x9qf ', '7k2m-x9qf'],
    ['7k2m--x9qf', '7k2m-x9qf'],
    ['Ol1I-0000', '0111-0000'],
    ['7k2m-x9q', null],
    ['7k2m-x9qff', null],
    ['7k2u-x9qf', null], // u is not in the alphabet
    ['7\u212a2m-x9qf', null], // the Kelvin sign, which toLowerCase() turns into k
    ['７k2m-x9qf', null], // a fullwidth digit
    ['7k2m_x9qf', null],
    ['7k2m-x9qf\n', null],
    ['', null],
    [`${' '.repeat(30)}7k2mx9qf`, null], // over the length cap before anything is dropped
    ['7'.repeat(1_000_000), null],
  ];
  for (const [input, expected] of cases)
    assert.equal(normalizeRecoveryCode(input), expected, JSON.stringify(input));
  assert.equal(normalizeRecoveryCode(12345678 as unknown as string), null);
});

test('a recovery code matches its own index; a used, unknown or malformed one matches nothing', () => {
  const codes = ['aaaa-bbbb', 'cccc-dddd', 'eeee-ffff'];
  assert.equal(matchRecoveryCode(codes, 'cccc-dddd'), 1);
  assert.equal(matchRecoveryCode(codes, 'CCCC DDDD'), 1);
  assert.equal(matchRecoveryCode(codes, 'eeeeffff'), 2);
  assert.equal(matchRecoveryCode(codes, 'cccc-dddd', { usedMask: 0b010 }), null, 'used');
  assert.equal(matchRecoveryCode(codes, 'eeee-ffff', { usedMask: 0b011 }), 2, 'another code used');
  assert.equal(matchRecoveryCode(codes, 'cccc-ddde'), null);
  assert.equal(matchRecoveryCode(codes, 'cccc-dddd-'), 1);
  assert.equal(matchRecoveryCode(codes, '123456'), null, 'a TOTP code is not a recovery code');
  assert.equal(matchRecoveryCode([], 'cccc-dddd'), null);
});

test('the unused codes are listed in their original order', () => {
  const codes = generateRecoveryCodes(cryptoRandom);
  assert.deepEqual(unusedRecoveryCodes(codes, 0), codes);
  assert.deepEqual(unusedRecoveryCodes(codes, 0b1000000001), codes.slice(1, 9));
  assert.deepEqual(unusedRecoveryCodes(codes, 2 ** 10 - 1), []);
});
