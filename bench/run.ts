/**
 * `npm run bench`: authenticated requests per second through the reference
 * server, each as a ratio to a bare Fastify route measured in the same run.
 * Servers run as child processes (one core each at most); the load generator
 * (autocannon) runs here. Prints a table and writes it to bench/results/.
 *
 *   BENCH_SECONDS=2 BENCH_ROUNDS=7 npm run bench   # seconds per measurement, pairs per scenario
 *   BENCH_ONLY=sqlite npm run bench        # one group: sqlite | stores | revocation | lookup
 *
 * The stores, revocation and lookup groups need PostgreSQL and Redis on
 * 127.0.0.1 (skipped, with a line saying so, when they do not answer).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { lookupTable } from './lookup.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

interface BareYardstick {
  /** Measures the bare route now; returns its requests per second. */
  measure(): Promise<number>;
}
const ROOT = new URL('..', import.meta.url).pathname;
const rows: { scenario: string; rps: number; ratio: number; p99: number }[] = [];

interface Started {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

// Servers on core 1, the load generator on core 0, when taskset exists: each side gets a whole core.
const TASKSET = existsSync('/usr/bin/taskset');
const WRK = existsSync('/usr/bin/wrk');

function start(script: string, env: Record<string, string>): Promise<Started> {
  return new Promise((resolve, reject) => {
    const node = [process.execPath, '--disable-warning=ExperimentalWarning', script];
    const [command, ...args] = TASKSET ? ['/usr/bin/taskset', '-c', '1', ...node] : node;
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /(http:\/\/[\d.:]+)/.exec(out);
      if (match) resolve({ url: match[1], child, stop: () => stopChild(child) });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}: ${out}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** wrk (C, from Debian) when present: it needs far less CPU than a JS load generator. Else autocannon. */
async function load(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ rps: number; p99: number }> {
  return WRK ? wrk(url, headers) : autocannonLoad(url, headers);
}

function runWrk(url: string, headers: Record<string, string>, seconds: number): Promise<string> {
  const flags = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const wrkArgs = ['-t1', '-c20', `-d${seconds}`, '--latency', ...flags, url];
  const [command, ...args] = TASKSET
    ? ['/usr/bin/taskset', '-c', '0', '/usr/bin/wrk', ...wrkArgs]
    : ['/usr/bin/wrk', ...wrkArgs];
  return new Promise((resolve, reject) => {
    execFile(command, args, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

const warmed = new Set<string>();

async function wrk(url: string, headers: Record<string, string>): Promise<{ rps: number; p99: number }> {
  if (!warmed.has(url)) await runWrk(url, headers, 2); // warm-up once per endpoint: JIT, caches
  warmed.add(url);
  const out = await runWrk(url, headers, SECONDS);
  if (/Non-2xx/.test(out)) throw new Error(`${url}: non-2xx responses\n${out}`);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)\b/.exec(out)!;
  const ms = Number(p99[1]) * (p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1);
  return { rps, p99: Math.round(ms * 100) / 100 };
}

async function autocannonLoad(
  url: string,
  headers: Record<string, string>,
): Promise<{ rps: number; p99: number }> {
  await autocannon({ url, connections: 20, duration: 1, headers }); // warm-up: JIT, caches
  const result = await autocannon({ url, connections: 20, duration: SECONDS, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

interface JsonReply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: bench code reads known fields of the contract's bodies
  body: any;
  cookies: string[];
}

async function json(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonReply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: await res.json().catch(() => null),
    cookies: res.headers.getSetCookie(),
  };
}

async function credentials(url: string, username = 'alice') {
  const csrf = await fetch(`${url}/api/csrf/`);
  const secret = /csrftoken=([A-Za-z0-9]+)/.exec(csrf.headers.getSetCookie()[0])![1];
  const user = { username, password: 'Pw-12345678' };
  const origin = { cookie: `csrftoken=${secret}`, 'x-csrftoken': secret };
  await json(`${url}/api/register/`, user, origin); // a 400 when the user exists (a second scenario on one database)
  const login = await json(`${url}/api/login/`, user, origin);
  const session = /sessionid=([a-z0-9]{32})/.exec(login.cookies.join(';'))![1];
  const token = (await json(`${url}/api-token-auth/`, user)).body.token;
  const access = (await json(`${url}/api/token/`, user)).body.access;
  return { session, token, access };
}

async function gatehouseScenarios(label: string, env: Record<string, string>, bare: BareYardstick) {
  const server = await start('server/main.ts', env);
  try {
    const { session, token, access } = await credentials(server.url);
    const cases: [string, string, Record<string, string>][] = [
      ['session auth', '/api/dashboard/', { cookie: `sessionid=${session}` }],
      ['token auth', '/api/profile/', { authorization: `Token ${token}` }],
      ['JWT (reused access token)', '/api/profile/', { authorization: `Bearer ${access}` }],
    ];
    for (const [name, path, headers] of cases) {
      // Short rounds, each next to a fresh measurement of the bare route: the
      // ratio is taken pairwise and the median kept, so this machine's drift
      // and bursts of noise from its neighbours cancel out.
      const rounds: { rps: number; p99: number; ratio: number }[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const yardstick = await bare.measure();
        const measured = await load(server.url + path, headers);
        rounds.push({ ...measured, ratio: measured.rps / yardstick });
      }
      if (process.env.BENCH_VERBOSE) console.log(rounds.map((r) => r.ratio.toFixed(2)).join(' '));
      const median = rounds.sort((x, y) => x.ratio - y.ratio)[Math.floor(rounds.length / 2)];
      rows.push({ scenario: `${name} — ${label}`, ...median });
      console.log(`${name} — ${label}: ${Math.round(median.rps)} req/s (${median.ratio.toFixed(2)}× bare)`);
    }
  } finally {
    await server.stop();
  }
}

const PG_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const extraTables: string[] = [];

/** A fresh PostgreSQL database for the run (dropped after), when PostgreSQL and Redis answer. */
async function pgDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
    const redis = await fetch(`http://${new URL(REDIS_URL).host}`).catch((e: Error) => e);
    if (redis instanceof Error && /ECONNREFUSED/.test(String(redis.cause))) throw redis;
  } catch {
    await admin.end().catch(() => {});
    return null;
  }
  const name = `gh_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * Revocation across instances: a token revoked on A, then B polled until it
 * refuses the token; the delay from A's 204 to B's first 401, over many rounds.
 */
async function revocationDelay(env: Record<string, string>): Promise<string> {
  const a = await start('server/main.ts', env);
  const b = await start('server/main.ts', env);
  try {
    const { token } = await credentials(a.url, 'revoker');
    const auth = { authorization: `Token ${token}` };
    const delays: number[] = [];
    for (let i = 0; i < 200; i++) {
      const created = await json(`${a.url}/api/tokens/`, { name: `r${i}` }, auth);
      const victim = { authorization: `Token ${created.body.token}` };
      if ((await fetch(`${b.url}/api/profile/`, { headers: victim })).status !== 200)
        throw new Error('warm-up failed');
      await fetch(`${a.url}/api/tokens/${created.body.id}/`, { method: 'DELETE', headers: auth });
      const revoked = performance.now();
      while ((await fetch(`${b.url}/api/profile/`, { headers: victim })).status === 200) {
        if (performance.now() - revoked > 5000) throw new Error('revocation never arrived');
      }
      delays.push(performance.now() - revoked);
    }
    delays.sort((x, y) => x - y);
    const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))].toFixed(2);
    console.log(`revocation A → B: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`);
    return [
      '| revocation across two instances (token revoked on A, refused on B) | p50 (ms) | p99 (ms) | max (ms) |',
      '| --- | ---: | ---: | ---: |',
      `| ${delays.length} rounds, PostgreSQL + Redis, cache on | ${at(0.5)} | ${at(0.99)} | ${delays[delays.length - 1].toFixed(2)} |`,
    ].join('\n');
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
try {
  const bareServer = await start('bench/bare-server.ts', {});
  const bareRuns: number[] = [];
  const bare: BareYardstick = {
    async measure() {
      const { rps, p99 } = await load(`${bareServer.url}/bare/`);
      bareRuns.push(rps);
      bareP99 = p99;
      return rps;
    },
  };
  let bareP99 = 0;

  const only = process.env.BENCH_ONLY;
  if (!only || only === 'sqlite') {
    await gatehouseScenarios(
      'SQLite',
      {
        DATABASE_URL: `sqlite:${join(dir, 'db.sqlite3')}`,
        SECRET_KEY: 'bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
      },
      bare,
    );
  }
  const stack =
    only === undefined || ['stores', 'revocation', 'lookup'].includes(only) ? await pgDatabase() : null;
  if (!stack && only !== 'sqlite')
    console.log('PostgreSQL or Redis not reachable: skipping the stores, revocation and lookup groups');
  if (stack) {
    try {
      const env = {
        DATABASE_URL: stack.url,
        REDIS_URL,
        GATEHOUSE_REDIS_PREFIX: `ghbench:${stack.name}:`,
        SECRET_KEY: 'bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
      };
      if (!only || only === 'stores') {
        await gatehouseScenarios('PostgreSQL + Redis, cache on', env, bare);
        await gatehouseScenarios('PostgreSQL + Redis, cache off', { ...env, GATEHOUSE_CACHE: '0' }, bare);
      }
      if (!only || only === 'revocation') extraTables.push(await revocationDelay(env));
    } finally {
      await stack.drop();
    }
    if (!only || only === 'lookup') extraTables.push(await lookupTable());
  }
  await bareServer.stop();
  const median = bareRuns.sort((x, y) => x - y)[Math.floor(bareRuns.length / 2)] ?? 0;
  rows.unshift({
    scenario: `bare Fastify route (median of ${bareRuns.length} runs)`,
    rps: median,
    ratio: 1,
    p99: bareP99,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const table = [
  '| scenario | req/s | ratio to bare | p99 latency (ms) |',
  '| --- | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.scenario} | ${Math.round(r.rps)} | ${r.ratio.toFixed(2)}× | ${r.p99} |`),
].join('\n');
console.log(`\n${table}\n`);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
for (const extra of extraTables) console.log(`${extra}\n`);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(
  join(ROOT, 'bench/results', `${stamp}.md`),
  `# npm run bench, ${new Date().toISOString()}\n\nNode ${process.version}, ${SECONDS} s per measurement, 20 connections, load generator ${WRK ? 'wrk' : 'autocannon'}${TASKSET ? ', server pinned to core 1 and load generator to core 0' : ''}.\n\n${[table, ...extraTables].join('\n\n')}\n`,
);
