import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { StoreUnavailableError } from '../../errors.ts';
import { countCalls } from '../../testing/index.ts';
import { createSqliteStores } from '../sqlite/index.ts';
import type { SessionRecord, Stores } from '../types.ts';
import { createCachedStores, VersionWatch } from './index.ts';

// Two real connections to one SQLite file (WAL), and a child process: the
// embedded cache must drop what another connection's commit made stale
// before it serves again, and keep serving through its own writes.

let dir: string;
let file: string;
let n = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-version-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function setup() {
  file = join(dir, `db${++n}.sqlite3`);
  const sqlite = createSqliteStores(file);
  const other = createSqliteStores(file); // another connection: another process, for SQLite
  const { stores: counted, calls } = countCalls(sqlite);
  const cached = createCachedStores(counted, new VersionWatch(sqlite.dataVersion));
  const user = await cached.users.create({ username: 'alice', email: '', password: 'x', dateJoined: 0 });
  const now = Date.now();
  const session = (i: number): SessionRecord => ({
    id: `sid${i}`,
    keyHash: `hash${i}`,
    userId: user.id,
    authHash: 'a',
    createdAt: now,
    lastSeenAt: now,
    ip: '',
    userAgent: '',
  });
  for (const i of [1, 2]) await cached.sessions.create(session(i));
  const close = async () => {
    await cached.close();
    await other.close();
  };
  return { sqlite, other, cached, calls, user, session, close };
}

/** Reads both sessions and the user: what a request does. */
function readAll(stores: Stores, userId: number) {
  return Promise.all([
    stores.sessions.getByKeyHash('hash1'),
    stores.sessions.getByKeyHash('hash2'),
    stores.users.getById(userId),
  ]);
}

test('the file is in WAL mode; data_version moves on another connection’s commit, not on our own', async () => {
  const { sqlite, other, cached, user, close } = await setup();
  const raw = new DatabaseSync(file);
  assert.deepEqual({ ...raw.prepare('PRAGMA journal_mode').get() }, { journal_mode: 'wal' });
  raw.close();
  const before = sqlite.dataVersion();
  await cached.users.update(user.id, { email: 'a@example.com' });
  assert.equal(sqlite.dataVersion(), before, 'our own commit');
  await other.users.update(user.id, { email: 'b@example.com' });
  assert.notEqual(sqlite.dataVersion(), before, 'another connection’s commit');
  await close();
});

test('hits cost no table read; another connection’s revocation is refused on the very next read', async () => {
  const { other, cached, calls, user, session, close } = await setup();
  await readAll(cached, user.id);
  await readAll(cached, user.id);
  assert.deepEqual([calls['sessions.getByKeyHash'], calls['users.getById']], [2, 1]);
  await other.sessions.delete('hash1');
  const [gone, kept] = await readAll(cached, user.id);
  assert.equal(gone, null);
  assert.deepEqual(kept, session(2), 'reloaded: the whole cache was dropped');
  assert.deepEqual([calls['sessions.getByKeyHash'], calls['users.getById']], [4, 2]);
  await readAll(cached, user.id);
  assert.deepEqual([calls['sessions.getByKeyHash'], calls['users.getById']], [5, 2], 'and caches again');
  await close();
});

test('a user deactivated by another connection is seen at once', async () => {
  const { other, cached, user, close } = await setup();
  assert.equal((await cached.users.getById(user.id))?.isActive, true);
  await other.users.update(user.id, { isActive: false });
  assert.equal((await cached.users.getById(user.id))?.isActive, false);
  await close();
});

test('our own writes through the decorators keep the rest of the cache', async () => {
  const { cached, calls, user, close } = await setup();
  await readAll(cached, user.id);
  await cached.sessions.touch('hash2', Date.now() + 1000);
  await cached.sessions.delete('hash1');
  const [gone, kept] = await readAll(cached, user.id);
  assert.equal(gone, null);
  assert.ok(kept);
  // hash1: its own miss; hash2 and the user still cached.
  assert.deepEqual([calls['sessions.getByKeyHash'], calls['users.getById']], [3, 1]);
  await close();
});

test('another process (a child node) revoking a session: refused on the next read after it exits', async () => {
  const { cached, user, close } = await setup();
  for (let round = 1; round <= 2; round++) {
    assert.ok(await cached.sessions.getByKeyHash(`hash${round}`));
    assert.ok(await cached.sessions.getByKeyHash(`hash${round}`), 'served from the cache');
    const script = `
      const { DatabaseSync } = require('node:sqlite');
      const db = new DatabaseSync(process.argv[1]);
      db.exec('PRAGMA busy_timeout = 5000');
      db.prepare('DELETE FROM gatehouse_sessions WHERE key_hash = ?').run(process.argv[2]);
      db.close();`;
    const child = spawn(process.execPath, ['-e', script, file, `hash${round}`], { stdio: 'inherit' });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 0);
    assert.equal(await cached.sessions.getByKeyHash(`hash${round}`), null);
  }
  assert.ok(await cached.users.getById(user.id));
  await close();
});

test('a counter that cannot be read: no copy is served, the durable read answers 503', async () => {
  const { sqlite, cached, user, close } = await setup();
  await readAll(cached, user.id);
  await sqlite.close();
  await assert.rejects(() => cached.sessions.getByKeyHash('hash1'), StoreUnavailableError);
  await assert.rejects(() => cached.users.getById(user.id), StoreUnavailableError);
  await close();
});

test('VersionWatch alone: healthy while readable; a moved counter reports a gap (false, then true)', () => {
  let version = 1;
  let fails = false;
  const watch = new VersionWatch(() => {
    if (fails) throw new StoreUnavailableError('closed');
    return version;
  });
  const changes: boolean[] = [];
  watch.onHealthChange((healthy) => changes.push(healthy));
  assert.equal(watch.healthy, true);
  assert.deepEqual(changes, []);
  version = 2;
  assert.equal(watch.healthy, true);
  assert.deepEqual(changes, [false, true]);
  fails = true;
  assert.equal(watch.healthy, false);
  fails = false;
  assert.equal(watch.healthy, true);
  assert.deepEqual(changes, [false, true, false, true], 'unreadable, then readable: a gap');
});
