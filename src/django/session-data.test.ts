import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeSessionData } from './session-data.ts';
import { dumps } from './signing.ts';

// Made by Debian's Django 3.2.25 with SECRET_KEY below and time.time() fixed at 1700000000.5:
// SessionStore().encode(d) (the db engine; signed, compressed) and SessionStore()._legacy_encode(d)
// (what Django ≤ 3.0, or 3.1–3.2 with DEFAULT_HASHING_ALGORITHM = 'sha1', wrote), the pickled ones
// with SESSION_SERIALIZER = PickleSerializer.
const KEY = 'django-insecure-gatehouse-signing-vectors';
const AUTH_HASH = '1c5b0fb403f20ce565535a5a6ca55c87051f3ea793e1284571e7a7a8f3bc7ee1';
const AUTH_HASH_SHA1 = 'ea3bd94e7dec1254abd092bcb5ac48307592e5a2';
const BACKEND = 'django.contrib.auth.backends.ModelBackend';
const SIGNED =
  '.eJxVjEEOgjAQRe8ya9O0lKHA0r0nUEOmw1RQ0iZAV8a7CwkL3f73_ntDR3kdurzI3I09tFAWcPodPfFL4k76J8VHUpziOo9e7Yo66KIuqZfpfLh_gYGWYXsbRq-DL7UNhWbBCtEiIVVMiFw7jSZYIddYMUVdojPiyFEdrGcnYrYo07xCe4Vb1loauH--HQk9Gw:1r31eq:vdIoARBl77-9Ju8yJnpI4j6NnZRWYBroMmNFklLmmIw';
const LEGACY =
  'NGI3MDQ5MGI5NDA1YmVjNTJmOThlY2NiZmZhZTY0ZTVjYTA4MGUwODp7Il9hdXRoX3VzZXJfaWQiOiI0MiIsIl9hdXRoX3VzZXJfYmFja2VuZCI6ImRqYW5nby5jb250cmliLmF1dGguYmFja2VuZHMuTW9kZWxCYWNrZW5kIiwiX2F1dGhfdXNlcl9oYXNoIjoiZWEzYmQ5NGU3ZGVjMTI1NGFiZDA5MmJjYjVhYzQ4MzA3NTkyZTVhMiIsImNhcnQiOlsiXHUwMGU5Il19';
const ANONYMOUS = 'eyJ0aGVtZSI6ImRhcmsifQ:1r31eq:hkE4bN48zlUUptb5v8EYqhaE8bvuSwsy11eX7jAWtYY';
// _legacy_encode({'_auth_user_id': 7, ...}): Django before 1.7 stored the id as a number.
const LEGACY_INT_ID =
  'MjE1MWMxNDFlY2FjNDQ0MDMxNDE0OTY5MjY4OTNjODM5YWUzNGM3Mzp7Il9hdXRoX3VzZXJfaWQiOjcsIl9hdXRoX3VzZXJfYmFja2VuZCI6ImRqYW5nby5jb250cmliLmF1dGguYmFja2VuZHMuTW9kZWxCYWNrZW5kIn0=';
const PICKLE_SIGNED =
  '.eJxNjk0KwjAQhUV0KYKn0E1Imk5Td-LeI0iZTCe2Ki30Zyl4gCzjITyFCy9mRQXf8n0fj3ed3h6jTy5h6WcZ9l2R9S03WZkHP46j4Bd_pUU6cTWQVX7E6lALqquuKa14K-JLW7Grcz5vf-78b6DAtgh-owisdDaW2kWSGBIADQiYEAJQaiQopxnNWrOK0hiMYoMGU6ctGWYV_ISw6cJ--Pi8B-zFCxAqRiI:1r31eq:zlcY8TP8PdsHLbT0Z-_yg806ikR_iJxOKd1GZsnOoQ0';
const PICKLE_LEGACY =
  'MzNiMDQ4YjhhYjBhMWI2MzA0N2ExNTFhMTI0ZmY1OGMyODE4YWJjNzqABZW/AAAAAAAAAH2UKIwNX2F1dGhfdXNlcl9pZJSMAjQylIwSX2F1dGhfdXNlcl9iYWNrZW5klIwpZGphbmdvLmNvbnRyaWIuYXV0aC5iYWNrZW5kcy5Nb2RlbEJhY2tlbmSUjA9fYXV0aF91c2VyX2hhc2iUjEAxYzViMGZiNDAzZjIwY2U1NjU1MzVhNWE2Y2E1NWM4NzA1MWYzZWE3OTNlMTI4NDU3MWU3YTdhOGYzYmM3ZWUxlIwEY2FydJRdlIwCw6mUYXUu';

