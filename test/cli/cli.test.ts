/**
 * The `gatehouse` command as a user runs it: a child process on a SQLite file,
 * configured by DATABASE_URL and SECRET_KEY. What it did is checked through
 * the public API on the same file, in this process.
 *
 * ```sh
 * node --test test/cli/cli.test.ts
 * ```
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  AuthenticationFailed,
  createGatehouse,
  createSqliteStores,
  type Gatehouse,
  type Stores,
} from '#gatehouse';

const BIN = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));
const SECRET_KEY = 'cli-test-secret-key-that-is-long-enough-for-hmac';
const DAY = 86_400_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
let dbPath: string;
let stores: Stores;
let gh: Gatehouse;

function gatehouse(
  args: string[],
  options: { input?: string; env?: Record<string, string>; nodeOptions?: string[] } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeOptions ?? []), BIN, ...args], {
      cwd: dir,
      // Security events (on stderr) are checked by their own test; here stderr holds only errors.
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: `sqlite:${dbPath}`,
        SECRET_KEY,
        GATEHOUSE_SECURITY_LOG: 'off',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.stdin.on('error', () => {}); // a command that never reads stdin may exit first
    child.stdin.end(options.input ?? '');
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Exactly one line on stderr, starting `gatehouse: `. */
function assertOneLineError(run: Run, code: number, message?: string | RegExp): void {
  assert.equal(run.code, code, `exit status (stderr: ${run.stderr})`);
  assert.match(run.stderr, /^gatehouse: [^\n]+\n$/, 'one line on stderr');
  if (typeof message === 'string') assert.equal(run.stderr, `gatehouse: ${message}\n`);
  else if (message) assert.match(run.stderr, message);
}

async function user(username: string, password = 'Pw-12345678') {
  return (await gh.accounts.getByUsername(username)) ?? gh.accounts.create({ username, password });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-'));
  dbPath = join(dir, 'db.sqlite3');
  stores = createSqliteStores(dbPath);
  gh = createGatehouse({ stores, secretKey: SECRET_KEY });
});

after(async () => {
  await stores.close();
  await rm(dir, { recursive: true, force: true });
});

const COMMANDS = [
  'createuser',
  'changepassword',
  'deactivateuser',
  'activateuser',
  'createtoken',
  'tokens',
  'revoketoken',
  'sessions',
  'clearsessions',
  'flushexpiredtokens',
  'migrate',
  'runserver',
];

describe('help', () => {
  test('gatehouse --help lists every command and exits 0', async () => {
    const run = await gatehouse(['--help']);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, '');
    for (const name of COMMANDS) assert.match(run.stdout, new RegExp(`^  ${name} `, 'm'));
  });

  test('a command answers --help on stdout, exit 0, without opening the database', async () => {
    // Every command's --help is checked in-process by main.test.ts.
    const run = await gatehouse(['createtoken', '--help'], {
      env: { DATABASE_URL: `sqlite:${join(dir, 'none', 'x.db')}` },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^Usage: gatehouse createtoken USERNAME \[--name N\] \[--expires-in SECONDS\]\n/,
    );
    assert.equal(run.stderr, '');
    assert.equal(existsSync(join(dir, 'none')), false);
  });

  test('no command, or an unknown one: one line, exit 2', async () => {
    const [none, unknown] = await Promise.all([gatehouse([]), gatehouse(['createsuperuser'])]);
    assertOneLineError(none, 2, /missing command: createuser, changepassword/);
    assertOneLineError(unknown, 2, 'unknown command "createsuperuser" (see gatehouse --help)');
  });
});

