/**
 * The `lookup` group: the cost of a session check (SessionService.resolve)
 * and of a token check (TokenService.resolve) with 1,000 versus 1,000,000
 * stored sessions and tokens, on SQLite and PostgreSQL, the cache off —
 * timed in-process, so HTTP noise does not hide the store. The rows are
 * filled in bulk inside the database (no hashing: only the tables' size
 * matters) beside 1,000 live credentials made through the services, which
 * the lookups cycle over; median of five rounds.
 *
 *   node bench/lookup.ts                   # SQLite, and PostgreSQL when it answers
 *   BENCH_LOOKUP_ONLY=SQLite node bench/lookup.ts
 *
 * ```ts
 * const markdown = await lookupTable();
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createGatehouse, createSqliteStores, type Stores } from '#gatehouse';
import { openSqliteDatabase } from '#gatehouse/stores/sqlite';
import { DEFAULT_TABLE_PREFIX } from '../src/stores/table-prefix.ts';
import { median } from './paired.ts';
import { freshPostgres, SECRET_KEY } from './services.ts';

const LIVE = 1_000;
const ROUNDS = 5;
const SESSIONS = `${DEFAULT_TABLE_PREFIX}sessions`;
const TOKENS = `${DEFAULT_TABLE_PREFIX}api_tokens`;

/** Microseconds per lookup, for each kind. */
interface Cost {
  session: number;
  token: number;
}

/** `count` sessions and `count` tokens of user 1, made by SQLite itself (a recursive counter). */
function fillSqlite(path: string, count: number): void {
  if (count <= 0) return;
  const db = openSqliteDatabase(path);
  const now = Date.now();
  const rows = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})`;
  db.exec('BEGIN');
  db.exec(`${rows} INSERT INTO ${SESSIONS} (key_hash, id, user_id, auth_hash, created_at, last_seen_at, ip, user_agent)
    SELECT lower(hex(randomblob(32))), lower(hex(randomblob(16))), 1, 'x', ${now}, ${now}, '127.0.0.1', 'bench' FROM n`);
  db.exec(`${rows} INSERT INTO ${TOKENS} (id, key_hash, user_id, name, created_at, last_used_at, expires_at)
    SELECT lower(hex(randomblob(8))), lower(hex(randomblob(32))), 1, 'bench', ${now}, ${now}, NULL FROM n`);
  db.exec('COMMIT');
  db.exec('ANALYZE');
  db.close();
}

async function fillPostgres(url: string, count: number): Promise<void> {
  if (count <= 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const now = Date.now();
  await client.query(
    `INSERT INTO ${SESSIONS} (key_hash, id, user_id, auth_hash, created_at, last_seen_at, ip, user_agent)
     SELECT md5(random()::text) || md5(random()::text), md5(random()::text), 1, 'x', $1, $1, '127.0.0.1', 'bench'
     FROM generate_series(1, $2)`,
    [now, count],
  );
  await client.query(
    `INSERT INTO ${TOKENS} (id, key_hash, user_id, name, created_at, last_used_at, expires_at)
     SELECT left(md5(random()::text), 16), md5(random()::text) || md5(random()::text), 1, 'bench', $1, $1, NULL
     FROM generate_series(1, $2)`,
    [now, count],
  );
  // Settle the bulk load (hint bits, visibility map, dirty buffers) before timing,
  // so the measurement is of lookups and not of the load's aftermath.
  await client.query(`VACUUM ANALYZE ${SESSIONS}`);
  await client.query(`VACUUM ANALYZE ${TOKENS}`);
  await client.query('CHECKPOINT');
  await client.end();
}

/** Microseconds per resolve() of live credentials, median of the rounds. */
async function measure(stores: Stores, lookups: number): Promise<Cost> {
  const gh = createGatehouse({ stores, secretKey: SECRET_KEY });
  const user = (await stores.users.getById(1))!;
  const sessions: string[] = [];
  const tokens: string[] = [];
  for (let i = 0; i < LIVE; i++) {
    sessions.push((await gh.sessions.create(user, { ip: '127.0.0.1', userAgent: 'bench' })).key);
    tokens.push((await gh.tokens.issue(user)).key);
  }
  const time = async (resolve: (key: string) => Promise<unknown>, keys: string[]) => {
    for (const key of keys) if (!(await resolve(key))) throw new Error('lookup failed'); // warm, first touch
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      for (let i = 0; i < lookups; i++) {
        if (!(await resolve(keys[i % keys.length]))) throw new Error('lookup failed');
      }
      rounds.push(((performance.now() - started) * 1000) / lookups);
    }
    return median(rounds);
  };
  return {
    session: await time((key) => gh.sessions.resolve(key), sessions),
    token: await time((key) => gh.tokens.resolve(key), tokens),
  };
}

async function sqliteCase(count: number): Promise<Cost> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-lookup-'));
  try {
    const path = join(dir, 'db.sqlite3');
    const stores = createSqliteStores(path);
    await stores.users.create({ username: 'alice', email: '', password: 'x', dateJoined: Date.now() });
    fillSqlite(path, count - LIVE); // the live ones make up the count
    const cost = await measure(stores, 20_000);
    await stores.close();
    return cost;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresCase(count: number): Promise<Cost | null> {
  const db = await freshPostgres('gh_lookup');
  if (!db) return null;
  try {
    const { createPostgresStores } = await import('#gatehouse/stores/postgres');
    const stores = await createPostgresStores(db.url);
    try {
      await stores.users.create({ username: 'alice', email: '', password: 'x', dateJoined: Date.now() });
      await fillPostgres(db.url, count - LIVE); // the live ones make up the count
      return await measure(stores, 2_000);
    } finally {
      await stores.close();
    }
  } finally {
    await db.drop();
  }
}

/** The group's table: µs per lookup at both sizes, per store and kind. */
export async function lookupTable(): Promise<string> {
  const rows: string[] = [
    '| store | lookup | 1,000 stored (µs) | 1,000,000 stored (µs) | ratio |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  const only = process.env.BENCH_LOOKUP_ONLY;
  for (const [name, run] of [
    ['SQLite', sqliteCase],
    ['PostgreSQL', postgresCase],
  ] as const) {
    if (only && only !== name) continue;
    console.log(`lookup: ${name}, 1,000 then 1,000,000 sessions and tokens…`);
    const small = await run(1_000);
    if (small === null) {
      console.log(`lookup: ${name} does not answer, skipped`);
      continue;
    }
    const large = (await run(1_000_000))!;
    for (const kind of ['session', 'token'] as const) {
      const line = `| ${name} | ${kind} | ${small[kind].toFixed(1)} | ${large[kind].toFixed(1)} | ${(large[kind] / small[kind]).toFixed(2)}× |`;
      console.log(line);
      rows.push(line);
    }
  }
  return rows.join('\n');
}

if (import.meta.main) console.log(await lookupTable());
