/**
 * Lookup cost with 1,000 versus 1,000,000 stored sessions: the session check
 * (SessionService.resolve, cache off) against SQLite and PostgreSQL, timed
 * in-process so HTTP noise does not hide the store. Printed as a table.
 *
 *   node bench/lookup.ts            # SQLite, and PostgreSQL when it answers
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createGatehouse, createSqliteStores, type Stores } from '#gatehouse';
import { openSqliteDatabase } from '../src/stores/sqlite/database.ts';

const SECRET = 'bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz';
const PG_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LOOKUPS = 20_000;

/** Fills the sessions table with `count` rows for one user, in bulk (no hashing: only the table size matters). */
async function fillSqlite(path: string, count: number): Promise<void> {
  const db = openSqliteDatabase(path);
  const insert = db.prepare(
    'INSERT INTO sessions (key_hash, id, user_id, auth_hash, created_at, last_seen_at, ip, user_agent) VALUES (?, ?, 1, ?, ?, ?, ?, ?)',
  );
  const now = Date.now();
  db.exec('BEGIN');
  for (let i = 0; i < count; i++) {
    insert.run(
      randomBytes(32).toString('hex'),
      randomBytes(16).toString('hex'),
      'x',
      now,
      now,
      '127.0.0.1',
      'bench',
    );
  }
  db.exec('COMMIT');
  db.close();
}

async function fillPostgres(url: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `INSERT INTO sessions (key_hash, id, user_id, auth_hash, created_at, last_seen_at, ip, user_agent)
     SELECT md5(random()::text) || md5(random()::text), md5(random()::text), 1, 'x', $1, $1, '127.0.0.1', 'bench'
     FROM generate_series(1, $2)`,
    [Date.now(), count],
  );
  // Settle the bulk load (hint bits, visibility map, dirty buffers) before timing,
  // so the measurement is of lookups and not of the load's aftermath.
  await client.query('VACUUM ANALYZE sessions');
  await client.query('CHECKPOINT');
  await client.end();
}

/** Microseconds per resolve() of live sessions, median of five rounds. */
async function measure(stores: Stores): Promise<number> {
  const gh = createGatehouse({ stores, secretKey: SECRET });
  const user = (await stores.users.getById(1))!;
  const keys: string[] = [];
  for (let i = 0; i < 100; i++)
    keys.push((await gh.sessions.create(user, { ip: '127.0.0.1', userAgent: 'bench' })).key);
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let i = 0; i < LOOKUPS; i++) {
      if (!(await gh.sessions.resolve(keys[i % keys.length]))) throw new Error('lookup failed');
    }
    rounds.push(((performance.now() - started) * 1000) / LOOKUPS);
  }
  return rounds.sort((a, b) => a - b)[2];
}

async function sqliteCase(count: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-lookup-'));
  try {
    const path = join(dir, 'db.sqlite3');
    const stores = createSqliteStores(path);
    await stores.users.create({ username: 'alice', email: '', password: 'x', dateJoined: Date.now() });
    await fillSqlite(path, count);
    const us = await measure(stores);
    await stores.close();
    return us;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresCase(count: number): Promise<number | null> {
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `gh_lookup_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    const { createPostgresStores } = await import('#gatehouse/stores/postgres');
    const stores = await createPostgresStores(url.toString());
    await stores.users.create({ username: 'alice', email: '', password: 'x', dateJoined: Date.now() });
    await fillPostgres(url.toString(), count);
    const us = await measure(stores);
    await stores.close();
    return us;
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

export async function lookupTable(): Promise<string> {
  const rows: string[] = [
    '| store | 1,000 sessions (µs/lookup) | 1,000,000 sessions (µs/lookup) | ratio |',
    '| --- | ---: | ---: | ---: |',
  ];
  const only = process.env.BENCH_LOOKUP_ONLY;
  for (const [name, run] of [
    ['SQLite', sqliteCase],
    ['PostgreSQL', postgresCase],
  ] as const) {
    if (only && only !== name) continue;
    console.log(`lookup: ${name}, filling 1,000 then 1,000,000 sessions…`);
    const small = await run(1_000);
    if (small === null) continue;
    const large = (await run(1_000_000))!;
    rows.push(`| ${name} | ${small.toFixed(1)} | ${large.toFixed(1)} | ${(large / small).toFixed(2)}× |`);
  }
  return rows.join('\n');
}

if (import.meta.main) console.log(await lookupTable());
