import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { DjangoScryptHasher } from './django-scrypt.ts';

const hasher = new DjangoScryptHasher();
// Django 5.2 defaults (N=2^14, r=8, p=5), password `password`; the others from Python's hashlib.scrypt.
const DJANGO_52 =
  'scrypt$16384$RLs2LTaGkSNfRAxpsFxXYp$8$5$cqX7lh+wxcbTMtIxR587a5oyvP4PI7gE197w4PVavvxu7urRHdvmIqRIAMkbkwzkplRPF7NcMzHZvv0cBoRFzg==';
const DJANGO_40 =
  'scrypt$16384$Qk9ZbiMPh1BbdN6kRdWsnj$8$1$Flpel1cfBZs+HKJNR/7VXXqf/RZ3AlD18zjRPZzPlbRYuR3UnyKL8c88FFuV++GysAH+lIRdcyBClF8vWcA1DA==';
const PY_UNICODE =
  'scrypt$16384$saltysaltysaltysalty00$8$5$Z7ZJ1FcruRVVJj4/qBwxwN9SvuGSA6/NR9yTx0rs7hqiE4miTmXgbTGB8RWJPvPzYaJE9nFgrzFpi0/rpO+haQ==';

describe('DjangoScryptHasher', () => {
  test("verifies Django's scrypt hashes (p=5 since 5.1, p=1 before) and UTF-8 passwords", async () => {
    assert.equal(await hasher.verify('password', DJANGO_52), true);
    assert.equal(await hasher.verify('password', DJANGO_40), true);
    assert.equal(await hasher.verify('Password', DJANGO_52), false);
    assert.equal(await hasher.verify('héllo wörld', PY_UNICODE), true);
    assert.equal(await hasher.verify('hello world', PY_UNICODE), false);
  });

  test("Django's own N=2^14 is below the floor, so its hashes are flagged for update", () => {
    assert.equal(hasher.mustUpdate(DJANGO_52), true);
    assert.equal(new DjangoScryptHasher({ cost: 2 ** 15, parallelization: 5 }).mustUpdate(DJANGO_52), true);
    assert.throws(() => new DjangoScryptHasher({ cost: 2 ** 14, parallelization: 5 }), ConfigurationError);
  });

  test("hash writes Django's format at the floor parameters", async () => {
    const encoded = await hasher.hash('pw');
    assert.match(encoded, /^scrypt\$131072\$[A-Za-z0-9]{22}\$8\$1\$[A-Za-z0-9+/]{86}==$/);
    assert.equal(await hasher.verify('pw', encoded), true);
    assert.equal(hasher.mustUpdate(encoded), false);
  });

  test('identifies only well-formed Django scrypt encodings', async () => {
    assert.equal(hasher.identifies(DJANGO_52), true);
    // Well-formed, but r=99 at N=2^20 would need 13 GB: refused, not allocated.
    assert.equal(
      await hasher.verify('password', 'scrypt$1048576$RLs2LTaGkSNfRAxpsFxXYp$99$1$aGFzaA=='),
      false,
    );
    for (const bad of [
      'scrypt$16385$s$8$5$aGFzaA==',
      'scrypt$16384$s$8$5',
      '$scrypt$ln=14,r=8,p=5$c2FsdHNhbHQ$aGFzaA',
      '',
    ]) {
      assert.equal(hasher.identifies(bad), false, bad);
      assert.equal(await hasher.verify('password', bad), false);
    }
  });
});