describe('decodeSessionData', () => {
  test('reads the signed format of Django ≥ 3.1 (compressed JSON)', () => {
    assert.deepEqual(decodeSessionData(SIGNED, { secretKeys: [KEY] }), {
      ok: true,
      format: 'signed',
      keyIndex: 0,
      data: { _auth_user_id: '42', _auth_user_backend: BACKEND, _auth_user_hash: AUTH_HASH, cart: ['é'] },
      userId: '42',
      backend: BACKEND,
      authHash: AUTH_HASH,
    });
  });

  test('reads the pre-3.1 format: base64 of "<sha1 hmac hex>:<json>"', () => {
    const session = decodeSessionData(LEGACY, { secretKeys: [KEY] });
    assert.equal(session.ok && session.format, 'legacy');
    assert.equal(session.ok && session.userId, '42');
    assert.equal(session.ok && session.authHash, AUTH_HASH_SHA1);
    assert.deepEqual(session.ok && session.data.cart, ['é']);
  });

  test('an anonymous session has no user; a numeric id (Django < 1.7) becomes a string', () => {
    const anonymous = decodeSessionData(ANONYMOUS, { secretKeys: [KEY] });
    assert.deepEqual(anonymous.ok && [anonymous.userId, anonymous.backend, anonymous.authHash], [
      null,
      null,
      null,
    ]);
    const old = decodeSessionData(LEGACY_INT_ID, { secretKeys: [KEY] });
    assert.equal(old.ok && old.userId, '7');
  });

  test('says which key verified it, in either format', () => {
    for (const data of [SIGNED, LEGACY]) {
      const session = decodeSessionData(data, { secretKeys: ['new-key', 'older-key', KEY] });
      assert.equal(session.ok && session.keyIndex, 2);
    }
  });

  test('no key given signed it: bad-signature, for both formats and for garbage', () => {
    for (const data of [
      SIGNED,
      LEGACY,
      ANONYMOUS,
      '',
      'abc',
      'a:b:c',
      '!!!!',
      `${LEGACY.slice(0, -4)}AAAA`,
    ]) {
      assert.deepEqual(decodeSessionData(data, { secretKeys: ['other-key'] }), {
        ok: false,
        reason: 'bad-signature',
      });
    }
    assert.deepEqual(decodeSessionData(SIGNED, { secretKeys: [KEY], storeClass: 'CacheStore' }), {
      ok: false,
      reason: 'bad-signature',
    });
  });

  test('a pickled session is verified but never unpickled', () => {
    for (const data of [PICKLE_SIGNED, PICKLE_LEGACY]) {
      assert.deepEqual(decodeSessionData(data, { secretKeys: [KEY] }), { ok: false, reason: 'pickle' });
    }
  });

  test('signed JSON that is not a dict, and oversized input, are malformed', () => {
    const salt = 'django.contrib.sessions.SessionStore';
    for (const value of [[1, 2], 'x', null, 3]) {
      assert.deepEqual(decodeSessionData(dumps(value, { key: KEY, salt }), { secretKeys: [KEY] }), {
        ok: false,
        reason: 'malformed',
      });
    }
    assert.deepEqual(decodeSessionData('a'.repeat(1024 * 1024 + 1), { secretKeys: [KEY] }), {
      ok: false,
      reason: 'malformed',
    });
    assert.deepEqual(decodeSessionData(SIGNED, { secretKeys: [] }), { ok: false, reason: 'malformed' });
  });

  test("what Gatehouse's dumps writes with the session salt reads back", () => {
    const data = { _auth_user_id: '1', _auth_user_backend: BACKEND, _auth_user_hash: AUTH_HASH };
    const encoded = dumps(data, { key: KEY, salt: 'django.contrib.sessions.SessionStore', compress: true });
    const session = decodeSessionData(encoded, { secretKeys: [KEY] });
    assert.deepEqual(session.ok && session.data, data);
  });
});
