/**
 * djoser's reset links across the move from Django, through HTTP: a token
 * Debian's Django 3.2 mints (default_token_generator) for a user row of
 * Gatehouse's is accepted by `reset_password_confirm` — under SECRET_KEY or
 * one of GATEHOUSE_SECRET_KEY_FALLBACKS — and the token in Gatehouse's
 * reset mail passes Django's own `check_token`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '#gatehouse';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { DJANGO_SKIP, runDjangoPython } from '../helpers/django.ts';
import { type RunningSmtpServer, startSmtpServer } from '../helpers/smtp.ts';

const KEY = 'test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz';
const OLD_KEY = 'django-insecure-the-key-before-the-move-0123456789';

const SCRIPT = `
import json, os, time
time.tzset()
import django
from django.conf import settings
settings.configure(SECRET_KEY=os.environ['KEY'], USE_TZ=True, TIME_ZONE='UTC',
                   INSTALLED_APPS=['django.contrib.auth', 'django.contrib.contenttypes'])
django.setup()
from datetime import datetime, timezone
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

def user(row):
    last = row['lastLogin']
    last = None if last is None else datetime.fromtimestamp(last / 1000, tz=timezone.utc)
    return User(pk=row['id'], password=row['password'], email=row['email'], last_login=last)

data = json.loads(os.environ['DATA'])
out = {}
if 'mint' in data:
    row = data['mint']
    generator = PasswordResetTokenGenerator()
    if data.get('secret'):
        generator.secret = data['secret']
    out['uid'] = urlsafe_base64_encode(force_bytes(row['id']))
    out['token'] = generator.make_token(user(row))
if 'check' in data:
    out['valid'] = default_token_generator.check_token(user(data['check']), data['token'])
print(json.dumps(out))
`;

/** The user row as Django's `auth_user` would hold it: the fields the token covers. */
function row(user: User) {
  return { id: user.id, password: user.password, email: user.email, lastLogin: user.lastLogin };
}

function django(data: unknown): Promise<{ uid?: string; token?: string; valid?: boolean }> {
  return runDjangoPython(SCRIPT, { KEY, TZ: 'UTC', DATA: JSON.stringify(data) }).then((out) =>
    JSON.parse(out),
  );
}

describe("reset links between Gatehouse and Django's default_token_generator", { skip: DJANGO_SKIP }, () => {
  let t: TestApp;
  let smtp: RunningSmtpServer;
  before(async () => {
    smtp = await startSmtpServer({ starttls: false });
    t = await makeApp({
      env: {
        SECRET_KEY: KEY,
        GATEHOUSE_SECRET_KEY_FALLBACKS: `another-old-key-0123456789-abcdefghijklmn,${OLD_KEY}`,
        GATEHOUSE_EMAIL_URL: `smtp://127.0.0.1:${smtp.port}`,
      },
    });
    for (const name of ['alice', 'bob', 'carol']) {
      await t.user(name);
      // A login stamps last_login, which the token covers: the rows are as a live user's.
      await t.client().login(name);
    }
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  test('a token Django mints for the user row is accepted by reset_password_confirm', async () => {
    const alice = (await t.gh.accounts.getByUsername('alice'))!;
    assert.notEqual(alice.lastLogin, null);
    const { uid, token } = await django({ mint: row(alice) });
    const res = await t.client().request('POST', '/auth/users/reset_password_confirm/', {
      json: { uid, token, new_password: 'Brand-new-pass-1' },
    });
    assert.equal(res.status, 204, res.body);
    assert.equal((await t.client().login('alice', 'Brand-new-pass-1')).status, 200);
  });

  test('a token Django minted under a key now in GATEHOUSE_SECRET_KEY_FALLBACKS is accepted', async () => {
    const bob = (await t.gh.accounts.getByUsername('bob'))!;
    const old = await django({ mint: row(bob), secret: OLD_KEY });
    const unknown = await django({ mint: row(bob), secret: 'a-key-nobody-configured-0123456789-abcdefgh' });
    const refused = await t.client().request('POST', '/auth/users/reset_password_confirm/', {
      json: { uid: unknown.uid, token: unknown.token, new_password: 'Brand-new-pass-2' },
    });
    assert.equal(refused.body, '{"token":["Invalid token for given user."]}');
    const res = await t.client().request('POST', '/auth/users/reset_password_confirm/', {
      json: { uid: old.uid, token: old.token, new_password: 'Brand-new-pass-2' },
    });
    assert.equal(res.status, 204, res.body);
  });

  test("the token in Gatehouse's reset mail passes Django's check_token for the same row", async () => {
    const res = await t
      .client()
      .request('POST', '/auth/users/reset_password/', { json: { email: 'carol@example.com' } });
    assert.equal(res.status, 204);
    await t.gh.mailer.settled();
    const mail = smtp.messages.find((m) => m.rcptTo.includes('carol@example.com'))!;
    const [, uid, token] = /#\/password\/reset\/confirm\/([\w-]+)\/([\w-]+)$/m.exec(mail.text)!;
    const carol = (await t.gh.accounts.getByUsername('carol'))!;
    assert.equal((await django({ mint: row(carol) })).uid, uid, "Django's uidb64 of the same id");
    assert.deepEqual(await django({ check: row(carol), token }), { valid: true });
    assert.equal(t.gh.accountTokens.checkReset(carol, token), true);
    // A login since (last_login five seconds later) makes it stale for Django, as it does here.
    const later = (await t.gh.stores.users.update(carol.id, { lastLogin: carol.lastLogin! + 5000 }))!;
    assert.deepEqual(await django({ check: row(later), token }), { valid: false });
    assert.equal(t.gh.accountTokens.checkReset(later, token), false);
  });
});
