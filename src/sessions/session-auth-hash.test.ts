import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionAuthHash, sessionAuthHashKey } from './session-auth-hash.ts';

// Vectors computed with Django 3.2's salted_hmac(
//   'django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash', password, algorithm='sha256'),
// and checked against a plain Python hmac/hashlib computation of the same.
const SECRET_KEY = 'django-insecure-gatehouse-test-vector-key';
const PBKDF2 = 'pbkdf2_sha256$1000000$abcdefghijklmnopqrstuv$2Zk4VcuzQYPUHhuuE4wUaiLCf5iI2WmaNkpZsNQqm0M=';
const ARGON2 = 'argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$aGFzaGhhc2g';

test("the session auth hash equals Django's get_session_auth_hash()", () => {
  const key = sessionAuthHashKey(SECRET_KEY);
  assert.equal(
    sessionAuthHash(PBKDF2, key),
    'a25ab805e348976567eea7c45875eaf5749b41b9221345e83d582cb02f5311ae',
  );
  assert.equal(
    sessionAuthHash(ARGON2, key),
    '36fb8a97abc48291a0f667dfa0838b35a900ae2634494abb60b7840a61542023',
  );
});

test('an unusable (empty) password still hashes, to a value no real password gives', () => {
  assert.equal(
    sessionAuthHash('', sessionAuthHashKey(SECRET_KEY)),
    '491f9ee7fe57986acd16969e8e82ce2010ba28bcd4e4064d638c939270be54b2',
  );
});

test('the secret key and the password hash are UTF-8 encoded, as Django force_bytes does', () => {
  assert.equal(
    sessionAuthHash('pässword', sessionAuthHashKey('sécret')),
    '67c7f0cf61ae8810ea3dcaf8ee067aa4ad1efe6093aaedd91945b6ade90a1374',
  );
});

test('a password change changes the hash, so old sessions no longer match', () => {
  const key = sessionAuthHashKey(SECRET_KEY);
  assert.notEqual(sessionAuthHash(PBKDF2, key), sessionAuthHash(`${PBKDF2.slice(0, -2)}x=`, key));
});

test('a different SECRET_KEY gives a different hash', () => {
  assert.notEqual(
    sessionAuthHash(PBKDF2, sessionAuthHashKey(SECRET_KEY)),
    sessionAuthHash(PBKDF2, sessionAuthHashKey('other')),
  );
});

test('the derived key is the 32-byte SHA-256 of salt + SECRET_KEY', () => {
  assert.equal(sessionAuthHashKey(SECRET_KEY).length, 32);
});
