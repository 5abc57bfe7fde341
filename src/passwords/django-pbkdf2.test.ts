import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { DjangoPbkdf2Hasher } from './django-pbkdf2.ts';

const sha256 = new DjangoPbkdf2Hasher();
const sha1 = new DjangoPbkdf2Hasher({ digest: 'sha1' });

// Django 5.2, password `password` (DRF-BEHAVIOR §10.1).
const DJANGO_52 = 'pbkdf2_sha256$1000000$YGaHRYa5HNwQRWf1oEQmHp$AVraCZod/JTLBuvHnmqMn+t6/DA6e01WhBoBl/hHKFc=';
const DJANGO_52_SHA1 = 'pbkdf2_sha1$1000000$URfKM8hw4Tg4nIjckxWtjm$FlNDsApfcgO7jNm3vi8KDYRbSYI=';
// Computed with Python's hashlib.pbkdf2_hmac, as Django does.
const PY_UNICODE = 'pbkdf2_sha256$100000$seasaltseasaltseasalt1$K1wGf/I6+wrPYAKwCvXyUY84mB5zDwhAFH7k62IR6JA=';
const PY_OLD_SALT = 'pbkdf2_sha256$260000$oldsalt12345$8MIK+9r8xItPsUwxUIQ96oJzWdE/4J00dk43tmMCQNo=';
const PY_SHA1_NUL = 'pbkdf2_sha1$1000$abcdefghijklmnopqrstuv$V1HY7eYo4afcfuUTUzLfrCMVvDY=';

describe('DjangoPbkdf2Hasher', () => {
  test("verifies Django 5.2's pbkdf2_sha256 and pbkdf2_sha1 hashes of `password`", async () => {
    assert.equal(await sha256.verify('password', DJANGO_52), true);
    assert.equal(await sha256.verify('Password', DJANGO_52), false);
    assert.equal(await sha256.verify('password ', DJANGO_52), false);
    assert.equal(await sha1.verify('password', DJANGO_52_SHA1), true);
    assert.equal(await sha1.verify('passwore', DJANGO_52_SHA1), false);
  });

  test('matches hashlib.pbkdf2_hmac for UTF-8, old 12-character salts and NUL bytes', async () => {
    assert.equal(await sha256.verify('pässwörd 密码', PY_UNICODE), true);
    assert.equal(await sha256.verify('passwörd 密码', PY_UNICODE), false);
    assert.equal(await sha256.verify('correct horse battery staple', PY_OLD_SALT), true);
    assert.equal(await sha1.verify('p\u0000w', PY_SHA1_NUL), true);
    assert.equal(await sha1.verify('p', PY_SHA1_NUL), false);
  });

  test("hash writes Django's format: 1,000,000 iterations, 22-character salt, padded base64", async () => {
    const encoded = await sha256.hash('pässwörd');
    assert.match(encoded, /^pbkdf2_sha256\$1000000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
    assert.equal(await sha256.verify('pässwörd', encoded), true);
    assert.equal(sha256.mustUpdate(encoded), false);
  });

  test('mustUpdate for fewer iterations or a salt under 128 bits (Django before 3.2)', () => {
    assert.equal(sha256.mustUpdate(DJANGO_52), false);
    assert.equal(sha256.mustUpdate(PY_UNICODE), true);
    assert.equal(
      sha256.mustUpdate('pbkdf2_sha256$1000000$oldsalt12345$8MIK+9r8xItPsUwxUIQ96oJzWdE/4J00dk43tmMCQNo='),
      true,
    );
    assert.equal(new DjangoPbkdf2Hasher({ iterations: 1_200_000 }).mustUpdate(DJANGO_52), true);
  });

  test('identifies only its own digest and well-formed encodings', async () => {
    assert.equal(sha256.identifies(DJANGO_52), true);
    assert.equal(sha1.identifies(DJANGO_52), false);
    assert.equal(sha256.identifies(DJANGO_52_SHA1), false);
    const bad = [
      '',
      '!x',
      'pbkdf2_sha256$$salt$hash=',
      'pbkdf2_sha256$0100$s$h',
      'pbkdf2_sha256$99999999999$s$h',
      'pbkdf2_sha256$1$s',
    ];
    for (const encoded of bad) {
      assert.equal(sha256.identifies(encoded), false, encoded);
      assert.equal(await sha256.verify('password', encoded), false);
    }
  });

  test('PWD-07: configured iterations below the floor throw ConfigurationError', () => {
    assert.throws(() => new DjangoPbkdf2Hasher({ iterations: 599_999 }), ConfigurationError);
    assert.throws(() => new DjangoPbkdf2Hasher({ digest: 'sha1', iterations: 1_000_000 }), {
      message: 'pbkdf2_sha1 iterations 1000000 is below the floor of 1300000',
    });
    assert.equal(new DjangoPbkdf2Hasher({ iterations: 600_000 }).iterations, 600_000);
  });
});
