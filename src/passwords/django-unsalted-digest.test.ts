import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DjangoUnsaltedDigestHasher } from './django-unsalted-digest.ts';

const md5 = new DjangoUnsaltedDigestHasher({ digest: 'md5' });
const sha1 = new DjangoUnsaltedDigestHasher({ digest: 'sha1' });

// Made by Debian's Django 3.2.25: make_password(pw, hasher='unsalted_md5') and
// make_password(pw, hasher='unsalted_sha1'); check_password accepts `md5$$` + the bare MD5 too.
const DJANGO_MD5 = '5f4dcc3b5aa765d61d8327deb882cf99';
const DJANGO_MD5_EMPTY_SALT = 'md5$$5f4dcc3b5aa765d61d8327deb882cf99';
const DJANGO_MD5_UTF8 = '7d08890fd895d6f40ea1f56ebed896c1';
const DJANGO_SHA1 = 'sha1$$5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8';
const DJANGO_SHA1_UTF8 = 'sha1$$aa911e70a3ae3520291b2d02a8142d8f7401949d';

describe('DjangoUnsaltedDigestHasher', () => {
  test("verifies Django's bare MD5, `md5$$` MD5 and `sha1$$` SHA-1", async () => {
    assert.equal(await md5.verify('password', DJANGO_MD5), true);
    assert.equal(await md5.verify('password', DJANGO_MD5_EMPTY_SALT), true);
    assert.equal(await md5.verify('Password', DJANGO_MD5), false);
    assert.equal(await md5.verify('pässwörd 密码', DJANGO_MD5_UTF8), true);
    assert.equal(await sha1.verify('password', DJANGO_SHA1), true);
    assert.equal(await sha1.verify('passwor', DJANGO_SHA1), false);
    assert.equal(await sha1.verify('pässwörd 密码', DJANGO_SHA1_UTF8), true);
  });

  test("carries Django's algorithm names and is legacy (verify-only, always updated)", async () => {
    assert.equal(md5.algorithm, 'unsalted_md5');
    assert.equal(sha1.algorithm, 'unsalted_sha1');
    assert.equal(md5.legacy, true);
    assert.equal(md5.mustUpdate(DJANGO_MD5), true);
    assert.equal(sha1.mustUpdate(DJANGO_SHA1), true);
    await assert.rejects(sha1.hash('password'), {
      message: "Django's unsalted_sha1 hasher is verify-only (PWD-07)",
    });
  });

  test('identifies exactly the lengths Django does, in lowercase hex', async () => {
    assert.equal(md5.identifies(DJANGO_SHA1), false);
    assert.equal(sha1.identifies(DJANGO_MD5), false);
    assert.equal(sha1.identifies(DJANGO_MD5_EMPTY_SALT), false);
    const bad = [
      '',
      '5F4DCC3B5AA765D61D8327DEB882CF99',
      '5f4dcc3b5aa765d61d8327deb882cf9',
      '5f4dcc3b5aa765d61d8327deb882cf99 ',
      'md5$5f4dcc3b5aa765d61d8327deb882cf99',
      'md5$$$5f4dcc3b5aa765d61d8327deb882cf99',
      'sha1$$5f4dcc3b5aa765d61d8327deb882cf99',
    ];
    for (const encoded of bad) {
      assert.equal(md5.identifies(encoded), false, encoded);
      assert.equal(await md5.verify('password', encoded), false);
    }
    assert.equal(sha1.identifies('sha1$x$5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8'), false);
  });
});