describe('createuser', () => {
  test('creates the user from --password-stdin, less exactly one trailing newline', async () => {
    const run = await gatehouse(['createuser', 'alice', '--password-stdin'], { input: 'Pw-12345678\n' });
    assert.deepEqual(run, { code: 0, stdout: 'Created user alice.\n', stderr: '' });
    const alice = await gh.accounts.getByUsername('alice');
    assert.ok(alice);
    assert.equal(alice.isStaff, false);
    assert.equal((await gh.hashers.verify('Pw-12345678', alice.password)).valid, true);

    const spaced = await gatehouse(
      ['createuser', 'bea', '--password-stdin', '--email', 'bea@example.com', '--superuser'],
      {
        input: ' Pw-12345678 \n\n',
      },
    );
    assert.deepEqual(spaced, { code: 0, stdout: 'Created superuser bea.\n', stderr: '' });
    const bea = await gh.accounts.getByUsername('bea');
    assert.ok(bea);
    assert.equal(bea.email, 'bea@example.com');
    assert.equal(bea.isSuperuser, true);
    assert.equal(bea.isStaff, true, '--superuser implies --staff, as in Django');
    assert.equal((await gh.hashers.verify(' Pw-12345678 \n', bea.password)).valid, true);
  });

  test('a taken username is exit 1 with one line', async () => {
    await user('alice');
    const run = await gatehouse(['createuser', 'alice', '--password-stdin'], { input: 'Pw-12345678\n' });
    assert.equal(run.stdout, '');
    assertOneLineError(run, 1, 'createuser: username: A user with that username already exists.');
  });

  test("a password Django's validators reject is exit 1 with one line", async () => {
    const run = await gatehouse(['createuser', 'carl', '--password', 'password']);
    assertOneLineError(run, 1, 'createuser: password: This password is too common.');
    assert.equal(await gh.accounts.getByUsername('carl'), null);
  });

  test('--password sets the password as given', async () => {
    const run = await gatehouse(['createuser', 'dora', '--password', '-Pw 12345678', '--staff']);
    assert.deepEqual(run, { code: 0, stdout: 'Created staff user dora.\n', stderr: '' });
    const dora = await gh.accounts.getByUsername('dora');
    assert.ok(dora);
    assert.equal(dora.isStaff, true);
    assert.equal((await gh.hashers.verify('-Pw 12345678', dora.password)).valid, true);
  });
});

test('bad arguments: one line on stderr, exit 2, nothing done', async () => {
  // The full table of mistakes runs in-process in main.test.ts; here, through the real bin.
  const [flag, missing, noTerminal] = await Promise.all([
    gatehouse(['createuser', 'erin', '--bogus', '--password-stdin'], { input: 'Pw-12345678\n' }),
    gatehouse(['createuser', '--password-stdin'], { input: 'Pw-12345678\n' }),
    gatehouse(['createuser', 'erin']), // no password, and stdin is not a terminal
  ]);
  assertOneLineError(flag, 2, 'createuser: unknown option "--bogus" (see gatehouse createuser --help)');
  assertOneLineError(missing, 2, 'createuser: missing USERNAME (see gatehouse createuser --help)');
  assertOneLineError(
    noTerminal,
    2,
    'createuser: no password given and no terminal to ask on; use --password-stdin (see gatehouse createuser --help)',
  );
  for (const run of [flag, missing, noTerminal]) assert.equal(run.stdout, '');
  assert.equal(await gh.accounts.getByUsername('erin'), null);
});

test('an unknown user: one line on stderr, exit 1, for every command that takes one', async () => {
  const runs = await Promise.all([
    gatehouse(['changepassword', 'nobody', '--password-stdin'], { input: 'Pw-12345678\n' }),
    gatehouse(['deactivateuser', 'nobody']),
    gatehouse(['activateuser', 'nobody']),
    gatehouse(['tokens', 'nobody']),
    gatehouse(['sessions', 'nobody']),
    gatehouse(['createtoken', 'nobody']),
  ]);
  const [changepassword, deactivate, activate, tokens, sessions, createtoken] = runs;
  assertOneLineError(changepassword, 1, 'changepassword: user "nobody" does not exist');
  assertOneLineError(deactivate, 1, 'deactivateuser: user "nobody" does not exist');
  assertOneLineError(activate, 1, 'activateuser: user "nobody" does not exist');
  assertOneLineError(tokens, 1, 'tokens: user "nobody" does not exist');
  assertOneLineError(sessions, 1, 'sessions: user "nobody" does not exist');
  // drf_create_token's CommandError, word for word.
  assertOneLineError(createtoken, 1, 'createtoken: Cannot create the Token: user nobody does not exist');
  for (const run of runs) assert.equal(run.stdout, '');
});

