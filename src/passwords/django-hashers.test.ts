/**
 * Every format a Django 3.2–5.2 user table can hold, through the default
 * `PasswordHashers` and `verifyCredentials`: what a `npx gatehouse importdjango`
 * user meets on the first login.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { MemoryUserStore } from '../stores/memory/user-store.ts';
import { Argon2idHasher } from './argon2id.ts';
import { countingHasher, type HasherCalls } from './counting-hasher.ts';
import { DjangoBcryptHasher } from './django-bcrypt.ts';
import { DjangoSaltedDigestHasher } from './django-salted-digest.ts';
import { DjangoUnsaltedDigestHasher } from './django-unsalted-digest.ts';
import { PasswordHashers } from './password-hashers.ts';
import { verifyCredentials } from './verify-credentials.ts';

// Made by Debian's Django 3.2.25 (pyca/bcrypt 3.2.2) with make_password('password', hasher=NAME);
// the bcrypt ones with get_hasher(NAME).encode('password', <a 4-round salt>) to keep the suite fast.
const DJANGO = {
  bcrypt_sha256: 'bcrypt_sha256$$2a$04$Y40ZH9nsoUnDVfSuXVal1.GGw.0BgtbG9/H0.p982ecMaIEDIMVIG',
  bcrypt: 'bcrypt$$2b$04$jvwz8j1H1FYW85kSCx1wSOW6ONluyWUCVxTu1uTEvWVJ8.9Kz3wYu',
  md5: 'md5$qQKj5HFiFz12tOO6XhewSb$51120888a301da59bb0e9667cd6d4fb7',
  sha1: 'sha1$ZMi7FPYYKM4KXJPj9b3OMh$57c9f512188869555752282cb532c9327e581c15',
  unsalted_md5: '5f4dcc3b5aa765d61d8327deb882cf99',
  'unsalted_md5 (md5$$)': 'md5$$5f4dcc3b5aa765d61d8327deb882cf99',
  unsalted_sha1: 'sha1$$5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8',
};
// Django 3.2's CryptPasswordHasher (DES crypt(3) of 'password'): not read, so it never matches.
const DJANGO_CRYPT = 'crypt$$8jHpCD5eXWF3k';
// make_password(None) and the empty string of a user created without a password.
const UNUSABLE = ['!FuaOq0HTjb8pCXmLGH9bPXqbBPVyxniH6BIxlWgR', ''];

const LEGACY = () => [
  new DjangoSaltedDigestHasher({ digest: 'md5' }),
  new DjangoSaltedDigestHasher({ digest: 'sha1' }),
  new DjangoUnsaltedDigestHasher({ digest: 'md5' }),
  new DjangoUnsaltedDigestHasher({ digest: 'sha1' }),
];

describe("Django's bcrypt and legacy formats", () => {
  const defaults = new PasswordHashers();

  test('the default hashers verify each, and each must be updated', async () => {
    for (const [name, encoded] of Object.entries(DJANGO)) {
      assert.deepEqual(await defaults.verify('password', encoded), { valid: true, mustUpdate: true }, name);
      assert.deepEqual(await defaults.verify('passworD', encoded), { valid: false, mustUpdate: false }, name);
    }
  });

  test('crypt, unusable and empty passwords never match', async () => {
    for (const encoded of [DJANGO_CRYPT, ...UNUSABLE]) {
      assert.deepEqual(await defaults.verify('password', encoded), { valid: false, mustUpdate: false });
      assert.deepEqual(await defaults.verify('', encoded), { valid: false, mustUpdate: false });
    }
  });

  test('a legacy hasher cannot be the default: it never makes hashes', () => {
    assert.throws(
      () => new PasswordHashers({ hashers: [new DjangoUnsaltedDigestHasher({ digest: 'md5' })] }),
      {
        name: 'ConfigurationError',
        message: 'unsalted_md5 is verify-only and cannot be the default hasher',
      },
    );
  });

  describe('AUTH-02 and PWD-08 with a counting default hasher', () => {
    let calls: HasherCalls;
    let hashers: PasswordHashers;
    beforeEach(() => {
      calls = { hash: 0, verify: 0 };
      hashers = new PasswordHashers({
        hashers: [
          countingHasher(new Argon2idHasher(), calls),
          new DjangoBcryptHasher(),
          new DjangoBcryptHasher({ sha256: false }),
          ...LEGACY(),
        ],
      });
    });

    test('a wrong password against a legacy hash costs one default-hasher verify', async () => {
      for (const name of ['md5', 'sha1', 'unsalted_md5', 'unsalted_md5 (md5$$)', 'unsalted_sha1'] as const) {
        calls.verify = 0;
        assert.deepEqual(await hashers.verify('wrong', DJANGO[name]), { valid: false, mustUpdate: false });
        assert.equal(calls.verify, 1, name);
      }
    });

    test('crypt and unusable passwords cost one default-hasher verify too', async () => {
      for (const encoded of [DJANGO_CRYPT, ...UNUSABLE]) {
        calls.verify = 0;
        assert.deepEqual(await hashers.verify('password', encoded), { valid: false, mustUpdate: false });
        assert.equal(calls.verify, 1, encoded);
      }
    });

    test('a bcrypt hash is its own work: a wrong password runs no extra default verify', async () => {
      assert.deepEqual(await hashers.verify('wrong', DJANGO.bcrypt_sha256), {
        valid: false,
        mustUpdate: false,
      });
      assert.equal(calls.verify, 0);
    });

    test('the first login with each Django format rehashes it to argon2id at once', async () => {
      const users = new MemoryUserStore();
      for (const [name, encoded] of Object.entries(DJANGO)) {
        const username = name.replace(/\W/g, '_');
        await users.create({ username, email: '', password: encoded, dateJoined: 0 });
        calls.hash = 0;
        const user = await verifyCredentials({ users, hashers }, username, 'password');
        assert.ok(user !== null, name);
        assert.ok(user.password.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'), name);
        assert.equal(calls.hash, 1);
        assert.equal((await users.getByUsername(username))?.password, user.password);
        assert.deepEqual(await hashers.verify('password', user.password), { valid: true, mustUpdate: false });
      }
    });

    test('an inactive md5 user with a wrong password costs what an unknown user costs', async () => {
      const users = new MemoryUserStore();
      await users.create({
        username: 'old',
        email: '',
        password: DJANGO.md5,
        isActive: false,
        dateJoined: 0,
      });
      calls.verify = 0;
      assert.equal(await verifyCredentials({ users, hashers }, 'old', 'wrong'), null);
      assert.equal(calls.verify, 1);
      calls.verify = 0;
      assert.equal(await verifyCredentials({ users, hashers }, 'nobody', 'wrong'), null);
      assert.equal(calls.verify, 1);
    });
  });
});
