import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { DjangoSaltedDigestHasher } from './django-salted-digest.ts';

const md5 = new DjangoSaltedDigestHasher({ digest: 'md5' });
const sha1 = new DjangoSaltedDigestHasher({ digest: 'sha1' });

// Made by Debian's Django 3.2.25: make_password(pw, hasher='md5') and make_password(pw, hasher='sha1').
const DJANGO_MD5 = 'md5$qQKj5HFiFz12tOO6XhewSb$51120888a301da59bb0e9667cd6d4fb7';
const DJANGO_MD5_UTF8 = 'md5$WQGpMe7TZYBJHmXlepJjdU$4dadd527c296a50d4414956e4bf12a3d';
const DJANGO_SHA1 = 'sha1$ZMi7FPYYKM4KXJPj9b3OMh$57c9f512188869555752282cb532c9327e581c15';
const DJANGO_SHA1_UTF8 = 'sha1$gZGqLpaiLsLlYiybAk0ViA$d548f450d34d1ee912e119483d6e13bafb5cd1d2';
// Django before 1.4 wrote 5-hex-character salts: hashlib.sha1(b'a2c4e' + b'password').hexdigest(),
// which Django 3.2.25's check_password accepts.
const OLD_SHA1 = 'sha1$a2c4e$f74aeb8b9b499bf70349dbf366600777558a3dc1';

describe('DjangoSaltedDigestHasher', () => {
  test("verifies Django's salted md5 and sha1 hashes", async () => {
    assert.equal(await md5.verify('password', DJANGO_MD5), true);
    assert.equal(await md5.verify('Password', DJANGO_MD5), false);
    assert.equal(await md5.verify('pässwörd 密码', DJANGO_MD5_UTF8), true);
    assert.equal(await sha1.verify('password', DJANGO_SHA1), true);
    assert.equal(await sha1.verify('password ', DJANGO_SHA1), false);
    assert.equal(await sha1.verify('pässwörd 密码', DJANGO_SHA1_UTF8), true);
  });

  test('reads the short salts of Django before 1.4', async () => {
    assert.equal(await sha1.verify('password', OLD_SHA1), true);
    assert.equal(await sha1.verify('passwore', OLD_SHA1), false);
  });

  test('is legacy: verify-only, and every match must be updated at once', async () => {
    assert.equal(md5.legacy, true);
    assert.equal(md5.mustUpdate(DJANGO_MD5), true);
    assert.equal(sha1.mustUpdate(DJANGO_SHA1), true);
    await assert.rejects(md5.hash('password'), { message: "Django's md5 hasher is verify-only (PWD-07)" });
  });

  test('identifies only its own digest and well-formed encodings', async () => {
    assert.equal(md5.identifies(DJANGO_MD5), true);
    assert.equal(sha1.identifies(DJANGO_MD5), false);
    assert.equal(md5.identifies(DJANGO_SHA1), false);
    const bad = [
      '',
      'md5$$5f4dcc3b5aa765d61d8327deb882cf99', // empty salt: unsalted_md5's
      'md5$qQKj5HFiFz12tOO6XhewSb$51120888A301DA59BB0E9667CD6D4FB7',
      'md5$qQKj5HFiFz12tOO6XhewSb$51120888a301da59bb0e9667cd6d4fb',
      'md5$a$b$51120888a301da59bb0e9667cd6d4fb7',
      `md5$${'s'.repeat(101)}$51120888a301da59bb0e9667cd6d4fb7`,
      'MD5$qQKj5HFiFz12tOO6XhewSb$51120888a301da59bb0e9667cd6d4fb7',
    ];
    for (const encoded of bad) {
      assert.equal(md5.identifies(encoded), false, encoded);
      assert.equal(await md5.verify('password', encoded), false);
    }
  });

  test('a password over 4096 bytes or with a lone surrogate never matches', async () => {
    const tooLong = 'x'.repeat(4097);
    const encoded = `md5$salt$${createHash('md5').update(`salt${tooLong}`).digest('hex')}`;
    assert.equal(await md5.verify(tooLong, encoded), false);
    assert.equal(await md5.verify('\uD800', DJANGO_MD5), false);
  });
});