describe('tokens', () => {
  test("createtoken prints drf_create_token's line, and the key authenticates", async () => {
    const frank = await user('frank');
    const run = await gatehouse(['createtoken', 'frank']);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, '');
    const match = /^Generated token (\S+) for user frank\n$/.exec(run.stdout);
    assert.ok(match, run.stdout);
    const found = await gh.tokens.resolve(match[1]);
    assert.equal(found?.user.id, frank.id);
    assert.equal(found?.token.expiresAt, null);
  });

  test('--name and --expires-in are kept; tokens lists them, never the key', async () => {
    await user('gina');
    const started = Date.now();
    const run = await gatehouse(['createtoken', 'gina', '--name', 'laptop', '--expires-in', '3600']);
    assert.equal(run.code, 0, run.stderr);
    const key = /^Generated token (\S+) for user gina\n$/.exec(run.stdout)?.[1];
    assert.ok(key);
    const found = await gh.tokens.resolve(key);
    assert.ok(found);
    assert.equal(found.token.name, 'laptop');
    assert.ok(
      found.token.expiresAt! >= started + 3_600_000 && found.token.expiresAt! <= Date.now() + 3_600_000,
    );

    const list = await gatehouse(['tokens', 'gina']);
    assert.equal(list.code, 0, list.stderr);
    const [header, row, ...rest] = list.stdout.trimEnd().split('\n');
    assert.match(header, /^ID +NAME +CREATED +LAST USED +EXPIRES$/);
    assert.deepEqual(rest, []);
    assert.ok(row.startsWith(`${found.token.id}  laptop  `), row);
    assert.match(
      row,
      /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    assert.ok(!list.stdout.includes(key), 'the key is never printed again');
  });

  test('revoketoken revokes at once; an unknown id is exit 1', async () => {
    const hana = await user('hana');
    const { key, token } = await gh.tokens.issue(hana);
    const run = await gatehouse(['revoketoken', token.id]);
    assert.deepEqual(run, { code: 0, stdout: `Revoked token ${token.id}.\n`, stderr: '' });
    assert.equal(await gh.tokens.resolve(key), null);

    const again = await gatehouse(['revoketoken', token.id]);
    assertOneLineError(again, 1, `revoketoken: no API token has the id "${token.id}"`);
  });
  test("LOG-01: an operator's revocation is a security event on stderr, stdout keeps the result", async () => {
    const u = await user('ola');
    const { token } = await gh.tokens.issue(u, { name: 'laptop' });
    const run = await gatehouse(['revoketoken', token.id], { env: { GATEHOUSE_SECURITY_LOG: 'stdout' } });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `Revoked token ${token.id}.\n`);
    const event = JSON.parse(run.stderr);
    assert.deepEqual(
      [event.logger, event.event, event.userId, event.route, event.reason],
      ['gatehouse.security', 'token_revoked', u.id, 'gatehouse revoketoken', token.id],
    );
  });

  test('flushexpiredtokens deletes expired API tokens and refresh-token records, and counts them', async () => {
    const ivan = await user('ivan');
    const past = createGatehouse({ stores, secretKey: SECRET_KEY, clock: { now: () => Date.now() - DAY } });
    await past.tokens.issue(ivan, { name: 'old', expiresIn: 60 });
    const live = await gh.tokens.issue(ivan, { name: 'live', expiresIn: 3600 });
    await stores.refreshTokens.startFamily(
      { id: 'f1', userId: ivan.id, bornAt: Date.now() - 2 * DAY },
      { jti: 'expired-jti', familyId: 'f1', userId: ivan.id, expiresAt: Date.now() - DAY },
    );
    await stores.refreshTokens.startFamily(
      { id: 'f2', userId: ivan.id, bornAt: Date.now() },
      { jti: 'live-jti', familyId: 'f2', userId: ivan.id, expiresAt: Date.now() + DAY },
    );

    const run = await gatehouse(['flushexpiredtokens']);
    assert.deepEqual(run, {
      code: 0,
      stdout: 'Deleted 1 expired API token and 1 expired refresh-token record.\n',
      stderr: '',
    });
    assert.deepEqual(
      (await gh.tokens.list(ivan.id)).map((t) => t.name),
      ['live'],
    );
    assert.ok(await gh.tokens.resolve(live.key));
    assert.equal((await stores.refreshTokens.consume('live-jti')).status, 'consumed');
    assert.equal((await stores.refreshTokens.consume('expired-jti')).status, 'unknown');
  });
});

