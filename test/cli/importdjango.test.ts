/**
 * `gatehouse importdjango` in-process (src/cli/main.ts with an injected Io):
 * what it prints where — results on stdout, progress on stderr only on a
 * terminal — over a Django-schema SQLite file written in Django's formats.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import type { Io } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { sha256Hex } from '../../src/internal/hash.ts';
import {
  createDjangoSqlite,
  djangoDateTime,
  djangoUser,
  insertSessions,
  insertUsers,
  sessionData,
} from '../helpers/django-sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-importdjango-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const DJANGO_KEY = 'django-insecure-cli-importdjango-test-key';
const djangoPath = join(dir, 'django.sqlite3');
const django = createDjangoSqlite(djangoPath);
const users = [1, 2, 3].map((id) => djangoUser(id));
insertUsers(django, users);
insertSessions(django, [
  {
    key: 'k'.repeat(32),
    data: sessionData(users[0], DJANGO_KEY),
    expireDate: djangoDateTime(Date.now() + 3_600_000),
  },
  {
    key: 'e'.repeat(32),
    data: sessionData(users[1], DJANGO_KEY),
    expireDate: djangoDateTime(Date.now() - 1000),
  },
]);
django.close();

async function run(argv: string[], options: { tty: boolean; database: string }) {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end();
  const io: Io = {
    stdin,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: options.tty },
    env: {
      DATABASE_URL: `sqlite:${join(dir, options.database)}`,
      SECRET_KEY: 'cli-importdjango-test-secret-key-long-enough',
      GATEHOUSE_SECURITY_LOG: 'off',
      DJANGO_SECRET_KEY: DJANGO_KEY,
    },
    cwd: dir,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

test('results go to stdout; progress lines go to stderr on a terminal, and nowhere otherwise', async () => {
  const onTerminal = await run(['importdjango', djangoPath], { tty: true, database: 'a.sqlite3' });
  assert.equal(onTerminal.code, 0);
  assert.equal(
    onTerminal.stdout,
    `Skipped django_session sha256:${sha256Hex('e'.repeat(32)).slice(0, 12)} user=2: expired\n` +
      'Imported 3 users, 0 tokens, 1 sessions (skipped 1).\n',
  );
  assert.equal(onTerminal.stderr, 'auth_user: 3 of 3\ndjango_session: 2 of 2\n');

  const piped = await run(['importdjango', djangoPath], { tty: false, database: 'b.sqlite3' });
  assert.equal(piped.stdout, onTerminal.stdout);
  assert.equal(piped.stderr, '');
});
