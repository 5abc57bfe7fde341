/**
 * `gatehouse mfa USERNAME` and `gatehouse resetmfa USERNAME [--passkeys]`,
 * run in-process on a SQLite file that a Gatehouse in this process set up
 * (a user with TOTP, recovery codes, a passkey and sessions).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { TOTP } from 'otpauth';
import { createGatehouse, createSqliteStores, type Gatehouse, type User } from '#gatehouse';
import type { Io } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';

const SECRET_KEY = 'cli-test-secret-key-that-is-long-enough-for-hmac';
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-mfa-'));
const dbPath = join(dir, 'db.sqlite3');
let gh: Gatehouse;
const origin = { clientAddress: '', path: 'test' };

before(() => {
  gh = createGatehouse({ stores: createSqliteStores(dbPath), secretKey: SECRET_KEY });
});
after(async () => {
  await gh.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end();
  const io: Io = {
    stdin,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { DATABASE_URL: `sqlite:${dbPath}`, SECRET_KEY, GATEHOUSE_SECURITY_LOG: 'off' },
    cwd: dir,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A user with TOTP on (through the service, as the API does), and a session. */
async function withTotp(username: string): Promise<User> {
  const user = await gh.accounts.create({ username, password: 'Pw-12345678' });
  const { secret } = await gh.mfa.beginActivation(user);
  const code = new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 }).generate();
  const codes = await gh.mfa.activate(user, { secret, code }, { origin });
  assert.ok(Array.isArray(codes));
  await gh.sessions.create(user, { ip: '127.0.0.1', userAgent: 'test' });
  return user;
}

async function passkey(user: User, name: string) {
  return gh.stores.passkeys.create({
    userId: user.id,
    credentialId: `cred-${name}`,
    publicKey: 'pQECAyYgASFYIA',
    counter: 0,
    transports: ['internal'],
    name,
    discoverable: true,
    backedUp: false,
    createdAt: Date.UTC(2026, 10, 22, 12),
    lastUsedAt: null,
  });
}

test('mfa: off, no passkeys', async () => {
  await gh.accounts.create({ username: 'plain', password: 'Pw-12345678' });
  assert.deepEqual(await run(['mfa', 'plain']), {
    code: 0,
    stdout: 'User plain: two-factor authentication is off.\nNo passkeys.\n',
    stderr: '',
  });
});

test('mfa: on, with the unused recovery codes counted and the passkeys listed (never a secret)', async () => {
  const user = await withTotp('alice');
  const key = await passkey(user, 'Laptop \u001b[31m');
  const run1 = await run(['mfa', 'alice']);
  assert.equal(run1.code, 0, run1.stderr);
  const [first, ...table] = run1.stdout.trimEnd().split('\n');
  assert.match(
    first,
    /^User alice: two-factor authentication is on \(TOTP since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, last used never\); 10 unused recovery codes\.$/,
  );
  assert.deepEqual(table, [
    'ID  NAME             CREATED               LAST USED',
    `${key!.id}   Laptop \\x1b[31m  2026-11-22T12:00:00Z  never`,
  ]);
});

test('resetmfa: TOTP and codes go, sessions end, passkeys stay; the password alone logs in again', async () => {
  const user = await withTotp('bob');
  await passkey(user, 'Phone');
  const res = await run(['resetmfa', 'bob']);
  assert.deepEqual(res, {
    code: 0,
    stdout: 'Removed the two-factor authentication of user bob; its sessions are ended.\n',
    stderr: '',
  });
  assert.equal(await gh.mfa.isEnabled(user.id), false);
  assert.deepEqual(await gh.mfa.recoveryCodes(user.id), []);
  assert.deepEqual(await gh.sessions.list(user.id), []);
  assert.equal((await gh.passkeys.list(user.id)).length, 1);
  assert.equal(
    (await run(['mfa', 'bob'])).stdout.split('\n')[0],
    'User bob: two-factor authentication is off.',
  );
});

test('resetmfa --passkeys removes the passkeys too; a user without a factor is left as it was', async () => {
  const user = await gh.accounts.create({ username: 'carol', password: 'Pw-12345678' });
  await passkey(user, 'A');
  await passkey(user, 'B');
  assert.deepEqual(await run(['resetmfa', 'carol', '--passkeys']), {
    code: 0,
    stdout: 'User carol had no two-factor authentication; its sessions are ended.\nRemoved 2 passkeys.\n',
    stderr: '',
  });
  assert.deepEqual(await gh.passkeys.list(user.id), []);
});

test('an unknown user is exit 1; a missing argument exit 2', async () => {
  assert.deepEqual(await run(['mfa', 'nobody']), {
    code: 1,
    stdout: '',
    stderr: 'gatehouse: mfa: user "nobody" does not exist\n',
  });
  const missing = await run(['resetmfa']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^gatehouse: resetmfa: [^\n]+ \(see gatehouse resetmfa --help\)\n$/);
});
