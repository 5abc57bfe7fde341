import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hash as rawHash } from '@node-rs/argon2';
import { DjangoArgon2Hasher } from './django-argon2.ts';

const hasher = new DjangoArgon2Hasher();
// Django 5.2 with argon2-cffi, password `password` (DRF-BEHAVIOR §10.1).
const DJANGO_52 =
  'argon2$argon2id$v=19$m=102400,t=2,p=8$SHpMRVQ2UFNadENoNWJBVjFLRFBxTA$lxs1vun6IvRl0xekhWxD1Cefxbuf/HX8uNnv/59ykZ8';

describe('DjangoArgon2Hasher', () => {
  test("verifies Django 5.2's argon2 hash of `password`", async () => {
    assert.equal(hasher.identifies(DJANGO_52), true);
    assert.equal(await hasher.verify('password', DJANGO_52), true);
    assert.equal(await hasher.verify('Password', DJANGO_52), false);
    assert.equal(hasher.mustUpdate(DJANGO_52), false);
  });

  test('verifies the older argon2i variant (Django before 3.2) and flags it for update', async () => {
    const phc = await rawHash('password', { algorithm: 1, memoryCost: 512, timeCost: 2, parallelism: 2 });
    const legacy = `argon2${phc}`;
    assert.ok(legacy.startsWith('argon2$argon2i$v=19$m=512,t=2,p=2$'), legacy);
    assert.equal(await hasher.verify('password', legacy), true);
    assert.equal(await hasher.verify('passwor', legacy), false);
    assert.equal(hasher.mustUpdate(legacy), true);
    // argon2-cffi before v=19 omitted the version field.
    const unversioned = `argon2${(await rawHash('pw', { algorithm: 1, memoryCost: 512, version: 0 })).replace('v=16$', '')}`;
    assert.equal(await hasher.verify('pw', unversioned), true);
    assert.equal(hasher.mustUpdate(unversioned), true);
  });

  test("hash writes Django's format with Django's defaults and a 22-character salt", async () => {
    const encoded = await hasher.hash('correct horse');
    assert.match(encoded, /^argon2\$argon2id\$v=19\$m=102400,t=2,p=8\$[A-Za-z0-9+/]{30}\$[A-Za-z0-9+/]{43}$/);
    const salt = Buffer.from(encoded.split('$')[4], 'base64').toString('latin1');
    assert.match(salt, /^[A-Za-z0-9]{22}$/);
    assert.equal(await hasher.verify('correct horse', encoded), true);
    assert.equal(hasher.mustUpdate(encoded), false);
  });

  test('does not identify our PHC argon2id strings or malformed ones', async () => {
    for (const bad of [DJANGO_52.slice('argon2'.length), 'argon2$argon2id$garbage', 'argon2', '']) {
      assert.equal(hasher.identifies(bad), false, bad);
      assert.equal(await hasher.verify('password', bad), false);
    }
  });
});
