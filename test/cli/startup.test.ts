/**
 * Starting up, as an operator meets it: `gatehouse runserver` (the bin, from
 * the checkout) and `npm start` (server/main.ts) say what a first start
 * created and what to do next; a bad HOST, an unwritable SQLite path and a
 * PostgreSQL URL naming a missing database stop them — and any command — with
 * one line on stderr and exit status 2, never a stack trace.
 *
 * ```sh
 * node --test test/cli/startup.test.ts
 * ```
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));
const SERVER = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
const SECRET_KEY = 'startup-test-secret-key-long-enough-for-hmac';
const POSTGRES = process.env.GATEHOUSE_TEST_POSTGRES === '1';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-startup-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A fresh empty working folder, as a user's project folder. */
function folder(): string {
  return mkdtempSync(join(root, 'cwd-'));
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a clean shell: PATH only, plus what the case sets. */
function spawnIn(cwd: string, argv: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, argv, {
    cwd,
    env: { PATH: process.env.PATH ?? '', GATEHOUSE_SECURITY_LOG: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function run(cwd: string, argv: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnIn(cwd, argv, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The two ways to start the reference server, as the README gives them. */
const starts: Record<string, string[]> = {
  'gatehouse runserver': [BIN, 'runserver'],
  'npm start': ['--disable-warning=ExperimentalWarning', SERVER],
};

function assertOneLine(result: Run, pattern: RegExp): void {
  assert.equal(result.code, 2, `exit status (stderr: ${result.stderr})`);
  assert.match(result.stderr, /^gatehouse: [^\n]+\n$/, `one line on stderr, got:\n${result.stderr}`);
  assert.match(result.stderr, pattern);
  assert.equal(result.stdout, '');
}

describe('a start that cannot succeed: one line, exit 2', () => {
  for (const [name, argv] of Object.entries(starts)) {
    const prefix = name === 'npm start' ? 'gatehouse: ' : 'gatehouse: runserver: ';

    test(`${name}: a HOST that does not resolve, before anything is created`, async () => {
      const cwd = folder();
      const result = await run(cwd, argv, { SECRET_KEY, HOST: 'no-such-host.invalid', PORT: '0' });
      assertOneLine(
        result,
        /HOST: cannot resolve "no-such-host\.invalid" \((ENOTFOUND|EAI_AGAIN|EAI_NONAME)\)\n$/,
      );
      assert.ok(result.stderr.startsWith(prefix));
      assert.equal(existsSync(join(cwd, 'var', 'db.sqlite3')), false);
    });

    test(`${name}: a SQLite path that cannot be created`, async () => {
      const cwd = folder();
      writeFileSync(join(cwd, 'plain-file'), '');
      const result = await run(cwd, argv, {
        SECRET_KEY,
        PORT: '0',
        DATABASE_URL: 'sqlite:plain-file/db.sqlite3',
      });
      assertOneLine(
        result,
        new RegExp(
          `^${prefix}DATABASE_URL: cannot open the SQLite database ${cwd}/plain-file/db\\.sqlite3 \\(a file is in the way\\)\\n$`,
        ),
      );
    });

    test(`${name}: a PostgreSQL URL naming a database that does not exist`, { skip: !POSTGRES }, async () => {
      const database = `gatehouse_missing_${randomBytes(4).toString('hex')}`;
      const result = await run(folder(), argv, {
        SECRET_KEY,
        PORT: '0',
        DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
      });
      assertOneLine(
        result,
        new RegExp(
          `^${prefix}DATABASE_URL: database "${database}" does not exist; create it \\(createdb\\) or fix DATABASE_URL\\n$`,
        ),
      );
    });
  }

  test('any command: the same lines for the same mistakes', async () => {
    const cwd = folder();
    writeFileSync(join(cwd, 'plain-file'), '');
    const sqlite = await run(cwd, [BIN, 'createuser', 'alice', '--password', 'Pw-12345678'], {
      SECRET_KEY,
      DATABASE_URL: 'sqlite:plain-file/db.sqlite3',
    });
    assertOneLine(
      sqlite,
      /^gatehouse: createuser: DATABASE_URL: cannot open the SQLite database \S+\/plain-file\/db\.sqlite3 \(a file is in the way\)\n$/,
    );
    // Without SECRET_KEY the key is kept in var/secret.key, which cannot be made under a file either.
    writeFileSync(join(cwd, 'var'), '');
    const blocked = await run(cwd, [BIN, 'tokens', 'alice'], { DATABASE_URL: 'sqlite:db.sqlite3' });
    assertOneLine(
      blocked,
      /^gatehouse: tokens: SECRET_KEY is unset and \S+\/var\/secret\.key cannot be created \(a file is in the way\); set SECRET_KEY or run from a writable folder\n$/,
    );
    assert.equal(existsSync(join(cwd, 'db.sqlite3')), false, 'nothing was opened');
  });

  test('a kept secret key that is too short: one line, exit 2', async () => {
    const cwd = folder();
    const first = await run(cwd, [BIN, 'migrate'], {});
    assert.equal(first.code, 0, first.stderr);
    writeFileSync(join(cwd, 'var', 'secret.key'), 'short\n');
    assertOneLine(
      await run(cwd, [BIN, 'migrate'], {}),
      /^gatehouse: migrate: \S+\/var\/secret\.key: the kept secret key is shorter than 32 bytes; delete the file to generate a new one, or set SECRET_KEY\n$/,
    );
  });

  test('a PostgreSQL database that does not exist, from a command', { skip: !POSTGRES }, async () => {
    const result = await run(folder(), [BIN, 'tokens', 'alice'], {
      SECRET_KEY,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/gatehouse_no_such_database',
    });
    assertOneLine(
      result,
      /^gatehouse: tokens: DATABASE_URL: database "gatehouse_no_such_database" does not exist; create it \(createdb\) or fix DATABASE_URL\n$/,
    );
  });
});

/** Starts a server; resolves with its stdout once the "Next:" or listening line is out. */
function startIn(cwd: string, argv: string[], env: Record<string, string>, until: RegExp) {
  const child = spawnIn(cwd, argv, env);
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      if (until.test(stdout)) resolve(stdout);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before ready:\n${stdout}${stderr}`)));
  });
  const stopped = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ready, stopped };
}

describe('a first start says what it created and what to do next', () => {
  for (const [name, argv] of Object.entries(starts)) {
    test(`${name}: the secret key and the database, then createuser; a second start says neither`, async () => {
      const cwd = folder();
      const first = startIn(cwd, argv, { PORT: '0' }, /^Next: .*\n/m);
      const out = await first.ready;
      const keyFile = join(cwd, 'var', 'secret.key');
      const dbFile = join(cwd, 'var', 'db.sqlite3');
      const lines = out.trimEnd().split('\n');
      assert.equal(
        lines[0],
        `Generated a new secret key in ${keyFile} (mode 0600): keep that file, or set SECRET_KEY.`,
      );
      assert.equal(lines[1], `Created the database ${dbFile}.`);
      const listening = /^Gatehouse listening on (http:\/\/127\.0\.0\.1:\d+) \(database: (.*)\)$/.exec(
        lines[2],
      );
      assert.ok(listening, lines[2]);
      assert.equal(listening[2], dbFile);
      assert.equal(
        lines[3],
        'Next: create a user with `npx gatehouse createuser USERNAME` (in this folder, with the same environment).',
      );
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      const health = await fetch(`${listening[1]}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(await health.text(), '{"status":"ok"}');
      first.child.kill('SIGTERM');
      assert.equal(await first.stopped, 0, 'SIGTERM ends it cleanly');

      const second = startIn(cwd, argv, { PORT: '0' }, /listening on .*\n/);
      const again = await second.ready;
      assert.match(again, /^Gatehouse listening on http:\/\/127\.0\.0\.1:\d+ \(database: .*\)\n$/);
      second.child.kill('SIGTERM');
      assert.equal(await second.stopped, 0);
    });
  }

  test('a command that creates the database says which, on stderr; the next one is silent', async () => {
    const cwd = folder();
    const created = await run(cwd, [BIN, 'createuser', 'alice', '--password', 'Pw-12345678'], {});
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'Created user alice.\n');
    assert.equal(
      created.stderr,
      `Generated a new secret key in ${join(cwd, 'var', 'secret.key')} (mode 0600): keep that file, or set SECRET_KEY.\n` +
        `Created the database ${join(cwd, 'var', 'db.sqlite3')}.\n`,
    );
    const listed = await run(cwd, [BIN, 'tokens', 'alice'], {});
    assert.deepEqual({ code: listed.code, stderr: listed.stderr }, { code: 0, stderr: '' });
  });

  test('gatehouse --version prints the version of package.json', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    assert.deepEqual(await run(folder(), [BIN, '--version'], {}), {
      code: 0,
      stdout: `${version}\n`,
      stderr: '',
    });
  });
});
