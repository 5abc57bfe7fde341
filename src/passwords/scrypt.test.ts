import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { ScryptHasher } from './scrypt.ts';

const hasher = new ScryptHasher();

describe('ScryptHasher', () => {
  test('PWD-07: stored scrypt parameters meet the floors (N=2^17, r=8, p=1, 16-byte salt, 32-byte key)', async () => {
    const encoded = await hasher.hash('correct horse');
    const m = /^\$scrypt\$ln=17,r=8,p=1\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(encoded);
    assert.ok(m, encoded);
    assert.equal(Buffer.from(m[1], 'base64').length, 16);
    assert.equal(Buffer.from(m[2], 'base64').length, 32);
    assert.equal(await hasher.verify('correct horse', encoded), true);
    assert.equal(await hasher.verify('correct horse ', encoded), false);
    assert.equal(hasher.mustUpdate(encoded), false);
  });

  test('PWD-07: configuration below the floors throws ConfigurationError', () => {
    assert.throws(() => new ScryptHasher({ cost: 2 ** 16 }), ConfigurationError);
    assert.throws(() => new ScryptHasher({ cost: 2 ** 15, parallelization: 2 }), ConfigurationError);
    assert.throws(() => new ScryptHasher({ blockSize: 4 }), ConfigurationError);
    assert.throws(() => new ScryptHasher({ cost: 100_000 }), {
      message: 'scrypt cost (N) must be a power of two up to 2^20, got 100000',
    });
    assert.equal(new ScryptHasher({ cost: 2 ** 16, parallelization: 2 }).cost, 65536);
    assert.equal(new ScryptHasher({ cost: 2 ** 15, parallelization: 3 }).parallelization, 3);
  });

  test('mustUpdate for a smaller N; identifies only its own PHC strings', async () => {
    const weaker = await new ScryptHasher({ cost: 2 ** 15, parallelization: 3 }).hash('pw');
    assert.ok(weaker.startsWith('$scrypt$ln=15,r=8,p=3$'));
    assert.equal(await hasher.verify('pw', weaker), true);
    assert.equal(hasher.mustUpdate(weaker), true);
    for (const bad of [
      'scrypt$16384$salt$8$5$aGFzaA==',
      '$scrypt$ln=17,r=8,p=1$short$short',
      '$scrypt$ln=99,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g',
    ]) {
      assert.equal(hasher.identifies(bad), false, bad);
      assert.equal(await hasher.verify('pw', bad), false);
    }
  });
});
