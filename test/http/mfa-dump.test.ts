/**
 * A database dump holds no TOTP secret and no recovery code in the clear
 * (CONTRACT "Two-factor authentication and passkeys": "never stored in the
 * clear"), nor a usable ephemeral token: the raw bytes of the SQLite file
 * (and its write-ahead log) and every row of every PostgreSQL table are
 * searched for each secret in every encoding it could have been stored in.
 * The factors still work afterwards, so they are stored — sealed.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Secret } from 'otpauth';
import pg from 'pg';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.ts';
import { type AuthenticatorApp, enableTotp, PASSWORD } from '../helpers/mfa.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/pg-database.ts';
import { createSoftAuthenticator } from '../helpers/soft-authenticator.ts';

const base32Decode = (text: string) => Buffer.from(Secret.fromBase32(text).bytes);

interface Secrets {
  app: AuthenticatorApp;
  totpSecret: string;
  recoveryCodes: string[];
  ephemeralToken: string;
}

/** Each secret as text in the forms a careless store could use: as is, case-folded, undashed, the raw key in hex and base64. */
function needles({ totpSecret, recoveryCodes, ephemeralToken }: Secrets): string[] {
  const raw = base32Decode(totpSecret);
  return [
    totpSecret,
    totpSecret.toLowerCase(),
    raw.toString('hex'),
    raw.toString('base64'),
    raw.toString('base64url'),
    ...recoveryCodes.flatMap((c) => [c, c.replace('-', ''), c.toUpperCase()]),
    ephemeralToken,
  ];
}

/** Sets up every kind of MFA state for a user, through the API; returns the secrets involved. */
async function enrol(t: TestApp, clock: FakeClock): Promise<Secrets> {
  await t.user('alice');
  const c = t.client();
  await c.login('alice');
  const { app, recoveryCodes } = await enableTotp(c, clock);
  // One code used (the used mask is stored), a passkey registered, a login left pending.
  const d = t.client();
  const started = await d.login('alice');
  await d.request('POST', '/auth/mfa/verify/', {
    json: { ephemeral_token: started.json.ephemeral_token, code: recoveryCodes[9] },
    csrf: true,
  });
  const begun = await c.request('POST', '/auth/passkeys/register/begin/', { json: {}, csrf: true });
  const credential = createSoftAuthenticator({ origin: 'http://localhost' }).create(begun.json);
  const added = await c.request('POST', '/auth/passkeys/register/complete/', {
    json: { credential, current_password: PASSWORD },
    csrf: true,
  });
  assert.equal(added.status, 201);
  const pending = (
    await t.client().request('POST', '/api/token/', { json: { username: 'alice', password: PASSWORD } })
  ).json.ephemeral_token;
  return { app, totpSecret: app.secret, recoveryCodes, ephemeralToken: pending };
}

/** The factors still work: a code from the app and an unused recovery code each finish a login. */
async function stillWorks(t: TestApp, clock: FakeClock, secrets: Secrets) {
  clock.advance(30_000);
  for (const code of [secrets.app.code(clock.now()), secrets.recoveryCodes[0]]) {
    const c = t.client();
    const token = (
      await c.request('POST', '/api/token/', { json: { username: 'alice', password: PASSWORD } })
    ).json.ephemeral_token;
    const done = await c.request('POST', '/auth/mfa/verify/', { json: { ephemeral_token: token, code } });
    assert.equal(done.status, 200, done.body);
  }
}

describe('a dump of the SQLite file holds no TOTP secret, recovery code or ephemeral token', () => {
  let t: TestApp;
  let clock: FakeClock;
  before(async () => {
    clock = createFakeClock();
    t = await makeApp({ clock });
  });
  after(() => t.close());

  test('the raw bytes of the database file and its write-ahead log', async () => {
    const secrets = await enrol(t, clock);
    const files = [t.dbPath, `${t.dbPath}-wal`].filter((f) => existsSync(f));
    const dump = Buffer.concat(files.map((f) => readFileSync(f)));
    assert.ok(dump.includes(Buffer.from('totp_devices')), 'the dump is the database');
    assert.ok(dump.includes(Buffer.from('v1.')), 'sealed values are in it');
    for (const needle of needles(secrets)) assert.ok(!dump.includes(Buffer.from(needle)), `found ${needle}`);
    const raw = base32Decode(secrets.totpSecret);
    assert.ok(!dump.includes(raw), 'not even the raw key bytes');
    await stillWorks(t, clock, secrets);
  });
});

const skip = (await postgresSkipReason()) ?? false;

describe('a dump of the PostgreSQL tables holds no TOTP secret, recovery code or ephemeral token', {
  skip,
}, () => {
  let t: TestApp;
  let clock: FakeClock;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  before(async () => {
    db = await createTestDatabase();
    clock = createFakeClock();
    t = await makeApp({ clock, env: { DATABASE_URL: db.url } });
  });
  after(async () => {
    await t?.close();
    await db?.drop();
  });

  test('every row of every table', async () => {
    const secrets = await enrol(t, clock);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    let dump = '';
    try {
      const { rows: tables } = await client.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
      );
      assert.ok(tables.some((r) => r.table_name === 'gatehouse_recovery_codes'));
      for (const { table_name } of tables) {
        const { rows } = await client.query(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
        dump += rows.map((r) => r.row).join('\n');
      }
    } finally {
      await client.end();
    }
    assert.match(dump, /"sealed_secret":"v1\./);
    for (const needle of needles(secrets)) assert.ok(!dump.includes(needle), `found ${needle}`);
    await stillWorks(t, clock, secrets);
  });
});
