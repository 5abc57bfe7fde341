/**
 * The CLI's dispatch in-process: every command's --help and every kind of bad
 * argument, without a child process each (cli.test.ts runs the real bin).
 * None of them may open, let alone create, the database.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import type { Io } from '../../src/cli/command.ts';
import { commands, main } from '../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-main-'));
const dbPath = join(dir, 'never', 'db.sqlite3');
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end();
  const io: Io = {
    stdin,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: {
      DATABASE_URL: `sqlite:${dbPath}`,
      SECRET_KEY: 'cli-test-secret-key-that-is-long-enough-for-hmac',
      ...env,
    },
    cwd: dir,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

test('every command answers --help and -h on stdout, exit 0', async () => {
  assert.deepEqual(
    commands.map((c) => c.name),
    [
      'createuser',
      'changepassword',
      'deactivateuser',
      'activateuser',
      'createtoken',
      'tokens',
      'revoketoken',
      'sessions',
      'clearsessions',
      'mfa',
      'resetmfa',
      'flushexpiredtokens',
      'migrate',
      'sendtestemail',
      'runserver',
      'importdjango',
    ],
  );
  for (const { name } of commands) {
    for (const flag of ['--help', '-h']) {
      const result = await run([name, flag]);
      assert.equal(result.code, 0, `${name} ${flag}`);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, new RegExp(`^Usage: gatehouse ${name}\\b`));
      assert.match(result.stdout, /^ {2}-h, --help +show this help$/m);
    }
    const help = await run(['help', name]);
    assert.equal(help.code, 0);
    assert.equal(help.stdout, (await run([name, '--help'])).stdout);
  }
  assert.equal(existsSync(dbPath), false, '--help never opens the database');
});

test('bad arguments: one line on stderr naming the command, exit 2, nothing opened', async () => {
  const cases: [string[], string][] = [
    [['createuser', 'erin', '--bogus'], 'createuser: unknown option "--bogus"'],
    [['createuser'], 'createuser: missing USERNAME'],
    [['createuser', 'erin'], 'createuser: no password given and no terminal to ask on; use --password-stdin'],
    [
      ['createuser', 'erin', '--password', 'Pw-12345678', '--password-stdin'],
      'createuser: --password and --password-stdin cannot be used together',
    ],
    [
      ['createuser', 'erin', '--staff=yes', '--password', 'Pw-12345678'],
      'createuser: --staff takes no value',
    ],
    [['createuser', 'erin', 'extra', '--password', 'Pw-12345678'], 'createuser: unexpected argument "extra"'],
    [['createuser', 'erin', '--email'], 'createuser: --email needs a value (--email E)'],
    [
      ['changepassword', 'alice'],
      'changepassword: no password given and no terminal to ask on; use --password-stdin',
    ],
    [['changepassword', 'alice', '--password', 'x'], 'changepassword: unknown option "--password"'],
    [['deactivateuser'], 'deactivateuser: missing USERNAME'],
    [['activateuser', 'a', 'b'], 'activateuser: unexpected argument "b"'],
    [
      ['createtoken', 'alice', '--expires-in', 'abc'],
      'createtoken: --expires-in: expected a whole number from 1 to 315360000, got "abc"',
    ],
    [
      ['createtoken', 'alice', '--expires-in', '0'],
      'createtoken: --expires-in: expected a whole number from 1 to 315360000, got "0"',
    ],
    [
      ['createtoken', 'alice', '--expires-in=315360001'],
      'createtoken: --expires-in: expected a whole number from 1 to 315360000, got "315360001"',
    ],
    [['createtoken', 'alice', '--name', 'x'.repeat(101)], 'createtoken: --name: at most 100 characters'],
    [['createtoken', 'alice', '-x'], 'createtoken: unknown option "-x"'],
    [['tokens'], 'tokens: missing USERNAME'],
    [['revoketoken'], 'revoketoken: missing ID'],
    [['sessions', ''], 'sessions: missing USERNAME'],
    [['clearsessions', 'now'], 'clearsessions: unexpected argument "now"'],
    [['flushexpiredtokens', '--all'], 'flushexpiredtokens: unknown option "--all"'],
    [['migrate', '--fake'], 'migrate: unknown option "--fake"'],
    [['runserver', '0.0.0.0:8000'], 'runserver: unexpected argument "0.0.0.0:8000"'],
    [['importdjango'], 'importdjango: missing DJANGO_DATABASE_URL'],
    [
      ['importdjango', 'db.sqlite3'],
      "importdjango: Django's SECRET_KEY is needed: --django-secret-key KEY or DJANGO_SECRET_KEY",
    ],
    [
      ['importdjango', 'db.sqlite3', '--django-secret-key'],
      'importdjango: --django-secret-key needs a value (--django-secret-key KEY)',
    ],
  ];
  for (const [argv, message] of cases) {
    const result = await run(argv);
    const command = argv[0];
    assert.deepEqual(
      result,
      { code: 2, stdout: '', stderr: `gatehouse: ${message} (see gatehouse ${command} --help)\n` },
      argv.join(' '),
    );
  }
  assert.equal(existsSync(dbPath), false, 'a bad argument is reported before anything is opened');
});

test('no command, an unknown command, help for an unknown command: exit 2', async () => {
  const none = await run([]);
  assert.equal(none.code, 2);
  assert.match(
    none.stderr,
    /^gatehouse: missing command: createuser, changepassword, .*, migrate, sendtestemail, runserver, importdjango \(see gatehouse --help\)\n$/,
  );
  assert.deepEqual(await run(['createsuperuser']), {
    code: 2,
    stdout: '',
    stderr: 'gatehouse: unknown command "createsuperuser" (see gatehouse --help)\n',
  });
  assert.deepEqual(await run(['help', 'nope']), {
    code: 2,
    stdout: '',
    stderr: 'gatehouse: unknown command "nope"\n',
  });
  assert.deepEqual(await run(['\x1b[2J']), {
    code: 2,
    stdout: '',
    stderr: 'gatehouse: unknown command "\\u001b[2J" (see gatehouse --help)\n',
  });
});

test('a bad configuration value is exit 2, one line, before the database is opened', async () => {
  assert.deepEqual(await run(['tokens', 'alice'], { GATEHOUSE_SECURE_COOKIES: 'maybe' }), {
    code: 2,
    stdout: '',
    stderr: 'gatehouse: tokens: GATEHOUSE_SECURE_COOKIES: expected 1 or 0, got "maybe"\n',
  });
  assert.deepEqual(await run(['clearsessions'], { DATABASE_URL: 'sqlite:' }), {
    code: 2,
    stdout: '',
    stderr: 'gatehouse: clearsessions: DATABASE_URL: sqlite: needs a path, e.g. sqlite:var/db.sqlite3\n',
  });
  const key = { DJANGO_SECRET_KEY: 'django-insecure-key' };
  assert.deepEqual(await run(['importdjango', 'mysql://db/app'], key), {
    code: 2,
    stdout: '',
    stderr:
      'gatehouse: importdjango: DJANGO_DATABASE_URL: unsupported scheme "mysql"; Gatehouse reads SQLite and PostgreSQL\n',
  });
  assert.deepEqual(await run(['importdjango', 'no-such-django.sqlite3'], key), {
    code: 2,
    stdout: '',
    stderr: `gatehouse: importdjango: no Django database at ${join(dir, 'no-such-django.sqlite3')}\n`,
  });
  assert.equal(existsSync(dbPath), false);
});
