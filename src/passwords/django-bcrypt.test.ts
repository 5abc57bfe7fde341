import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { DjangoBcryptHasher } from './django-bcrypt.ts';

const sha256 = new DjangoBcryptHasher();
const plain = new DjangoBcryptHasher({ sha256: false });

// Made by Debian's Django 3.2.25 with pyca/bcrypt 3.2.2:
// make_password(pw, hasher='bcrypt_sha256') and make_password(pw, hasher='bcrypt') (12 rounds).
const DJANGO_SHA256 = 'bcrypt_sha256$$2b$12$ZHLaM6HE1mqAOf1qAJCw.uPEfYXYy6efQ9Yx6r1ycN963fGCKnAzS';
const DJANGO_SHA256_UTF8 = 'bcrypt_sha256$$2b$12$lnOXLBdCrNNIzA0LyfX3ou9TQmbey0vQBBTRo30jjNnUB1Jtd.YF2';
const DJANGO_PLAIN = 'bcrypt$$2b$12$GnvIYEpU4GqRgntg3uO2G.UsH/dNORq5AUxLHi25ELEQxfooCsQly';
// The same Django, get_hasher(name).encode(pw, salt) with a 4-round salt of the prefix named
// (`$2a$` as older bcrypt libraries wrote, `$2y$` as PHP's), to keep the suite fast.
const DJANGO_SHA256_2A = 'bcrypt_sha256$$2a$04$Y40ZH9nsoUnDVfSuXVal1.GGw.0BgtbG9/H0.p982ecMaIEDIMVIG';
const DJANGO_SHA256_2Y = 'bcrypt_sha256$$2y$04$4eq7J/7FQcmZsmbhQwnR7OMp9HvW64IeuxpiFyEspgz/69t.riT0.';
const DJANGO_PLAIN_4 = 'bcrypt$$2b$04$jvwz8j1H1FYW85kSCx1wSOW6ONluyWUCVxTu1uTEvWVJ8.9Kz3wYu';
const DJANGO_PLAIN_UTF8 = 'bcrypt$$2b$04$gwv4UQgsslr5Sb13OluFsugoi.2yh8juxqE4ZyCeBmnrZVym6/z02';
// LONG is 116 bytes: Django's bcrypt_sha256 keeps all of it; its plain bcrypt kept only 72.
const LONG = 'correct horse battery staple '.repeat(4);
const DJANGO_SHA256_LONG = 'bcrypt_sha256$$2b$04$QgUI.hpFZk6tNNdNnrKMFuUK/50G6I411ShT8U/gs1k9A9ZO2dyOq';
const DJANGO_PLAIN_LONG = 'bcrypt$$2b$04$C4AoHsU77Q0vhggyJyAGDeRbMeYbEiKd35lucU4o5Cty1yHCH.dOm';

