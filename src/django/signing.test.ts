import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import {
  BadPayload,
  BadSignature,
  b64Encode,
  base62Decode,
  base62Encode,
  dumps,
  jsonBytes,
  loads,
  SignatureExpired,
  Signer,
  TimestampSigner,
} from './signing.ts';

// Made by Debian's Django 3.2.25 with SECRET_KEY below and time.time() fixed at 1700000000.5
// (base62 '1r31eq'): signing.dumps(...), Signer(...).sign(...), TimestampSigner().sign(...).
const KEY = 'django-insecure-gatehouse-signing-vectors';
const AT = { now: () => 1_700_000_000_500 };
const DUMPS =
  'eyJhIjoiXHUwMGU5IiwibiI6WzEsMl0sImIiOnRydWV9:1r31eq:Yq-KG2BLxsczW3tnAo-j57S00q2WbS_m1klhNaO4VNQ';
const DUMPS_COMPRESSED =
  '.eJyVy7sJgFAUBNFebjyBu-9vK2IBgpkGgti7tuCEB-aOfTvOmJcJYRKZQqXRGehDIaOEMiqoooY6GnjC32OccMYFV9xwx2Mljpjj-l08L2D5K70:1r31eq:j-fcBMsoDGqN91LCUVCb_g2FnbJaedgEEPAbxKhVwXQ';
// signing.dumps({'k': 1}, key='old-key', salt='my.salt')
const DUMPS_OLD_KEY = 'eyJrIjoxfQ:1r31eq:6cjkdfnD2_rV0msuxRy8AW8siMsrVJHYCKK-Oubi23M';
const SIGNER = 'hello:world:pHcosV_MEIfhbQhIGcFDJLpzokeDL_YaInRp8nPRDEo'; // Signer(salt='my.salt')
const SIGNER_DEFAULT_SALT = 'hello:H3hH-ULLm7IiItKg-_vTPcO0tITwwwdvT_xOC532f6w'; // Signer()
const SIGNER_SHA1 = 'hello:TS1ua5_HjHNjP40arQZjOYILJzo'; // Signer(salt='my.salt', algorithm='sha1')
const TIMESTAMP_SIGNER = 'hello:1r31eq:a9Tlwe8spyRrGsagwkrcJSkOD5x_VTYmBTPHBpGGAHQ'; // TimestampSigner()

describe('Signer', () => {
  test("signs and unsigns as Django's Signer does, the value keeping its own colons", () => {
    const signer = new Signer({ key: KEY, salt: 'my.salt' });
    assert.equal(signer.sign('hello:world'), SIGNER);
    assert.deepEqual(signer.unsign(SIGNER), { value: 'hello:world', keyIndex: 0, algorithm: 'sha256' });
    assert.equal(new Signer({ key: KEY }).sign('hello'), SIGNER_DEFAULT_SALT);
  });

  test('a wrong key, salt or signature, or no separator, is a BadSignature', () => {
    const signer = new Signer({ key: KEY, salt: 'my.salt' });
    assert.throws(() => new Signer({ key: 'other', salt: 'my.salt' }).unsign(SIGNER), BadSignature);
    assert.throws(() => new Signer({ key: KEY, salt: 'my.salt2' }).unsign(SIGNER), BadSignature);
    assert.throws(() => signer.unsign(`${SIGNER.slice(0, -1)}p`), BadSignature);
    assert.throws(() => signer.unsign(SIGNER.replace('hello', 'hellO')), BadSignature);
    assert.throws(() => signer.unsign('hello'), { name: 'BadSignature', message: 'No ":" found in value' });
    assert.throws(() => signer.unsign(`${'a'.repeat(1024 * 1024)}:x`), BadSignature);
  });

  test('SHA-1 signatures are read only when allowed, as Django 3.1–3.2 allow them', () => {
    assert.throws(() => new Signer({ key: KEY, salt: 'my.salt' }).unsign(SIGNER_SHA1), BadSignature);
    const legacy = new Signer({ key: KEY, salt: 'my.salt', legacyAlgorithms: ['sha1'] });
    assert.deepEqual(legacy.unsign(SIGNER_SHA1), { value: 'hello', keyIndex: 0, algorithm: 'sha1' });
    assert.equal(new Signer({ key: KEY, salt: 'my.salt', algorithm: 'sha1' }).sign('hello'), SIGNER_SHA1);
  });

  test('fallback keys verify but never sign (SECRET_KEY_FALLBACKS)', () => {
    const rotated = new Signer({ key: 'new-key', fallbackKeys: ['x', KEY], salt: 'my.salt' });
    assert.equal(rotated.unsign(SIGNER).keyIndex, 2);
    assert.notEqual(rotated.sign('hello:world'), SIGNER);
  });
});

