/**
 * Live round trip with Debian's Django 3.2: Django hashes a password under
 * each of its hashers and Gatehouse verifies it (and flags it for upgrade);
 * Gatehouse writes Django's formats and Django's check_password accepts them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DjangoArgon2Hasher } from '../../src/passwords/django-argon2.ts';
import { DjangoBcryptHasher } from '../../src/passwords/django-bcrypt.ts';
import { DjangoPbkdf2Hasher } from '../../src/passwords/django-pbkdf2.ts';
import { PasswordHashers } from '../../src/passwords/password-hashers.ts';
import { DJANGO_SKIP, runDjangoPython } from '../helpers/django.ts';

const SETUP = `
import json, os
import django
from django.conf import settings
settings.configure(PASSWORD_HASHERS=['django.contrib.auth.hashers.' + name for name in [
    'PBKDF2PasswordHasher', 'PBKDF2SHA1PasswordHasher', 'Argon2PasswordHasher', 'BCryptSHA256PasswordHasher',
    'BCryptPasswordHasher', 'MD5PasswordHasher', 'SHA1PasswordHasher', 'UnsaltedMD5PasswordHasher',
    'UnsaltedSHA1PasswordHasher', 'CryptPasswordHasher']])
django.setup()
from django.contrib.auth.hashers import check_password, make_password
def available(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False
`;

const PASSWORDS = ['password', 'pässwörd 密码', '  spaces  ', `long ${'x'.repeat(95)}`];
const ALL = [
  'pbkdf2_sha256',
  'pbkdf2_sha1',
  'argon2',
  'bcrypt_sha256',
  'bcrypt',
  'md5',
  'sha1',
  'unsalted_md5',
  'unsalted_sha1',
  'crypt',
];

describe("Django's hashers, live", { skip: DJANGO_SKIP }, () => {
  test('Gatehouse verifies what each Django hasher makes, and flags it for upgrade', async () => {
    const out = await runDjangoPython(
      `${SETUP}
from django.contrib.auth.hashers import get_hasher
needs = {'argon2': 'argon2', 'bcrypt_sha256': 'bcrypt', 'bcrypt': 'bcrypt', 'crypt': 'crypt'}
made = []
for hasher in ${JSON.stringify(ALL)}:
    if hasher in needs and not available(needs[hasher]):
        continue
    for i, password in enumerate(json.loads(os.environ['PASSWORDS'])):
        maker = hasher
        if hasher.startswith('bcrypt') and i > 0:
            # Django's own hasher class at 4 rounds past the first password: bcrypt in JavaScript is slow.
            maker = type('Fast', (type(get_hasher(hasher)),), {'rounds': 4})()
        made.append({'hasher': hasher, 'password': password, 'encoded': make_password(password, hasher=maker)})
print(json.dumps(made))
`,
      { PASSWORDS: JSON.stringify(PASSWORDS) },
    );
    const made = JSON.parse(out) as { hasher: string; password: string; encoded: string }[];
    const hashersMade = new Set(made.map((m) => m.hasher));
    // Under CI every hasher must be exercised (python3-argon2 and python3-bcrypt installed).
    if (process.env.CI === 'true') assert.deepEqual([...hashersMade], ALL);
    const hashers = new PasswordHashers();
    for (const { hasher, password, encoded } of made) {
      const long = Buffer.byteLength(password) > 72;
      // Refused on purpose: crypt is not read at all; plain bcrypt read only the first 72 bytes (PWD-03).
      const expected = hasher !== 'crypt' && !(hasher === 'bcrypt' && long);
      const check = await hashers.verify(password, encoded);
      assert.deepEqual(check, { valid: expected, mustUpdate: expected }, `${hasher} ${password}`);
      if (password === PASSWORDS[0]) {
        assert.equal((await hashers.verify(`${password}!`, encoded)).valid, false, `${hasher} wrong`);
      }
    }
  });

  test("Django's check_password accepts what Gatehouse's Django-format hashers write", async () => {
    const writers = [
      new DjangoBcryptHasher({ rounds: 10 }),
      new DjangoBcryptHasher({ sha256: false, rounds: 10 }),
      new DjangoPbkdf2Hasher(),
      new DjangoArgon2Hasher(),
    ];
    const pairs: [string, string][] = [];
    for (const writer of writers) {
      // Every password through bcrypt (where the bytes matter); one through the slow PBKDF2 and argon2.
      const passwords = writer instanceof DjangoBcryptHasher ? PASSWORDS : [PASSWORDS[1]];
      for (const password of passwords) {
        if (writer.algorithm === 'bcrypt' && Buffer.byteLength(password) > 72) continue;
        pairs.push([password, await writer.hash(password)]);
      }
    }
    const out = await runDjangoPython(
      `${SETUP}
pairs = json.loads(os.environ['PAIRS'])
print(json.dumps([check_password(p, e) for p, e in pairs] + [check_password(pairs[0][0] + '!', pairs[0][1])]))
`,
      { PAIRS: JSON.stringify(pairs) },
    );
    assert.deepEqual(JSON.parse(out), [...pairs.map(() => true), false]);
  });
});
