import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { cryptoRandom, type Random } from '../internal/random.ts';
import { createSecretBox } from './secret-box.ts';

const KEY = 'django-insecure-test-key';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const TOTP = { purpose: 'totp-secret', userId: 42 };
const SHAPE = /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/;

test('the stored form is v1.<nonce>.<ciphertext+tag>, matching an independent AES-256-GCM/HKDF implementation', () => {
  // Computed with Python's `cryptography` (HKDF-SHA256, info "gatehouse mfa v1", AESGCM),
  // nonce 00 01 … 0b and associated data ["v1","totp-secret","42"]: values sealed today must open forever.
  const fixedNonce: Random = {
    bytes: () => Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    string: () => '',
  };
  const box = createSecretBox({ secretKey: KEY, random: fixedNonce });
  const expected = 'v1.AAECAwQFBgcICQoL.Oz0AJezxE9IenGe8PlnVFlFtqtGuLAANoCufYwWXACew6NX3WhRxyEW0LWzWZNRi';
  assert.equal(box.seal(SECRET, TOTP), expected);
  assert.deepEqual(createSecretBox({ secretKey: KEY, random: cryptoRandom }).open(expected, TOTP), {
    plaintext: SECRET,
    stale: false,
  });
});

test('TOTP secrets and recovery codes are never stored in the clear; each seal uses a fresh nonce', () => {
  const box = createSecretBox({ secretKey: KEY, random: cryptoRandom });
  const a = box.seal(SECRET, TOTP);
  const b = box.seal(SECRET, TOTP);
  assert.match(a, SHAPE);
  assert.notEqual(a, b);
  for (const sealed of [a, b]) {
    assert.ok(!sealed.includes(SECRET));
    assert.ok(!Buffer.from(sealed.split('.')[2], 'base64url').toString('latin1').includes(SECRET));
    assert.equal(box.open(sealed, TOTP)?.plaintext, SECRET);
  }
  const codes = JSON.stringify(['aaaa-bbbb', 'cccc-dddd']);
  const sealedCodes = box.seal(codes, { purpose: 'recovery-codes', userId: 42 });
  assert.ok(!sealedCodes.includes('aaaa'));
  assert.equal(box.open(sealedCodes, { purpose: 'recovery-codes', userId: '42' })?.plaintext, codes);
});

test("a blob copied to another user's row, or to another purpose, does not open", () => {
  const box = createSecretBox({ secretKey: KEY, random: cryptoRandom });
  const sealed = box.seal(SECRET, TOTP);
  assert.equal(box.open(sealed, { purpose: 'totp-secret', userId: 43 }), null);
  assert.equal(box.open(sealed, { purpose: 'totp-secret', userId: '4' }), null);
  assert.equal(box.open(sealed, { purpose: 'recovery-codes', userId: 42 }), null);
});

test('a tampered, truncated or malformed blob opens to null, never an exception', () => {
  const box = createSecretBox({ secretKey: KEY, random: cryptoRandom });
  const sealed = box.seal(SECRET, TOTP);
  const [version, nonce, body] = sealed.split('.');
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const bad = [
    `${version}.${nonce}.${flip(body, 3)}`,
    `${version}.${nonce}.${flip(body, body.length - 2)}`, // the tag
    `${version}.${flip(nonce, 0)}.${body}`,
    `${version}.${nonce}.${body.slice(0, -4)}`,
    `${version}.${nonce}.${body.slice(0, 10)}`, // shorter than a tag
    `v2.${nonce}.${body}`,
    `${version}.${nonce}`,
    `${sealed}.x`,
    `${version}.${nonce}.${body}=`,
    `${version}.${nonce}.${body.slice(0, 5)}+${body.slice(6)}`,
    `${version}.${nonce.slice(0, 12)}.${body}`,
    '',
    '...',
    SECRET,
    `v1.${'A'.repeat(16)}.${'A'.repeat(100_000)}`,
  ];
  for (const value of bad) assert.equal(box.open(value, TOTP), null, value.slice(0, 60));
  assert.equal(box.open(null as unknown as string, TOTP), null);
});

test('SECRET_KEY rotation: a value sealed under a fallback key opens and says it is stale; seal uses the new key', () => {
  const old = createSecretBox({ secretKey: 'old-key', random: cryptoRandom });
  const sealed = old.seal(SECRET, TOTP);
  const rotated = createSecretBox({
    secretKey: 'new-key',
    fallbackKeys: ['older-key', 'old-key'],
    random: cryptoRandom,
  });
  assert.deepEqual(rotated.open(sealed, TOTP), { plaintext: SECRET, stale: true });
  const resealed = rotated.seal(SECRET, TOTP);
  assert.deepEqual(rotated.open(resealed, TOTP), { plaintext: SECRET, stale: false });
  assert.equal(old.open(resealed, TOTP), null);
  assert.equal(createSecretBox({ secretKey: 'new-key', random: cryptoRandom }).open(sealed, TOTP), null);
});

test('the box keeps its keys out of sight', () => {
  const box = createSecretBox({ secretKey: 'a-very-recognisable-secret-key', random: cryptoRandom });
  assert.deepEqual(Object.keys(box).sort(), ['open', 'seal']);
  assert.ok(!inspect(box, { depth: 5, showHidden: true }).includes('recognisable'));
  assert.ok(!JSON.stringify(box).includes('recognisable'));
});