describe('TimestampSigner', () => {
  test("puts Django's base62 timestamp between value and signature", () => {
    const signer = new TimestampSigner({ key: KEY, clock: AT });
    assert.equal(signer.sign('hello'), TIMESTAMP_SIGNER);
    assert.deepEqual(signer.unsign(TIMESTAMP_SIGNER), {
      value: 'hello',
      keyIndex: 0,
      algorithm: 'sha256',
      timestamp: 1_700_000_000,
    });
  });

  test('maxAge: Django expires a signature once now − timestamp > maxAge', () => {
    const at = (seconds: number) => new TimestampSigner({ key: KEY, clock: { now: () => seconds * 1000 } });
    assert.equal(at(1_700_000_060).unsign(TIMESTAMP_SIGNER, { maxAge: 60 }).value, 'hello');
    assert.throws(() => at(1_700_000_060.001).unsign(TIMESTAMP_SIGNER, { maxAge: 60 }), SignatureExpired);
    assert.throws(() => at(1_700_000_061).unsign(TIMESTAMP_SIGNER, { maxAge: 60 }), {
      name: 'SignatureExpired',
      message: 'Signature age 61 > 60 seconds',
    });
    // An expired signature is a BadSignature too, as in Django.
    assert.throws(() => at(1_800_000_000).unsign(TIMESTAMP_SIGNER, { maxAge: 0 }), BadSignature);
  });

  test('base62 round-trips and refuses what is not base62', () => {
    assert.equal(base62Encode(1_700_000_000), '1r31eq');
    assert.equal(base62Encode(0), '0');
    assert.equal(base62Decode('1r31eq'), 1_700_000_000);
    for (const bad of ['', '1r3-eq', 'z'.repeat(12), 'é'])
      assert.throws(() => base62Decode(bad), BadSignature);
  });
});

describe('dumps and loads', () => {
  test("dumps writes Django's bytes exactly: compact ASCII JSON, and zlib only when shorter", () => {
    assert.equal(dumps({ a: 'é', n: [1, 2], b: true }, { key: KEY, clock: AT }), DUMPS);
    // Node's zlib compresses to other (equally valid) bytes than Python's, so only the shape is Django's.
    const big = { list: Array.from({ length: 30 }, (_, i) => i), s: 'x'.repeat(50) };
    const compressed = dumps(big, { key: KEY, clock: AT, compress: true });
    assert.match(compressed, /^\.eJ[A-Za-z0-9_-]+:1r31eq:[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(loads(compressed, { key: KEY }).value, big);
    assert.equal(dumps({ a: 1 }, { key: KEY, clock: AT, compress: true }).startsWith('.'), false);
  });

  test("loads reads Django's values, compressed or not, and says which key signed", () => {
    assert.deepEqual(loads(DUMPS, { key: KEY }), {
      value: { a: 'é', n: [1, 2], b: true },
      keyIndex: 0,
      algorithm: 'sha256',
      timestamp: 1_700_000_000,
    });
    assert.equal((loads(DUMPS_COMPRESSED, { key: KEY }).value as { s: string }).s, 'x'.repeat(50));
    const old = loads(DUMPS_OLD_KEY, { key: KEY, fallbackKeys: ['old-key'], salt: 'my.salt' });
    assert.deepEqual([old.value, old.keyIndex], [{ k: 1 }, 1]);
    assert.throws(() => loads(DUMPS_OLD_KEY, { key: KEY, fallbackKeys: ['old-key'] }), BadSignature);
    assert.throws(() => loads(DUMPS, { key: KEY, maxAge: 10, clock: { now: () => 1_700_000_011_000 } }), {
      name: 'SignatureExpired',
    });
  });

  test('a signed zip bomb stops at the size cap; signed non-JSON is a BadPayload', () => {
    const signer = new TimestampSigner({ key: KEY, salt: 'django.core.signing' });
    const bomb = `.${b64Encode(deflateSync(Buffer.alloc(2 * 1024 * 1024, 0x20)))}`;
    assert.throws(() => loads(signer.sign(bomb), { key: KEY }), { name: 'BadPayload' });
    assert.throws(() => loads(signer.sign('.AAAA'), { key: KEY }), BadPayload);
    assert.throws(() => loads(signer.sign(b64Encode(Buffer.from('{nope'))), { key: KEY }), BadPayload);
    assert.throws(() => loads(signer.sign('not base64!'), { key: KEY }), BadSignature);
  });

  test("jsonBytes escapes as Python's ensure_ascii does", () => {
    assert.equal(
      jsonBytes({ s: 'é\u007f€😀\n"' }).toString('latin1'),
      '{"s":"\\u00e9\\u007f\\u20ac\\ud83d\\ude00\\n\\""}',
    );
  });
});
