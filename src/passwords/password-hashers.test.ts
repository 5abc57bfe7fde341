import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { Argon2idHasher } from './argon2id.ts';
import { countingHasher, type HasherCalls } from './counting-hasher.ts';
import { DjangoPbkdf2Hasher } from './django-pbkdf2.ts';
import { PasswordHashers } from './password-hashers.ts';
import { makeUnusablePassword } from './unusable-password.ts';

const DJANGO_52 = 'pbkdf2_sha256$1000000$YGaHRYa5HNwQRWf1oEQmHp$AVraCZod/JTLBuvHnmqMn+t6/DA6e01WhBoBl/hHKFc=';
const DJANGO_ARGON2 =
  'argon2$argon2id$v=19$m=102400,t=2,p=8$SHpMRVQ2UFNadENoNWJBVjFLRFBxTA$lxs1vun6IvRl0xekhWxD1Cefxbuf/HX8uNnv/59ykZ8';

describe('PasswordHashers', () => {
  const defaults = new PasswordHashers();
  let calls: HasherCalls;
  let counted: PasswordHashers;
  beforeEach(() => {
    calls = { hash: 0, verify: 0 };
    counted = new PasswordHashers({
      hashers: [countingHasher(new Argon2idHasher(), calls), countingHasher(new DjangoPbkdf2Hasher(), calls)],
    });
  });

  test('the default hasher is argon2id; every Django format verifies and must be updated', async () => {
    assert.equal(defaults.default.algorithm, 'argon2id');
    const encoded = await defaults.hash('correct horse');
    assert.ok(encoded.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'));
    assert.deepEqual(await defaults.verify('correct horse', encoded), { valid: true, mustUpdate: false });
    assert.deepEqual(await defaults.verify('password', DJANGO_52), { valid: true, mustUpdate: true });
    assert.deepEqual(await defaults.verify('password', DJANGO_ARGON2), { valid: true, mustUpdate: true });
    assert.deepEqual(await defaults.verify('wrong', DJANGO_52), { valid: false, mustUpdate: false });
  });

  test('AUTH-02: an unknown or unusable encoding costs exactly one default-hasher verify', async () => {
    const unusable = [
      '',
      makeUnusablePassword(),
      '!',
      'md5$salt$hash',
      'sha1$$hash',
      '$argon2id$garbage',
      'pbkdf2_sha256$x',
    ];
    for (const encoded of unusable) {
      calls.verify = 0;
      assert.deepEqual(await counted.verify('password', encoded), { valid: false, mustUpdate: false });
      assert.equal(calls.verify, 1, JSON.stringify(encoded));
    }
    calls.verify = 0;
    assert.deepEqual(await counted.verify('password', null as unknown as string), {
      valid: false,
      mustUpdate: false,
    });
    assert.equal(calls.verify, 1);
  });

  test('AUTH-02: dummyVerify runs one verify and the dummy hash is made once', async () => {
    assert.equal(await counted.dummyVerify('a'), false);
    assert.equal(await counted.dummyVerify('b'), false);
    await Promise.all([counted.dummyVerify('c'), counted.verify('d', '!x')]);
    assert.deepEqual(calls, { hash: 1, verify: 4 });
  });

  test('AUTH-02: a known encoding costs one verify by its own hasher, right or wrong', async () => {
    assert.deepEqual(await counted.verify('wrong', DJANGO_52), { valid: false, mustUpdate: false });
    assert.deepEqual(await counted.verify('password', DJANGO_52), { valid: true, mustUpdate: true });
    assert.deepEqual(calls, { hash: 0, verify: 2 });
  });

  test('PWD-02: a password over 4096 bytes is never hashed', async () => {
    const tooLong = 'x'.repeat(4097);
    assert.deepEqual(await counted.verify(tooLong, DJANGO_52), { valid: false, mustUpdate: false });
    assert.deepEqual(await counted.verify('😀'.repeat(1025), '!x'), { valid: false, mustUpdate: false });
    assert.equal(await counted.dummyVerify(tooLong), false);
    await assert.rejects(counted.hash(tooLong), RangeError);
    assert.deepEqual(calls, { hash: 0, verify: 0 });
    const max = 'é'.repeat(2048);
    assert.deepEqual(await counted.verify(max, await counted.hash(max)), { valid: true, mustUpdate: false });
  });

  test('PWD-06: a lone surrogate is refused rather than silently replaced by U+FFFD', async () => {
    const encoded = await counted.hash('pw\uFFFD');
    assert.deepEqual(await counted.verify('pw\uD800', encoded), { valid: false, mustUpdate: false });
    await assert.rejects(counted.hash('pw\uD800'), RangeError);
  });

  test('an empty hasher list is a configuration error', () => {
    assert.throws(() => new PasswordHashers({ hashers: [] }), ConfigurationError);
  });
});
