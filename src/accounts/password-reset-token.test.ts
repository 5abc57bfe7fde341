import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkResetToken,
  djangoTokenSeconds,
  makeResetToken,
  type ResetTokenUser,
} from './password-reset-token.ts';

// Made by Debian's Django 3.2.25 (whose tokens Django 4.0–5.2 make alike): a PasswordResetTokenGenerator
// subclass whose _now() is datetime.fromtimestamp(NOW_S) in the process time zone (TZ set to TIME_ZONE,
// as Django's settings module does), make_token(User(pk=…, password=…, email=…, last_login=…)).
const SECRET = 'django-insecure-gatehouse-reset-vectors';
const PASSWORD = 'pbkdf2_sha256$260000$abcdefghijklmnopqrstuv$2Zk4VcuzQYPUHhuuE4wUaiLCf5iI2WmaNkpZsNQqm0M=';
const NOW = 1_715_000_000_000; // 2024-05-06T12:53:20Z
const ALICE: ResetTokenUser = {
  id: 42,
  password: PASSWORD,
  email: 'alice@example.com',
  lastLogin: 1_714_000_000_654,
};
const NOBODY: ResetTokenUser = { id: 7, password: PASSWORD, email: null, lastLogin: null };
const VECTORS = {
  // TIME_ZONE = 'UTC', USE_TZ = True, _now() = datetime(2024, 5, 6, 12, 53, 20, 999999)
  utc: 'c6lvsw-01c0cc3e1814d5a74bc6077724f15807',
  // TIME_ZONE = 'Europe/Paris', USE_TZ = True: the timestamp is Paris time (14:53:20), last_login UTC
  paris: 'c6m1cw-804251e75a29e4269d4de47164d82213',
  parisNobody: 'c6m1cw-a0a774178a1ecbc9961ae27e7bae132a',
  parisOldSecret: 'c6m1cw-2a004ca7c47cd38e6cf844068adcc14a', // generator.secret = 'old-secret'
  // TIME_ZONE = 'America/New_York', USE_TZ = False: last_login is naive New York time too
  newYorkNoTz: 'c6lkow-8fb26490a4f56045af3ed94fda63d1b4',
  // Django 3.2's _make_token_with_timestamp(user, ts, legacy=True): SHA-1, which 4.0+ no longer accept
  sha1Legacy: 'c6lvsw-db74b77eb8e6746c4810',
};

describe('makeResetToken', () => {
  test('mints exactly the token Django mints for the same user, secret and time', () => {
    assert.equal(makeResetToken(ALICE, { secret: SECRET, now: NOW + 999 }), VECTORS.utc);
    assert.equal(
      makeResetToken(ALICE, { secret: SECRET, now: NOW, timeZone: 'Europe/Paris' }),
      VECTORS.paris,
    );
    assert.equal(
      makeResetToken(NOBODY, { secret: SECRET, now: NOW, timeZone: 'Europe/Paris' }),
      VECTORS.parisNobody,
    );
    const noTz = { secret: SECRET, now: NOW, timeZone: 'America/New_York', useTz: false };
    assert.equal(makeResetToken(ALICE, noTz), VECTORS.newYorkNoTz);
  });

  test("the timestamp is seconds since 2001-01-01 on Django's wall clock", () => {
    assert.equal(djangoTokenSeconds(Date.UTC(2024, 0, 1)), 725_760_000);
    assert.equal(djangoTokenSeconds(Date.UTC(2024, 0, 1), 'Europe/Paris'), 725_760_000 + 3600);
    assert.equal(
      djangoTokenSeconds(Date.UTC(2024, 6, 1), 'Europe/Paris') - djangoTokenSeconds(Date.UTC(2024, 6, 1)),
      7200,
    );
    assert.equal(djangoTokenSeconds(NOW + 999), Number.parseInt('c6lvsw', 36));
    assert.throws(() => djangoTokenSeconds(NOW, 'Mars/Olympus_Mons'), RangeError);
  });
});

