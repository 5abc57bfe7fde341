/**
 * `npm run bench`: authenticated requests per second through the reference
 * server, each as a ratio to a bare Fastify route measured in the same run.
 * Servers run as child processes (one core each at most); the load generator
 * (autocannon) runs here. Prints a table and writes it to bench/results/.
 *
 *   BENCH_SECONDS=5 npm run bench          # seconds per measurement (default 5)
 *   BENCH_ONLY=sqlite npm run bench        # one group: sqlite | stores | lookup
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
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

async function load(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ rps: number; p99: number }> {
  await autocannon({ url, connections: 20, duration: 1, headers }); // warm-up: JIT, caches
  const result = await autocannon({ url, connections: 20, duration: SECONDS, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function json(url: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
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

async function credentials(url: string) {
  const csrf = await fetch(`${url}/api/csrf/`);
  const secret = /csrftoken=([A-Za-z0-9]+)/.exec(csrf.headers.getSetCookie()[0])![1];
  const user = { username: 'alice', password: 'Pw-12345678' };
  const origin = { cookie: `csrftoken=${secret}`, 'x-csrftoken': secret };
  await json(`${url}/api/register/`, user, origin);
  const login = await json(`${url}/api/login/`, user, origin);
  const session = /sessionid=([a-z0-9]{32})/.exec(login.cookies.join(';'))![1];
  const token = (await json(`${url}/api-token-auth/`, user)).body.token;
  const access = (await json(`${url}/api/token/`, user)).body.access;
  return { session, token, access };
}

async function gatehouseScenarios(label: string, env: Record<string, string>, bare: number) {
  const server = await start('server/main.ts', env);
  try {
    const { session, token, access } = await credentials(server.url);
    const cases: [string, string, Record<string, string>][] = [
      ['session auth', '/api/dashboard/', { cookie: `sessionid=${session}` }],
      ['token auth', '/api/profile/', { authorization: `Token ${token}` }],
      ['JWT (reused access token)', '/api/profile/', { authorization: `Bearer ${access}` }],
    ];
    for (const [name, path, headers] of cases) {
      const { rps, p99 } = await load(server.url + path, headers);
      rows.push({ scenario: `${name} — ${label}`, rps, ratio: rps / bare, p99 });
      console.log(`${name} — ${label}: ${Math.round(rps)} req/s (${(rps / bare).toFixed(2)}× bare)`);
    }
  } finally {
    await server.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
try {
  const bareServer = await start('bench/bare-server.ts', {});
  const bare = await load(`${bareServer.url}/bare/`);
  await bareServer.stop();
  rows.push({ scenario: 'bare Fastify route', rps: bare.rps, ratio: 1, p99: bare.p99 });
  console.log(`bare Fastify route: ${Math.round(bare.rps)} req/s`);

  const only = process.env.BENCH_ONLY;
  if (!only || only === 'sqlite') {
    await gatehouseScenarios(
      'SQLite',
      {
        DATABASE_URL: `sqlite:${join(dir, 'db.sqlite3')}`,
        SECRET_KEY: 'bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
      },
      bare.rps,
    );
  }
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
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(
  join(ROOT, 'bench/results', `${stamp}.md`),
  `# npm run bench, ${new Date().toISOString()}\n\nNode ${process.version}, ${SECONDS} s per measurement, 20 connections, load generator ${WRK ? 'wrk' : 'autocannon'}${TASKSET ? ', server pinned to core 1 and load generator to core 0' : ''}.\n\n${table}\n`,
);
