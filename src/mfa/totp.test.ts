import assert from 'node:assert/strict';
import { test } from 'node:test';
import { URI } from 'otpauth';
import { cryptoRandom, type Random } from '../internal/random.ts';
import { createFakeClock } from '../testing/fake-clock.ts';
import { generateTotpSecret, totpCode, totpStep, totpUri, verifyTotp } from './totp.ts';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const RFC_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
// The appendix's 8-digit values, truncated to 6 digits (the value mod 10^6 is its last six digits).
const RFC_VECTORS: [seconds: number, code: string][] = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

test('RFC 6238 appendix B: the SHA-1 vectors, truncated to six digits', () => {
  assert.equal(
    Buffer.from('12345678901234567890').toString('hex'),
    '3132333435363738393031323334353637383930',
  );
  for (const [seconds, code] of RFC_VECTORS) {
    assert.equal(totpCode(RFC_SEED, seconds * 1000), code, `T=${seconds}`);
    assert.equal(
      verifyTotp(RFC_SEED, code, { now: seconds * 1000 }),
      Math.floor(seconds / 30),
      `T=${seconds}`,
    );
  }
});

test('a code is accepted from the step before its own to the step after, and not a millisecond beyond', () => {
  const step = 40_000_000;
  const code = totpCode(RFC_SEED, step * 30_000);
  const at = (ms: number) => verifyTotp(RFC_SEED, code, { now: ms });
  assert.equal(at((step - 1) * 30_000 - 1), null, 'two steps early');
  assert.equal(at((step - 1) * 30_000), step, 'first millisecond of the step before');
  assert.equal(at(step * 30_000 + 12_345), step, 'its own step');
  assert.equal(at((step + 2) * 30_000 - 1), step, 'last millisecond of the step after');
  assert.equal(at((step + 2) * 30_000), null, 'two steps late');
});

test('the window follows an injected clock', () => {
  const clock = createFakeClock(Date.UTC(2026, 0, 1));
  const secret = generateTotpSecret(cryptoRandom);
  const code = totpCode(secret, clock.now());
  const step = totpStep(clock.now());
  assert.equal(verifyTotp(secret, code, { now: clock.now() }), step);
  clock.advance(30_000);
  assert.equal(verifyTotp(secret, code, { now: clock.now() }), step);
  clock.advance(30_000);
  assert.equal(verifyTotp(secret, code, { now: clock.now() }), null);
});

test('a TOTP code is accepted once: the same step again is refused, the next step is not', () => {
  const now = 1_700_000_000_000;
  const step = totpStep(now);
  const code = totpCode(RFC_SEED, now);
  const used = verifyTotp(RFC_SEED, code, { now });
  assert.equal(used, step);
  assert.equal(verifyTotp(RFC_SEED, code, { now, lastUsedStep: used }), null, 'replay in the same window');
  assert.equal(
    verifyTotp(RFC_SEED, code, { now: now + 30_000, lastUsedStep: used }),
    null,
    'replay a step later',
  );
  const next = totpCode(RFC_SEED, now + 30_000);
  assert.equal(verifyTotp(RFC_SEED, next, { now, lastUsedStep: used }), step + 1, 'the next code, early');
  const previous = totpCode(RFC_SEED, now - 30_000);
  assert.equal(verifyTotp(RFC_SEED, previous, { now, lastUsedStep: used }), null, 'an older code');
  assert.equal(verifyTotp(RFC_SEED, previous, { now, lastUsedStep: null }), step - 1);
});

test('a code is six ASCII digits once spaces are dropped; nothing else is compared', () => {
  const now = 59_000;
  for (const accepted of ['287082', '287 082', ' 287082 ', '2 8 7 0 8 2']) {
    assert.equal(verifyTotp(RFC_SEED, accepted, { now }), 1, JSON.stringify(accepted));
  }
  const refused = [
    '',
    '28708',
    '2870820',
    '287082\n',
    '\t287082',
    '287-082',
    '２８７０８２', // fullwidth digits, which NFKC (pyotp) would turn into 287082
    '٢٨٧٠٨٢', // Arabic-Indic digits
    `${' '.repeat(30)}287082`, // over the length cap before the spaces are dropped
    'x'.repeat(1_000_000),
  ];
  for (const code of refused) assert.equal(verifyTotp(RFC_SEED, code, { now }), null, JSON.stringify(code));
  assert.equal(
    verifyTotp(RFC_SEED, 287082 as unknown as string, { now }),
    null,
    'a JSON number is not a code',
  );
});

test('a new secret is 160 bits from the injected randomness, base32 without padding', () => {
  const fixed: Random = { bytes: (n) => Buffer.alloc(n, 0xff), string: () => '' };
  assert.equal(generateTotpSecret(fixed), '7'.repeat(32));
  const seed: Random = { bytes: () => Buffer.from('12345678901234567890'), string: () => '' };
  assert.equal(generateTotpSecret(seed), RFC_SEED);
  const secrets = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const secret = generateTotpSecret(cryptoRandom);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    secrets.add(secret);
  }
  assert.equal(secrets.size, 1000);
});

test('the provisioning URL carries the label, the secret and every parameter', () => {
  assert.equal(
    totpUri({ secret: RFC_SEED, account: 'alice', issuer: 'Gatehouse' }),
    `otpauth://totp/Gatehouse:alice?secret=${RFC_SEED}&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30`,
  );
  assert.equal(
    totpUri({ secret: RFC_SEED, account: 'alice@example.com', issuer: 'Acme Co' }),
    `otpauth://totp/Acme%20Co:alice%40example.com?secret=${RFC_SEED}&issuer=Acme%20Co&algorithm=SHA1&digits=6&period=30`,
  );
});

test('label parts are percent-encoded on their own, so a slash, ampersand or equals sign cannot split them', () => {
  const uri = totpUri({ secret: RFC_SEED, account: 'bob:admin/x&y=1', issuer: 'A/B&C' });
  assert.equal(
    uri,
    `otpauth://totp/A%2FB%26C:bob%3Aadmin%2Fx%26y%3D1?secret=${RFC_SEED}&issuer=A%2FB%26C&algorithm=SHA1&digits=6&period=30`,
  );
  // An independent parser (otpauth's) reads back what we wrote. Apps split the
  // label at its first colon, encoded or not, so only the account may hold one.
  const parsed = URI.parse(uri);
  assert.equal(parsed.issuer, 'A/B&C');
  assert.equal(parsed.label, 'bob:admin/x&y=1');
  assert.equal(parsed.secret.base32, RFC_SEED);
  assert.equal(parsed.algorithm, 'SHA1');
  assert.equal(parsed.digits, 6);
  assert.equal((parsed as { period?: number }).period, 30);
});

test('an issuer with a colon is a configuration error', () => {
  assert.throws(() => totpUri({ secret: RFC_SEED, account: 'alice', issuer: 'Acme: Staging' }), {
    name: 'ConfigurationError',
  });
});
