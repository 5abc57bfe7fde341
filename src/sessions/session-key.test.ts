import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cryptoRandom } from '../internal/random.ts';
import { isWellFormedSessionKey, newSessionKey, SESSION_KEY_LENGTH } from './session-key.ts';

test("a new session key is Django's: 32 characters of [a-z0-9]", () => {
  assert.equal(SESSION_KEY_LENGTH, 32);
  for (let i = 0; i < 100; i++) {
    const key = newSessionKey(cryptoRandom);
    assert.match(key, /^[a-z0-9]{32}$/);
    assert.ok(isWellFormedSessionKey(key));
  }
});

test('session keys are drawn from the injected randomness', () => {
  const random = {
    bytes: (n: number) => Buffer.alloc(n),
    string: (n: number, alphabet: string) => alphabet[5].repeat(n),
  };
  assert.equal(newSessionKey(random), 'f'.repeat(32));
});

test('1,000 session keys are all different', () => {
  const keys = new Set(Array.from({ length: 1000 }, () => newSessionKey(cryptoRandom)));
  assert.equal(keys.size, 1000);
});

test('SES-04: malformed session cookies are no session, without a lookup', () => {
  const malformed: [string, string | undefined][] = [
    ['absent', undefined],
    ['empty (CVE-2015-3982)', ''],
    ['one character', 'a'],
    ['seven characters (Django treats < 8 as absent)', 'abcdefg'],
    ['31 characters', 'a'.repeat(31)],
    ['33 characters', 'a'.repeat(33)],
    ['8 KiB', 'a'.repeat(8192)],
    ['a percent-encoded NUL', `%00abc${'a'.repeat(26)}`],
    ['a raw NUL', `\u0000${'a'.repeat(31)}`],
    ['SQL', "'; DROP TABLE x;--"],
    ['SQL padded to 32', "'; DROP TABLE x;--".padEnd(32, 'a')],
    ['upper case', 'A'.repeat(32)],
    ['mixed case', `${'a'.repeat(31)}B`],
    ['a trailing newline', `${'a'.repeat(32)}\n`],
    ['surrounding spaces', ` ${'a'.repeat(30)} `],
    ['non-ASCII digit', `${'a'.repeat(31)}٣`],
    ['the JSON of a key', `"${'a'.repeat(30)}"`],
  ];
  for (const [what, value] of malformed) assert.equal(isWellFormedSessionKey(value), false, what);
});