describe('DjangoBcryptHasher', () => {
  test("verifies Django's bcrypt_sha256 and bcrypt hashes (12 rounds, `$2b$`)", async () => {
    assert.equal(await sha256.verify('password', DJANGO_SHA256), true);
    assert.equal(await sha256.verify('Password', DJANGO_SHA256), false);
    assert.equal(await sha256.verify('pässwörd 密码', DJANGO_SHA256_UTF8), true);
    assert.equal(await plain.verify('password', DJANGO_PLAIN), true);
    assert.equal(await plain.verify('password ', DJANGO_PLAIN), false);
  });

  test('reads the `$2a$` and `$2y$` prefixes and UTF-8 passwords', async () => {
    assert.equal(await sha256.verify('password', DJANGO_SHA256_2A), true);
    assert.equal(await sha256.verify('password', DJANGO_SHA256_2Y), true);
    assert.equal(await sha256.verify('passworD', DJANGO_SHA256_2Y), false);
    assert.equal(await plain.verify('password', DJANGO_PLAIN_4), true);
    assert.equal(await plain.verify('pässwörd 密码', DJANGO_PLAIN_UTF8), true);
    assert.equal(await plain.verify('passwörd 密码', DJANGO_PLAIN_UTF8), false);
  });

  test('PWD-03: bcrypt_sha256 never truncates; plain bcrypt refuses what it would truncate', async () => {
    assert.equal(await sha256.verify(LONG, DJANGO_SHA256_LONG), true);
    assert.equal(await sha256.verify(LONG.slice(0, 72), DJANGO_SHA256_LONG), false);
    assert.equal(await sha256.verify(`${LONG.slice(0, -1)}!`, DJANGO_SHA256_LONG), false);
    // Django accepts both LONG and its first 72 bytes here; only one of them may match.
    assert.equal(await plain.verify(LONG.slice(0, 72), DJANGO_PLAIN_LONG), true);
    assert.equal(await plain.verify(LONG, DJANGO_PLAIN_LONG), false);
    assert.equal(await plain.verify(`${LONG.slice(0, 72)}x`, DJANGO_PLAIN_LONG), false);
    await assert.rejects(plain.hash('x'.repeat(73)), RangeError);
    await assert.rejects(plain.hash('pass\u0000word'), RangeError);
    assert.equal(await plain.verify('pass\u0000word', await plain.hash('pass')), false);
  });

  test("hash writes Django's format at 12 rounds and verifies", async () => {
    const encoded = await sha256.hash('pässwörd');
    assert.match(encoded, /^bcrypt_sha256\$\$2b\$12\$[./A-Za-z0-9]{53}$/);
    assert.equal(await sha256.verify('pässwörd', encoded), true);
    assert.equal(sha256.mustUpdate(encoded), false);
    const plainEncoded = await plain.hash('x'.repeat(72));
    assert.match(plainEncoded, /^bcrypt\$\$2b\$12\$[./A-Za-z0-9]{53}$/);
    assert.equal(await plain.verify('x'.repeat(72), plainEncoded), true);
  });

  test('the salt comes from the injected randomness', async () => {
    const zeros = { bytes: (n: number) => Buffer.alloc(n), string: () => '' };
    const hasher = new DjangoBcryptHasher({ random: zeros, rounds: 10 });
    assert.equal((await hasher.hash('a')).slice(0, 43), 'bcrypt_sha256$$2b$10$......................');
  });

  test('mustUpdate below the configured rounds', () => {
    assert.equal(sha256.mustUpdate(DJANGO_SHA256), false);
    assert.equal(sha256.mustUpdate(DJANGO_SHA256_2A), true);
    assert.equal(new DjangoBcryptHasher({ rounds: 13 }).mustUpdate(DJANGO_SHA256), true);
  });

  test('identifies only its own variant and well-formed encodings', async () => {
    assert.equal(sha256.identifies(DJANGO_SHA256), true);
    assert.equal(plain.identifies(DJANGO_SHA256), false);
    assert.equal(sha256.identifies(DJANGO_PLAIN), false);
    const bad = [
      '',
      'bcrypt_sha256$2b$12$ZHLaM6HE1mqAOf1qAJCw.uPEfYXYy6efQ9Yx6r1ycN963fGCKnAzS',
      'bcrypt_sha256$$2x$12$ZHLaM6HE1mqAOf1qAJCw.uPEfYXYy6efQ9Yx6r1ycN963fGCKnAzS',
      'bcrypt_sha256$$2b$03$ZHLaM6HE1mqAOf1qAJCw.uPEfYXYy6efQ9Yx6r1ycN963fGCKnAzS',
      'bcrypt_sha256$$2b$32$ZHLaM6HE1mqAOf1qAJCw.uPEfYXYy6efQ9Yx6r1ycN963fGCKnAzS',
      'bcrypt_sha256$$2b$12$ZHLaM6HE1mqAOf1qAJCw.uPEfYXYy6efQ9Yx6r1ycN963fGCKnAz',
      `${DJANGO_SHA256}S`,
      'bcrypt_sha256$$2b$12$ZHLaM6HE1mqAOf1qAJCw.uPEfYXYy6efQ9Yx6r1ycN963fGCKnAz$',
    ];
    for (const encoded of bad) {
      assert.equal(sha256.identifies(encoded), false, encoded);
      assert.equal(await sha256.verify('password', encoded), false);
    }
  });

  test('PWD-07: rounds below 10 are a configuration error', () => {
    assert.throws(() => new DjangoBcryptHasher({ rounds: 9 }), ConfigurationError);
    assert.throws(() => new DjangoBcryptHasher({ sha256: false, rounds: 32 }), {
      message: 'bcrypt rounds must be an integer from 10 to 31, got 32',
    });
  });
});
