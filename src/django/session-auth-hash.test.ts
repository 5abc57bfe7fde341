import assert from 'node:assert/strict';
import { test } from 'node:test';
import { djangoSessionAuthHash, matchSessionAuthHash } from './session-auth-hash.ts';

// Debian's Django 3.2.25, SECRET_KEY below: salted_hmac(
//   'django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash', PASSWORD, algorithm=…).hexdigest(),
// i.e. get_session_auth_hash() (sha256) and _legacy_get_session_auth_hash() (sha1).
const KEY = 'django-insecure-gatehouse-signing-vectors';
const PASSWORD = 'pbkdf2_sha256$260000$abcdefghijklmnopqrstuv$2Zk4VcuzQYPUHhuuE4wUaiLCf5iI2WmaNkpZsNQqm0M=';
const SHA256 = '1c5b0fb403f20ce565535a5a6ca55c87051f3ea793e1284571e7a7a8f3bc7ee1';
const SHA1 = 'ea3bd94e7dec1254abd092bcb5ac48307592e5a2';

test("djangoSessionAuthHash is Django's get_session_auth_hash, and its legacy SHA-1 form", () => {
  assert.equal(djangoSessionAuthHash(PASSWORD, KEY), SHA256);
  assert.equal(djangoSessionAuthHash(PASSWORD, KEY, 'sha1'), SHA1);
});

test('matchSessionAuthHash: the index of the secret that made the hash', () => {
  assert.equal(matchSessionAuthHash(SHA256, PASSWORD, { secrets: [KEY] }), 0);
  assert.equal(matchSessionAuthHash(SHA256, PASSWORD, { secrets: ['new', KEY] }), 1);
  assert.equal(matchSessionAuthHash(SHA256, PASSWORD, { secrets: ['new'] }), -1);
});

test('a changed password, a missing hash or a foreign value never matches', () => {
  const changed = `${PASSWORD.slice(0, -2)}x=`;
  assert.equal(matchSessionAuthHash(SHA256, changed, { secrets: [KEY] }), -1);
  for (const hash of [null, undefined, '', SHA256.toUpperCase(), 'x'.repeat(200)]) {
    assert.equal(matchSessionAuthHash(hash, PASSWORD, { secrets: [KEY], legacySha1: true }), -1);
  }
});

test('the SHA-1 hash of Django ≤ 3.0 only counts with legacySha1 (Django 3.1–3.2 accept it, 4.0+ not)', () => {
  assert.equal(matchSessionAuthHash(SHA1, PASSWORD, { secrets: [KEY] }), -1);
  assert.equal(matchSessionAuthHash(SHA1, PASSWORD, { secrets: [KEY], legacySha1: true }), 0);
});
