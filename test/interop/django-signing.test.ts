/**
 * Live round trip with Debian's Django 3.2: django.core.signing, session_data
 * in both formats, and the session auth hash, made on one side and read on
 * the other.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { djangoSessionAuthHash, matchSessionAuthHash } from '../../src/django/session-auth-hash.ts';
import { decodeSessionData } from '../../src/django/session-data.ts';
import { dumps, loads, Signer } from '../../src/django/signing.ts';
import { DJANGO_SKIP, runDjangoPython } from '../helpers/django.ts';

const KEY = `django-insecure-${randomBytes(12).toString('base64url')}é`;
const OLD_KEY = `old-${randomBytes(12).toString('hex')}`;
const SETUP = `
import json, os
import django
from django.conf import settings
settings.configure(SECRET_KEY=os.environ['KEY'], INSTALLED_APPS=['django.contrib.sessions', 'django.contrib.auth', 'django.contrib.contenttypes'])
django.setup()
from django.core import signing
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.serializers import PickleSerializer
from django.contrib.auth.models import User
from django.test.utils import override_settings
`;
const python = (script: string, env: Record<string, string> = {}) =>
  runDjangoPython(SETUP + script, { KEY, OLD_KEY, ...env }).then((out) => JSON.parse(out));

const SESSION = {
  _auth_user_id: '17',
  _auth_user_backend: 'django.contrib.auth.backends.ModelBackend',
  _auth_user_hash: 'a'.repeat(64),
  cart: ['é', '😀', { n: 1.5 }],
  big: 'x'.repeat(500),
};

describe("Django's signing and sessions, live", { skip: DJANGO_SKIP }, () => {
  test("Gatehouse decodes the session_data Django's db engine writes, in every format", async () => {
    const made = await python(
      `
d = json.loads(os.environ['SESSION'])
s = SessionStore()
out = {'signed': s.encode(d), 'legacy': s._legacy_encode(d)}
with override_settings(SECRET_KEY=os.environ['OLD_KEY']):
    out['old_key'] = s.encode(d)
    out['old_key_legacy'] = s._legacy_encode(d)
s.serializer = PickleSerializer
out['pickle'] = s.encode(d)
out['pickle_legacy'] = s._legacy_encode(d)
print(json.dumps(out))
`,
      { SESSION: JSON.stringify(SESSION) },
    );
    const read = (data: string, secretKeys = [KEY, OLD_KEY]) => decodeSessionData(data, { secretKeys });
    assert.deepEqual(read(made.signed), {
      ok: true,
      format: 'signed',
      keyIndex: 0,
      data: SESSION,
      userId: '17',
      backend: SESSION._auth_user_backend,
      authHash: SESSION._auth_user_hash,
    });
    const legacy = read(made.legacy);
    assert.ok(legacy.ok);
    assert.deepEqual([legacy.format, legacy.keyIndex, legacy.data], ['legacy', 0, SESSION]);
    for (const name of ['old_key', 'old_key_legacy']) {
      const session = read(made[name]);
      assert.equal(session.ok && session.keyIndex, 1, name);
      assert.deepEqual(read(made[name], [KEY]), { ok: false, reason: 'bad-signature' });
    }
    assert.deepEqual(read(made.pickle), { ok: false, reason: 'pickle' });
    assert.deepEqual(read(made.pickle_legacy), { ok: false, reason: 'pickle' });
  });

  test('Django reads what Gatehouse signs: session data, signing.dumps (zlib from Node) and Signer', async () => {
    const salt = 'django.contrib.sessions.SessionStore';
    const values = {
      session: dumps(SESSION, { key: KEY, salt, compress: true }),
      dumps: dumps(SESSION, { key: KEY, compress: true }),
      signer: new Signer({ key: KEY, salt: 'gatehouse.test' }).sign('a:b:c'),
    };
    assert.ok(values.session.startsWith('.'));
    const read = await python(
      `
v = json.loads(os.environ['VALUES'])
print(json.dumps({
    'session': SessionStore().decode(v['session']),
    'dumps': signing.loads(v['dumps'], max_age=60),
    'signer': signing.Signer(salt='gatehouse.test').unsign(v['signer']),
}))
`,
      { VALUES: JSON.stringify(values) },
    );
    assert.deepEqual(read, { session: SESSION, dumps: SESSION, signer: 'a:b:c' });
  });

  test("Gatehouse's loads reads Django's signing.dumps, and their expiry agrees", async () => {
    const made = await python(`print(json.dumps(signing.dumps({'a': ['é']}, compress=True, salt='s')))`);
    assert.deepEqual(loads(made, { key: KEY, salt: 's', maxAge: 60 }).value, { a: ['é'] });
    assert.throws(
      () => loads(made, { key: KEY, salt: 's', maxAge: 60, clock: { now: () => Date.now() + 120_000 } }),
      {
        name: 'SignatureExpired',
      },
    );
  });

  test("the session auth hash is Django's get_session_auth_hash for any password field", async () => {
    const passwords = ['', '!unusable', 'pbkdf2_sha256$1$a$b=', `é${randomBytes(20).toString('base64')}`];
    const made = await python(
      `
print(json.dumps([[User(password=p).get_session_auth_hash(), User(password=p)._legacy_get_session_auth_hash()]
                  for p in json.loads(os.environ['PASSWORDS'])]))
`,
      { PASSWORDS: JSON.stringify(passwords) },
    );
    for (const [i, password] of passwords.entries()) {
      assert.deepEqual(made[i], [
        djangoSessionAuthHash(password, KEY),
        djangoSessionAuthHash(password, KEY, 'sha1'),
      ]);
      assert.equal(matchSessionAuthHash(made[i][0], password, { secrets: [OLD_KEY, KEY] }), 1);
    }
  });
});
