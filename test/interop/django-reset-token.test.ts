/**
 * Live round trip with Debian's Django 3.2 (whose tokens Django 4.0–5.2 make
 * alike): Django mints password-reset tokens that Gatehouse accepts, Gatehouse
 * mints tokens Django accepts, and both agree on when they expire — in several
 * TIME_ZONEs, with USE_TZ on and off, across daylight-saving changes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkResetToken,
  makeResetToken,
  type ResetTokenUser,
} from '../../src/accounts/password-reset-token.ts';
import { decodeUid, encodeUid } from '../../src/accounts/uidb64.ts';
import { DJANGO_SKIP, runDjangoPython } from '../helpers/django.ts';

const KEY = 'django-insecure-gatehouse-live-reset';
const OLD_KEY = 'django-insecure-gatehouse-live-reset-old';
const TIMEOUT = 259_200;

// Each case runs in its own Python: Django's TIME_ZONE is the process time zone (TZ), as a settings module sets it.
const CASES = [
  { timeZone: 'UTC', useTz: true },
  { timeZone: 'Europe/Paris', useTz: true },
  { timeZone: 'America/New_York', useTz: false },
  { timeZone: 'Asia/Kolkata', useTz: true },
];
// 2024-05-06T12:53:20Z; an hour before Paris springs forward; just after New York falls back.
const NOWS = [1_715_000_000, 1_711_846_799, 1_730_613_600];
const USERS: ResetTokenUser[] = [
  {
    id: 42,
    password: 'pbkdf2_sha256$260000$abc$def=',
    email: 'alice@example.com',
    lastLogin: 1_714_000_000_654,
  },
  { id: 7, password: '!unusable', email: null, lastLogin: null },
  { id: 123456789, password: 'md5$s$h', email: 'zoë@exämple.com', lastLogin: 1_711_843_200_000 },
];

const SCRIPT = `
import json, os, time
time.tzset()
import django
from django.conf import settings
settings.configure(SECRET_KEY=os.environ['KEY'], USE_TZ=os.environ['USE_TZ'] == '1', TIME_ZONE=os.environ['TZ'],
                   INSTALLED_APPS=['django.contrib.auth', 'django.contrib.contenttypes'])
django.setup()
from datetime import datetime, timezone as dtz
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

def generator(now, secret=None):
    class Fixed(PasswordResetTokenGenerator):
        def _now(self):
            return datetime.fromtimestamp(now)  # naive local time, as datetime.now() gives
    g = Fixed()
    if secret:
        g.secret = secret
    return g

def user(u):
    last = u['lastLogin']
    if last is not None:
        last = datetime.fromtimestamp(last / 1000, tz=dtz.utc) if settings.USE_TZ else datetime.fromtimestamp(last / 1000)
    return User(pk=u['id'], password=u['password'], email=u['email'], last_login=last)

data = json.loads(os.environ['DATA'])
out = {'minted': [], 'old': [], 'checks': [], 'djangoChecks': [], 'uids': []}
for now in data['nows']:
    for u in data['users']:
        token = generator(now).make_token(user(u))
        out['minted'].append(token)
        out['djangoChecks'].append([generator(now + dt).check_token(user(u), token) for dt in data['offsets']])
        out['old'].append(generator(now, os.environ['OLD_KEY']).make_token(user(u)))
        out['uids'].append(urlsafe_base64_encode(force_bytes(u['id'])))
for token, u, now in data['gatehouse']:
    out['checks'].append([generator(now + dt).check_token(user(u), token) for dt in data['offsets']])
print(json.dumps(out))
`;

describe("Django's password reset tokens, live", { skip: DJANGO_SKIP }, () => {
  for (const { timeZone, useTz } of CASES) {
    test(`TIME_ZONE=${timeZone}, USE_TZ=${useTz}: minted by either side, accepted and expired by both`, async () => {
      // The age is wall-clock time in TIME_ZONE, so across a DST change Django's expiry moves by an hour.
      const offsets = [0, -3600, TIMEOUT - 3600, TIMEOUT, TIMEOUT + 1, TIMEOUT + 3600, TIMEOUT + 3601];
      const clock = { timeZone, useTz };
      const gatehouse: [string, ResetTokenUser, number][] = [];
      for (const now of NOWS) {
        for (const user of USERS)
          gatehouse.push([makeResetToken(user, { secret: KEY, now: now * 1000, ...clock }), user, now]);
      }
      const out = JSON.parse(
        await runDjangoPython(SCRIPT, {
          KEY,
          OLD_KEY,
          TZ: timeZone,
          USE_TZ: useTz ? '1' : '0',
          DATA: JSON.stringify({ nows: NOWS, users: USERS, gatehouse, offsets }),
        }),
      ) as {
        minted: string[];
        old: string[];
        checks: boolean[][];
        djangoChecks: boolean[][];
        uids: string[];
      };

      let i = 0;
      for (const now of NOWS) {
        for (const user of USERS) {
          const at = (dt: number, secrets = [KEY]) => ({ secrets, now: (now + dt) * 1000, ...clock });
          const minted = out.minted[i];
          // Django's token is Gatehouse's token: same bytes for the same user, secret and time.
          assert.equal(minted, gatehouse[i][0], `${timeZone} ${now} ${user.id}`);
          const ours = offsets.map((dt) => checkResetToken(user, minted, at(dt)));
          assert.deepEqual(ours, out.djangoChecks[i]);
          assert.deepEqual([ours[0], ours[1], ours[2], ours[6]], [true, true, true, false]);
          assert.equal(checkResetToken(user, out.old[i], at(0)), false);
          assert.equal(checkResetToken(user, out.old[i], at(0, [KEY, OLD_KEY])), true);
          assert.equal(checkResetToken({ ...user, password: `${user.password}x` }, minted, at(0)), false);
          assert.equal(out.uids[i], encodeUid(user.id));
          assert.equal(decodeUid(out.uids[i]), String(user.id));
          // And Django's check_token agrees with Gatehouse's on Gatehouse's token, at every offset.
          assert.deepEqual(out.checks[i], ours);
          i++;
        }
      }
    });
  }
});
