import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hash as rawHash } from '@node-rs/argon2';
import { ConfigurationError } from '../errors.ts';
import { Argon2idHasher } from './argon2id.ts';

const hasher = new Argon2idHasher();
const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

describe('Argon2idHasher', () => {
  test('PWD-07: stored argon2id parameters meet the floors', async () => {
    const encoded = await hasher.hash('correct horse battery staple');
    assert.ok(encoded.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'), encoded);
    const [, m, t, p, salt, key] = PHC.exec(encoded)!;
    assert.ok(Number(m) >= 19456 && Number(t) >= 2 && Number(p) === 1);
    assert.equal(Buffer.from(salt, 'base64').length, 16);
    assert.equal(Buffer.from(key, 'base64').length, 32);
  });

  test('PWD-07: the same password gets a different hash each time', async () => {
    const [a, b] = await Promise.all([hasher.hash('same password'), hasher.hash('same password')]);
    assert.notEqual(a, b);
    assert.equal(await hasher.verify('same password', a), true);
    assert.equal(await hasher.verify('same password', b), true);
  });

  test('PWD-07: parameters below the OWASP/ASVS floors throw ConfigurationError', () => {
    assert.throws(() => new Argon2idHasher({ memoryCost: 19455 }), ConfigurationError);
    assert.throws(() => new Argon2idHasher({ memoryCost: 47103, timeCost: 1 }), ConfigurationError);
    assert.throws(() => new Argon2idHasher({ memoryCost: 12287, timeCost: 3 }), ConfigurationError);
    assert.throws(() => new Argon2idHasher({ parallelism: 0 }), ConfigurationError);
    assert.throws(() => new Argon2idHasher({ timeCost: 0 }), ConfigurationError);
    assert.throws(() => new Argon2idHasher({ memoryCost: 8192 }), {
      message: 'argon2 memoryCost 8192 KiB is below the floor of 19456 KiB for timeCost 2',
    });
    assert.equal(new Argon2idHasher({ memoryCost: 47104, timeCost: 1 }).memoryCost, 47104);
    assert.equal(new Argon2idHasher({ memoryCost: 12288, timeCost: 3 }).timeCost, 3);
  });

  test('PWD-06: verification is exact: no trimming or case-folding', async () => {
    const encoded = await hasher.hash('Tr0ub4dor&3-long');
    assert.equal(await hasher.verify('Tr0ub4dor&3-long', encoded), true);
    for (const attempt of [
      'tr0ub4dor&3-long',
      ' Tr0ub4dor&3-long',
      'Tr0ub4dor&3-long ',
      'TR0UB4DOR&3-LONG',
    ]) {
      assert.equal(await hasher.verify(attempt, encoded), false, attempt);
    }
  });

  test('PWD-03: passwords are never truncated', async () => {
    const long = 'abcdefghij'.repeat(10);
    const encoded = await hasher.hash(long);
    for (const attempt of [long.slice(0, 72), long.slice(0, 99), `${long.slice(0, 99)}X`]) {
      assert.equal(await hasher.verify(attempt, encoded), false);
    }
    const accented = await hasher.hash(`${'é'.repeat(40)}A`);
    assert.equal(await hasher.verify(`${'é'.repeat(40)}B`, accented), false);
    assert.equal(await hasher.verify(`${'é'.repeat(40)}A`, accented), true);
  });

  test('PWD-04: a NUL byte is part of the password, not its end', async () => {
    const encoded = await hasher.hash('pass\u0000word');
    assert.equal(await hasher.verify('pass\u0000word', encoded), true);
    assert.equal(await hasher.verify('pass', encoded), false);
    assert.equal(await hasher.verify('pass\u0000w0rd', encoded), false);
  });

  test('mustUpdate is true only for weaker stored parameters or another variant', async () => {
    assert.equal(hasher.mustUpdate(await hasher.hash('pw')), false);
    const weak = await rawHash('pw', { algorithm: 2, memoryCost: 8192, timeCost: 2, parallelism: 1 });
    assert.ok(weak.startsWith('$argon2id$v=19$m=8192,t=2,p=1$'));
    assert.equal(await hasher.verify('pw', weak), true);
    assert.equal(hasher.mustUpdate(weak), true);
    const stronger = await rawHash('pw', { algorithm: 2, memoryCost: 32768, timeCost: 3, parallelism: 1 });
    assert.equal(hasher.mustUpdate(stronger), false);
    assert.equal(new Argon2idHasher({ timeCost: 4, memoryCost: 19456 }).mustUpdate(stronger), true);
  });

  test('identifies only well-formed argon2id PHC strings; bad encodings verify false', async () => {
    const encoded = await hasher.hash('pw');
    assert.equal(hasher.identifies(encoded), true);
    for (const bad of [
      '',
      '!unusable',
      `argon2${encoded}`,
      encoded.replace('argon2id', 'argon2i'),
      '$argon2id$x',
    ]) {
      assert.equal(hasher.identifies(bad), false, bad);
      assert.equal(await hasher.verify('pw', bad), false);
    }
  });

  test('PWD-02: over 4096 bytes is never hashed', async () => {
    const encoded = await hasher.hash('é'.repeat(2048));
    assert.equal(await hasher.verify('é'.repeat(2048), encoded), true);
    await assert.rejects(async () => hasher.hash(`${'é'.repeat(2048)}x`), RangeError);
    assert.equal(await hasher.verify(`${'é'.repeat(2048)}x`, encoded), false);
  });
});
