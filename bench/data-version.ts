/**
 * What the embedded cache's validity check costs: `PRAGMA data_version` per
 * call, against the lookups it saves (a request's session and user, straight
 * from SQLite) and against a cache hit with no check at all (the path a
 * Redis lease allows). The check read on every lookup is compared with
 * VersionWatch's, which reads it once per event-loop turn for every lookup
 * that asked before: one request at a time, and 20 at once (as 20 busy
 * connections would be). Timed in-process on a file of 10,000 sessions;
 * µs per call or per request, the median of five rounds.
 *
 *   node bench/data-version.ts
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stores } from '#gatehouse';
import { createCachedStores, VersionWatch } from '#gatehouse/stores/cached';
import { createSqliteStores, openSqliteDatabase } from '#gatehouse/stores/sqlite';

const CALLS = 40_000;
const SESSIONS = 10_000;
const CONCURRENT = 20;

/** Median over five rounds of CALLS runs of `run`, `concurrency` at a time, in µs per run. */
async function time(run: () => unknown, concurrency = 1): Promise<number> {
  const loop = async (n: number) => {
    for (let i = 0; i < n; i++) await run();
  };
  await Promise.all(Array.from({ length: concurrency }, () => loop(2_000 / concurrency)));
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, () => loop(CALLS / concurrency)));
    rounds.push(((performance.now() - started) * 1000) / CALLS);
  }
  return rounds.sort((a, b) => a - b)[2];
}

function fill(path: string): string[] {
  const db = openSqliteDatabase(path);
  const insert = db.prepare(
    'INSERT INTO sessions (key_hash, id, user_id, auth_hash, created_at, last_seen_at, ip, user_agent) VALUES (?, ?, 1, ?, ?, ?, ?, ?)',
  );
  const now = Date.now();
  const keys: string[] = [];
  db.exec('BEGIN');
  for (let i = 0; i < SESSIONS; i++) {
    const key = randomBytes(32).toString('hex');
    keys.push(key);
    insert.run(key, randomBytes(16).toString('hex'), 'x', now, now, '127.0.0.1', 'bench');
  }
  db.exec('COMMIT');
  db.close();
  return keys.slice(0, 100);
}

/** A request's lookups: its session, then its user. */
function request(stores: Stores, keys: string[]) {
  let i = 0;
  return async () => {
    const session = await stores.sessions.getByKeyHash(keys[i++ % keys.length]);
    if (!session || !(await stores.users.getById(session.userId))) throw new Error('lookup failed');
  };
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-data-version-'));
try {
  const path = join(dir, 'db.sqlite3');
  const sqlite = createSqliteStores(path);
  await sqlite.users.create({ username: 'alice', email: '', password: 'x', dateJoined: Date.now() });
  const keys = fill(path);
  const watch = new VersionWatch(sqlite.dataVersion);
  // The same counter, read on every lookup (a signal without validate()).
  const everyLookup = {
    get healthy() {
      return watch.healthy;
    },
    subscribe: () => () => {},
    onHealthChange: (listener: (healthy: boolean) => void) => watch.onHealthChange(listener),
  };
  const cases: Array<[string, Stores]> = [
    ['session + user from SQLite (no cache)', sqlite],
    ['cache hits, data_version read on each lookup', createCachedStores(sqlite, everyLookup)],
    ['cache hits, data_version read once per turn (VersionWatch)', createCachedStores(sqlite, watch)],
    [
      'cache hits, no check (what a Redis lease allows)',
      createCachedStores(sqlite, { healthy: true, subscribe: () => () => {} }),
    ],
  ];
  // For comparison only: the WAL-index header (the first 48 bytes of the -shm file) read with one pread.
  const shm = openSync(`${path}-shm`, 'r');
  const header = Buffer.alloc(48);
  console.log('| one call | µs |');
  console.log('| --- | ---: |');
  console.log(`| PRAGMA data_version | ${(await time(() => sqlite.dataVersion())).toFixed(2)} |`);
  console.log(
    `| pread of the -shm header (48 bytes; not used) | ${(await time(() => readSync(shm, header, 0, 48, 0))).toFixed(2)} |`,
  );
  closeSync(shm);
  console.log('');
  console.log(
    `| a request's lookups (${SESSIONS.toLocaleString('en')} sessions in the file) | µs, one at a time | µs, ${CONCURRENT} at once |`,
  );
  console.log('| --- | ---: | ---: |');
  for (const [name, stores] of cases) {
    const one = await time(request(stores, keys));
    const many = await time(request(stores, keys), CONCURRENT);
    console.log(`| ${name} | ${one.toFixed(2)} | ${many.toFixed(2)} |`);
  }
  await sqlite.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
