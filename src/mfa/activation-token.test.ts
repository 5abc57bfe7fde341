import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cryptoRandom } from '../internal/random.ts';
import { ACTIVATION_TTL_MS, openActivationToken, sealActivationToken } from './activation-token.ts';
import { createSecretBox } from './secret-box.ts';

const box = createSecretBox({ secretKey: 'k'.repeat(40), random: cryptoRandom });
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

test('an activation token opens for its user within 300 s, and does not carry the secret in clear', () => {
  const token = sealActivationToken(box, { secret: SECRET, userId: 7, now: 1_000 });
  assert.ok(!token.includes(SECRET));
  assert.ok(
    !Buffer.from(token.split('.')[2] ?? '', 'base64url')
      .toString('latin1')
      .includes(SECRET),
  );
  assert.equal(openActivationToken(box, token, { userId: 7, now: 1_000 }), SECRET);
  assert.equal(openActivationToken(box, token, { userId: 7, now: 1_000 + ACTIVATION_TTL_MS - 1 }), SECRET);
});

test('expired, from the future, another user, another key, tampered or malformed: null', () => {
  const token = sealActivationToken(box, { secret: SECRET, userId: 7, now: 1_000 });
  assert.equal(openActivationToken(box, token, { userId: 7, now: 1_000 + ACTIVATION_TTL_MS }), null);
  assert.equal(openActivationToken(box, token, { userId: 7, now: 999 }), null);
  assert.equal(openActivationToken(box, token, { userId: 8, now: 1_000 }), null);
  const other = createSecretBox({ secretKey: 'o'.repeat(40), random: cryptoRandom });
  assert.equal(openActivationToken(other, token, { userId: 7, now: 1_000 }), null);
  const flipped = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
  assert.equal(openActivationToken(box, flipped, { userId: 7, now: 1_000 }), null);
  for (const bad of ['', 'x', 'v1.a.b', `${token}.x`, 'v1.'.repeat(300)])
    assert.equal(openActivationToken(box, bad, { userId: 7, now: 1_000 }), null);
});

test('a value sealed for another purpose (a stored TOTP secret) is not an activation token', () => {
  const stored = box.seal(JSON.stringify({ secret: SECRET, iat: 1_000 }), {
    purpose: 'totp-secret',
    userId: 7,
  });
  assert.equal(openActivationToken(box, stored, { userId: 7, now: 1_000 }), null);
});
