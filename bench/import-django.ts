/**
 * `gatehouse importdjango` at scale: `node bench/import-django.ts`.
 *
 * Writes a Django-schema SQLite file straight away (no Django in the loop:
 * test/helpers/django-sqlite.ts, Django's formats) with BENCH_USERS users
 * (default 100,000) and, in the second scenario, live sessions for half of
 * them, DRF keys and simplejwt refresh tokens for a fifth; then times the
 * real CLI (a child process under /usr/bin/time -v, for its peak RSS)
 * importing it into a fresh SQLite file and, when PostgreSQL answers on
 * 127.0.0.1:5432, into a fresh PostgreSQL database; then a re-run with
 * nothing changed. Prints a table (users per second, rows per second, peak
 * RSS) and writes it to bench/results/.
 *
 *   BENCH_USERS=20000 node bench/import-django.ts
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { cryptoRandom, LOWER_DIGITS } from '../src/internal/random.ts';
import {
  createDjangoSqlite,
  djangoDateTime,
  djangoUser,
  insertRefreshTokens,
  insertSessions,
  insertTokens,
  insertUsers,
  sessionData,
} from '../test/helpers/django-sqlite.ts';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const DJANGO_KEY = 'django-insecure-benchmark-key-0123456789abcdefghijklmnop';
const GATEHOUSE_KEY = 'gatehouse-benchmark-secret-key-0123456789abcdefghij';
const PG_ADMIN = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/gatehouse.js');
const TIME = '/usr/bin/time';

interface Scenario {
  name: string;
  sessions: number;
  tokens: number;
  refresh: number;
}

const scenarios: Scenario[] = [
  { name: 'users only', sessions: 0, tokens: 0, refresh: 0 },
  {
    name: 'users, sessions, keys, refresh tokens',
    sessions: Math.floor(USERS / 2),
    tokens: Math.floor(USERS / 5),
    refresh: Math.floor(USERS / 5),
  },
];

/** Writes the Django database of a scenario; returns its path and row count. */
function makeDjango(dir: string, scenario: Scenario): { path: string; rows: number } {
  const path = join(dir, `django-${scenario.sessions}.sqlite3`);
  const db = createDjangoSqlite(path);
  const future = djangoDateTime(Date.now() + 14 * 86_400_000);
  try {
    const users = Array.from({ length: USERS }, (_, i) => djangoUser(i + 1));
    insertUsers(db, users);
    insertSessions(
      db,
      users.slice(0, scenario.sessions).map((user) => ({
        key: cryptoRandom.string(32, LOWER_DIGITS),
        data: sessionData(user, DJANGO_KEY),
        expireDate: future,
      })),
    );
    insertTokens(
      db,
      users
        .slice(0, scenario.tokens)
        .map((user) => ({ key: randomBytes(20).toString('hex'), userId: user.id })),
    );
    insertRefreshTokens(
      db,
      users.slice(0, scenario.refresh).map((user, i) => ({
        id: i + 1,
        jti: randomBytes(16).toString('hex'),
        userId: user.id,
        expiresAt: future,
        blacklisted: i % 10 === 0,
      })),
    );
  } finally {
    db.close();
  }
  return { path, rows: USERS + scenario.sessions + scenario.tokens + scenario.refresh };
}

/** Runs the CLI under /usr/bin/time -v: wall seconds, peak RSS (MiB), the summary line. */
function timedImport(djangoPath: string, databaseUrl: string, cwd: string) {
  return new Promise<{ seconds: number; rssMiB: number; summary: string }>((resolve, reject) => {
    const args = [
      process.execPath,
      BIN,
      'importdjango',
      `sqlite:///${djangoPath}`,
      '--django-secret-key',
      DJANGO_KEY,
    ];
    const useTime = existsSync(TIME);
    const [command, ...rest] = useTime ? [TIME, '-v', ...args] : args;
    const started = performance.now();
    const child = spawn(command, rest, {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: databaseUrl,
        SECRET_KEY: GATEHOUSE_KEY,
        GATEHOUSE_SECURITY_LOG: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`importdjango exited ${code}: ${stderr}`));
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? Number.NaN);
      resolve({ seconds, rssMiB: kb / 1024, summary: stdout.trimEnd().split('\n').at(-1) ?? '' });
    });
  });
}

async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-import-'));
const rows: string[] = [];
try {
  const withPostgres = await postgresAvailable();
  for (const scenario of scenarios) {
    const made = performance.now();
    const django = makeDjango(dir, scenario);
    console.error(
      `${scenario.name}: Django database written in ${((performance.now() - made) / 1000).toFixed(1)} s`,
    );
    const targets: [string, string, () => Promise<void>][] = [
      ['SQLite', `sqlite:${join(dir, `gh-${scenario.sessions}.sqlite3`)}`, async () => {}],
    ];
    if (withPostgres) {
      const name = `gh_bench_${randomBytes(4).toString('hex')}`;
      await admin(`CREATE DATABASE ${name}`);
      targets.push([
        'PostgreSQL',
        PG_ADMIN.replace(/\/[^/]*$/, `/${name}`),
        () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ]);
    }
    for (const [backend, url, drop] of targets) {
      try {
        for (const run of ['first import', 're-run, nothing changed']) {
          const { seconds, rssMiB, summary } = await timedImport(django.path, url, dir);
          rows.push(
            `| ${scenario.name} | ${backend} | ${run} | ${seconds.toFixed(2)} | ${Math.round(USERS / seconds)} | ${Math.round(django.rows / seconds)} | ${rssMiB.toFixed(0)} | ${summary} |`,
          );
          console.error(rows.at(-1));
        }
      } finally {
        await drop();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const table = [
  `# importdjango, ${USERS} users — ${new Date().toISOString()}`,
  '',
  `Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB.`,
  'Wall time of the whole CLI run (start-up, migration, import); peak RSS from /usr/bin/time -v.',
  '',
  '| scenario | target | run | seconds | users/s | rows/s | peak RSS MiB | summary |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows,
  '',
].join('\n');
console.log(table);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(
  join(ROOT, `bench/results/import-django-${new Date().toISOString().replace(/[:.]/g, '-')}.md`),
  table,
);
