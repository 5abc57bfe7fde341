/**
 * The embedded default: one SQLite file, servers caching session, token and
 * user lookups in process. A revocation by another process on the same
 * file — `gatehouse revoketoken` from the command line, a second server — is
 * refused on the very next request (issue 14: PRAGMA data_version).
 *
 * ```sh
 * node --test test/multi/sqlite-processes.test.ts
 * ```
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { obtainToken, register } from '../helpers/accounts.ts';
import { Browser } from '../helpers/browser.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

const BIN = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));
const SECRET_KEY = randomBytes(32).toString('base64url');
const ROUNDS = 4;
const INVALID_TOKEN = '{"detail":"Invalid token."}';

/** `gatehouse ARGS` on the server's file, as an operator runs it; resolves with its exit status and output. */
function gatehouse(
  dbPath: string,
  cwd: string,
  args: string[],
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: `sqlite:${dbPath}`,
        SECRET_KEY,
        GATEHOUSE_SECURITY_LOG: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

async function profile(base: string, key: string) {
  const res = await fetch(`${base}/api/profile/`, { headers: { authorization: `Token ${key}` } });
  return { status: res.status, text: await res.text() };
}

/** A new API token of the user behind `auth`: `POST /api/tokens/` answers its id and key. */
async function newToken(base: string, auth: string): Promise<{ id: string; token: string }> {
  const res = await fetch(`${base}/api/tokens/`, {
    method: 'POST',
    headers: { authorization: `Token ${auth}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'cli-test' }),
  });
  assert.equal(res.status, 201);
  return (await res.json()) as { id: string; token: string };
}

describe('one SQLite file, two servers and the CLI', () => {
  let a: RunningServer;
  let b: RunningServer;
  let cwd: string;
  let alice: string;

  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'gatehouse-sqlite-cli-'));
    a = await startServer({ SECRET_KEY });
    b = await startServer({ SECRET_KEY, DATABASE_URL: `sqlite:${a.dbPath}` });
    await register(a.url, 'alice', 'Pw-12345678');
    await register(a.url, 'bob', 'Pw-12345678');
    alice = await obtainToken(a.url, 'alice', 'Pw-12345678');
  });

  after(async () => {
    await Promise.all([b?.stop(), a?.stop()]);
    await rm(cwd, { recursive: true, force: true });
  });

  test('gatehouse revoketoken (another process) is refused by a running server on its very next request', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { id, token } = await newToken(a.url, alice);
      for (const base of [a.url, a.url, b.url, b.url]) assert.equal((await profile(base, token)).status, 200);
      const run = await gatehouse(a.dbPath, cwd, ['revoketoken', id]);
      assert.deepEqual(run, { code: 0, out: `Revoked token ${id}.\n` });
      assert.deepEqual(await profile(a.url, token), { status: 401, text: INVALID_TOKEN });
      assert.deepEqual(await profile(b.url, token), { status: 401, text: INVALID_TOKEN });
    }
    assert.equal((await profile(a.url, alice)).status, 200, 'the other token still works');
  });

  test('gatehouse deactivateuser: every credential of the user is refused on the next request', async () => {
    const key = await obtainToken(a.url, 'bob', 'Pw-12345678');
    const browser = new Browser();
    await browser.login(b.url, 'bob');
    for (const base of [a.url, b.url]) {
      assert.equal((await profile(base, key)).status, 200);
      assert.equal((await browser.send(base, 'GET', '/api/dashboard/')).status, 200);
    }
    assert.equal((await gatehouse(a.dbPath, cwd, ['deactivateuser', 'bob'])).code, 0);
    for (const base of [a.url, b.url]) {
      assert.deepEqual(await profile(base, key), {
        status: 401,
        text: '{"detail":"User inactive or deleted."}',
      });
      assert.notEqual((await browser.send(base, 'GET', '/api/dashboard/')).status, 200);
    }
  });

  test('a logout on one server is refused by the other on its very next request; a token revoked there too', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const browser = new Browser();
      await browser.login(a.url, 'alice');
      const cookie = browser.sessionCookie;
      const dashboard = async (base: string) =>
        (await fetch(`${base}/api/dashboard/`, { headers: { cookie } })).status;
      for (const base of [b.url, b.url, a.url]) assert.equal(await dashboard(base), 200);
      assert.equal((await browser.send(a.url, 'POST', '/api/logout/')).status, 200);
      assert.equal(await dashboard(b.url), 403);
      assert.equal(await dashboard(a.url), 403);

      const { id, token } = await newToken(b.url, alice);
      for (const base of [a.url, a.url]) assert.equal((await profile(base, token)).status, 200);
      const res = await fetch(`${b.url}/api/tokens/${id}/`, {
        method: 'DELETE',
        headers: { authorization: `Token ${alice}` },
      });
      assert.equal(res.status, 204);
      assert.deepEqual(await profile(a.url, token), { status: 401, text: INVALID_TOKEN });
    }
  });
});