describe('checkResetToken', () => {
  const at = (now: number, extra: object = {}) => ({ secrets: [SECRET], now, ...extra });

  test("accepts Django's tokens", () => {
    assert.equal(checkResetToken(ALICE, VECTORS.utc, at(NOW)), true);
    assert.equal(checkResetToken(ALICE, VECTORS.paris, at(NOW, { timeZone: 'Europe/Paris' })), true);
    assert.equal(checkResetToken(NOBODY, VECTORS.parisNobody, at(NOW, { timeZone: 'Europe/Paris' })), true);
    const noTz = at(NOW, { timeZone: 'America/New_York', useTz: false });
    assert.equal(checkResetToken(ALICE, VECTORS.newYorkNoTz, noTz), true);
  });

  test('AUTH-11: a new password, a login or a new e-mail voids the token; so does another user', () => {
    const checks = [
      { ...ALICE, password: `${PASSWORD.slice(0, -2)}x=` },
      { ...ALICE, lastLogin: ALICE.lastLogin! + 1000 },
      { ...ALICE, email: 'mallory@example.com' },
      { ...ALICE, id: 43 },
      { ...ALICE, id: '42 ' },
    ];
    for (const user of checks) assert.equal(checkResetToken(user, VECTORS.utc, at(NOW)), false);
    // The same second of last_login is the same token: Django drops the microseconds.
    assert.equal(checkResetToken({ ...ALICE, lastLogin: 1_714_000_000_001 }, VECTORS.utc, at(NOW)), true);
  });

  test('expires once now − timestamp > PASSWORD_RESET_TIMEOUT (three days by default)', () => {
    const ts = Date.UTC(2024, 4, 6, 12, 53, 20);
    assert.equal(checkResetToken(ALICE, VECTORS.utc, at(ts + 259_200_999)), true);
    assert.equal(checkResetToken(ALICE, VECTORS.utc, at(ts + 259_201_000)), false);
    assert.equal(checkResetToken(ALICE, VECTORS.utc, at(ts + 3_600_999, { timeout: 3600 })), true);
    assert.equal(checkResetToken(ALICE, VECTORS.utc, at(ts + 3_601_000, { timeout: 3600 })), false);
  });

  test("the age is read on Django's wall clock: the wrong time zone shifts the expiry by its offset", () => {
    const ts = Date.UTC(2024, 4, 6, 12, 53, 20);
    const paris = { timeZone: 'Europe/Paris' };
    assert.equal(checkResetToken(ALICE, VECTORS.paris, at(ts + 259_200_999, paris)), true);
    assert.equal(checkResetToken(ALICE, VECTORS.paris, at(ts + 259_201_000, paris)), false);
    // Read as UTC, a token stamped on Paris summer time looks two hours younger than it is.
    assert.equal(checkResetToken(ALICE, VECTORS.paris, at(ts + 259_201_000 + 7_199_000)), true);
    assert.equal(checkResetToken(ALICE, VECTORS.paris, at(ts + 259_201_000 + 7_200_000)), false);
  });

  test('SECRET_KEY_FALLBACKS: an old secret still verifies; a secret not given does not', () => {
    const paris = { timeZone: 'Europe/Paris' };
    assert.equal(
      checkResetToken(ALICE, VECTORS.parisOldSecret, { secrets: [SECRET, 'old-secret'], now: NOW, ...paris }),
      true,
    );
    assert.equal(
      checkResetToken(ALICE, VECTORS.parisOldSecret, { secrets: [SECRET], now: NOW, ...paris }),
      false,
    );
    assert.equal(checkResetToken(ALICE, VECTORS.utc, { secrets: [], now: NOW }), false);
  });

  test("refuses Django 3.2's legacy SHA-1 tokens, as Django ≥ 4.0 does", () => {
    assert.equal(checkResetToken(ALICE, VECTORS.sha1Legacy, at(NOW)), false);
  });

  test('malformed tokens are false, never a throw', () => {
    const bad = [
      '',
      '-',
      'c6lvsw',
      `${VECTORS.utc}-x`,
      VECTORS.utc.toUpperCase(),
      ` ${VECTORS.utc}`,
      `0${VECTORS.utc}`,
      `c6lvsw-${'0'.repeat(31)}`,
      `zzzzzzzzzzzzz-${'0'.repeat(32)}`,
      `${'z'.repeat(14)}-${'0'.repeat(32)}`,
      'x'.repeat(10_000),
      null,
      42,
    ];
    for (const token of bad)
      assert.equal(checkResetToken(ALICE, token as string, at(NOW)), false, String(token));
  });

  test('a key salt keeps another link kind apart (activation is never a reset)', () => {
    const activation = makeResetToken(ALICE, { secret: SECRET, now: NOW, keySalt: 'gatehouse.activation' });
    assert.equal(checkResetToken(ALICE, activation, at(NOW)), false);
    assert.equal(checkResetToken(ALICE, activation, at(NOW, { keySalt: 'gatehouse.activation' })), true);
  });
});