describe('user state', () => {
  test("deactivateuser: the user's token answers 'User inactive or deleted.'; activateuser undoes it", async () => {
    const jane = await user('jane');
    const { key } = await gh.tokens.issue(jane);

    const off = await gatehouse(['deactivateuser', 'jane']);
    assert.deepEqual(off, { code: 0, stdout: 'Deactivated user jane.\n', stderr: '' });
    await assert.rejects(gh.tokens.resolve(key), (error) => {
      assert.ok(error instanceof AuthenticationFailed);
      assert.equal(error.detail, 'User inactive or deleted.');
      return true;
    });
    const twice = await gatehouse(['deactivateuser', 'jane']);
    assert.deepEqual(twice, { code: 0, stdout: 'User jane is already inactive.\n', stderr: '' });

    const on = await gatehouse(['activateuser', 'jane']);
    assert.deepEqual(on, { code: 0, stdout: 'Activated user jane.\n', stderr: '' });
    assert.equal((await gh.tokens.resolve(key))?.user.id, jane.id);
  });

  test('changepassword from stdin: the new password works, sessions end, API tokens stay', async () => {
    const kim = await user('kim', 'Old-Pw-12345678');
    const { key: sessionKey } = await gh.sessions.create(kim, { ip: '192.0.2.1', userAgent: 'Firefox' });
    const { key: tokenKey } = await gh.tokens.issue(kim);

    const run = await gatehouse(['changepassword', 'kim', '--password-stdin'], {
      input: 'New-Pw-87654321\n',
    });
    assert.deepEqual(run, { code: 0, stdout: 'Password changed successfully for user kim.\n', stderr: '' });
    const changed = await gh.accounts.getByUsername('kim');
    assert.ok(changed);
    assert.equal((await gh.hashers.verify('New-Pw-87654321', changed.password)).valid, true);
    assert.equal((await gh.hashers.verify('Old-Pw-12345678', changed.password)).valid, false);
    assert.equal(await gh.sessions.resolve(sessionKey), null);
    assert.ok(changed.tokensValidAfter > 0, 'access JWTs issued before now are dead');
    assert.ok(await gh.tokens.resolve(tokenKey), 'API tokens are not ended by a password change');

    const weak = await gatehouse(['changepassword', 'kim', '--password-stdin'], { input: '12345678\n' });
    assertOneLineError(
      weak,
      1,
      /^gatehouse: changepassword: password: This password is too common\. This password is entirely numeric\.\n$/,
    );
  });
});

describe('sessions', () => {
  test('sessions lists id, created, last seen, ip and user agent, with control characters escaped', async () => {
    const lena = await user('lena');
    const { session } = await gh.sessions.create(lena, {
      ip: '192.0.2.7',
      userAgent: 'Evil\x1b[2J\x1b]0;owned\x07UA',
    });
    const run = await gatehouse(['sessions', 'lena']);
    assert.equal(run.code, 0, run.stderr);
    const [header, row, ...rest] = run.stdout.trimEnd().split('\n');
    assert.match(header, /^ID +CREATED +LAST SEEN +IP +USER AGENT$/);
    assert.deepEqual(rest, []);
    assert.ok(row.startsWith(`${session.id}  `), row);
    assert.ok(row.endsWith('  192.0.2.7  Evil\\x1b[2J\\x1b]0;owned\\x07UA'), row);
    assert.ok(!run.stdout.includes('\x1b'), 'no escape character reaches the terminal');
  });

  test('clearsessions deletes expired sessions and says how many', async () => {
    const mia = await user('mia');
    const past = createGatehouse({
      stores,
      secretKey: SECRET_KEY,
      clock: { now: () => Date.now() - 31 * DAY },
    });
    const expired = await past.sessions.create(mia, { ip: '192.0.2.8', userAgent: 'old' });
    const live = await gh.sessions.create(mia, { ip: '192.0.2.9', userAgent: 'new' });

    const listed = await gatehouse(['sessions', 'mia']);
    assert.match(
      listed.stdout,
      new RegExp(`^${expired.session.id} .* \\(expired\\) +192\\.0\\.2\\.8 +old$`, 'm'),
    );

    const run = await gatehouse(['clearsessions']);
    assert.deepEqual(run, { code: 0, stdout: 'Deleted 1 expired session.\n', stderr: '' });
    assert.deepEqual(
      (await gh.sessions.list(mia.id)).map((s) => s.id),
      [live.session.id],
    );
  });
});

test('migrate on a new database prints what it applied, then that it is up to date', async () => {
  const env = { DATABASE_URL: `sqlite:${join(dir, 'fresh', 'db.sqlite3')}` };
  const first = await gatehouse(['migrate'], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^(Applied migration \d{4}_\w+\.\n)+Database is up to date\.\n$/);
  assert.match(first.stdout, /^Applied migration 0001_tables\.$/m);
  const second = await gatehouse(['migrate'], { env });
  assert.deepEqual(second, { code: 0, stdout: 'Database is up to date.\n', stderr: '' });
});

test('a configuration error is one line, exit 2', async () => {
  const run = await gatehouse(['tokens', 'alice'], { env: { DATABASE_URL: 'mysql://db/gatehouse' } });
  assertOneLineError(
    run,
    2,
    /^gatehouse: tokens: DATABASE_URL: unsupported scheme in "mysql"; use sqlite: or postgres:\/\/\n$/,
  );
});

test('on a Node.js older than 24 the bin says so in one line and exits 2', async () => {
  const pretend = 'Object.defineProperty(process,"versions",{value:{...process.versions,node:"22.12.0"}})';
  const run = await gatehouse(['--help'], {
    nodeOptions: ['--import', `data:text/javascript,${encodeURIComponent(pretend)}`],
  });
  assert.equal(run.stdout, '');
  assertOneLineError(run, 2, 'Node.js 24 or newer is required (this is Node.js 22.12.0)');
});
