/**
 * `npm run bench`: authenticated requests per second through the reference
 * server and the examples, each as a ratio to a bare route of the same
 * framework measured right next to it; the revocation delay across two
 * instances under load; a stalled Redis stopping every cache; lookup cost
 * at 1,000 vs 1,000,000 stored sessions and tokens. Servers run as child
 * processes pinned to core 1, wrk to core 0 (bench/processes.ts, load.ts).
 * Prints each group's table and writes them all, with the machine and the
 * date, to bench/results/<date>.md.
 *
 *   npm run bench                                   # every group, ≈ 12 min
 *   BENCH_SECONDS=2 BENCH_ROUNDS=7 npm run bench    # seconds per measurement, pairs per scenario
 *   BENCH_ONLY=examples npm run bench               # one group or a comma list of them:
 *                                                   # sqlite, stores, examples, revocation, stall, lookup
 *   BENCH_EXAMPLES=express,hono,node-http,fastify   # the examples measured (default: the first three)
 *   BENCH_REVOCATIONS=200 BENCH_STALLS=20           # rounds of those two groups
 *   BENCH_VERBOSE=1                                 # every pair's ratio
 *
 * The stores, revocation and lookup groups need PostgreSQL and Redis on
 * 127.0.0.1, the stall group redis-server on PATH (each skipped, with a line
 * saying so, when missing).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPackage, chosenFrameworks, exampleScenarios } from './examples.ts';
import { stallTables } from './lease-stall.ts';
import { CONNECTIONS, WRK } from './load.ts';
import { lookupTable } from './lookup.ts';
import { describeMachine, loadAverage } from './machine.ts';
import { type PairedRow, type PairOptions, pairedTable, type Yardstick } from './paired.ts';
import { ROOT, type Started, startProcess, TASKSET } from './processes.ts';
import { referenceScenarios } from './reference-server.ts';
import { revocationDelay } from './revocation.ts';
import { clearRedisPrefix, freshPostgres, REDIS_URL, redisAnswers } from './services.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const GROUPS = ['sqlite', 'stores', 'examples', 'revocation', 'stall', 'lookup'] as const;
type Group = (typeof GROUPS)[number];

const chosen = (process.env.BENCH_ONLY ?? GROUPS.join(',')).split(',').map((s) => s.trim()) as Group[];
for (const name of chosen)
  if (!GROUPS.includes(name)) throw new Error(`BENCH_ONLY: unknown group ${name} (${GROUPS.join(', ')})`);
const options = (target: number | null): PairOptions => ({ rounds: ROUNDS, seconds: SECONDS, target });

/** The bare Fastify route, started for the first group that needs it, stopped at the end. */
let bareFastify: Promise<Started> | null = null;
async function fastifyYardstick(): Promise<Yardstick> {
  bareFastify ??= startProcess('bench/bare-server.ts');
  return { name: 'bare Fastify route', url: `${(await bareFastify).url}/bare/` };
}

/** PostgreSQL + Redis for one group: a fresh database, dropped after; null when either is down. */
async function withStack(
  group: string,
  run: (env: Record<string, string>) => Promise<string>,
): Promise<string> {
  const db = (await redisAnswers()) ? await freshPostgres('gh_bench') : null;
  if (!db) return `Skipped: PostgreSQL or Redis does not answer on 127.0.0.1 (${group}).`;
  const prefix = `ghbench:${db.name}:`;
  try {
    return await run({ DATABASE_URL: db.url, REDIS_URL, GATEHOUSE_REDIS_PREFIX: prefix });
  } finally {
    await db.drop();
    await clearRedisPrefix(prefix);
  }
}

const GROUP_RUNS: Record<Group, { title: string; run(): Promise<string> }> = {
  sqlite: {
    title: 'Reference server on SQLite (cache on, the default), against the bare Fastify route',
    async run() {
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
      try {
        const env = { DATABASE_URL: `sqlite:${join(dir, 'db.sqlite3')}` };
        const rows = await referenceScenarios('SQLite', env, await fastifyYardstick(), options(0.8));
        return pairedTable(rows, 'bare Fastify');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  stores: {
    title: 'Reference server on PostgreSQL + Redis, cache on and off, against the bare Fastify route',
    run: () =>
      withStack('stores', async (env) => {
        const bare = await fastifyYardstick();
        const rows: PairedRow[] = [
          ...(await referenceScenarios('PostgreSQL + Redis, cache on', env, bare, options(0.85))),
          ...(await referenceScenarios(
            'PostgreSQL + Redis, cache off',
            { ...env, GATEHOUSE_CACHE: '0' },
            bare,
            options(null),
          )),
        ];
        return pairedTable(rows, 'bare Fastify');
      }),
  },
  examples: {
    title: 'The examples (SQLite, cache on), each against a bare route of its own framework',
    async run() {
      await buildPackage();
      const rows: PairedRow[] = [];
      for (const framework of chosenFrameworks())
        rows.push(...(await exampleScenarios(framework, options(0.75))));
      return pairedTable(rows, 'own bare route');
    },
  },
  revocation: {
    title: 'Revocation delay across two instances, one under full load',
    run: () =>
      withStack('revocation', (env) =>
        revocationDelay(env, { rounds: Number(process.env.BENCH_REVOCATIONS ?? 200) }),
      ),
  },
  stall: {
    title: 'A stalled Redis stopping every cache',
    async run() {
      if (!['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((p) => existsSync(p)))
        return 'Skipped: redis-server is not installed.';
      return stallTables({ stalls: Number(process.env.BENCH_STALLS ?? 20), revocations: 300 });
    },
  },
  lookup: {
    title: 'Lookup cost at 1,000 vs 1,000,000 stored sessions and tokens (cache off, in-process)',
    run: () => lookupTable(),
  },
};

const startedAt = new Date();
const loadBefore = loadAverage();
const sections: string[] = [];
const timings: string[] = [];
let failed = false;
try {
  for (const group of GROUPS) {
    if (!chosen.includes(group)) continue;
    const { title, run } = GROUP_RUNS[group];
    console.log(`\n## ${group}: ${title}`);
    const t0 = performance.now();
    let text: string;
    try {
      text = await run();
    } catch (error) {
      failed = true;
      console.error(error);
      text = `Failed: ${(error as Error).message.split('\n')[0]}`;
    }
    const seconds = Math.round((performance.now() - t0) / 1000);
    timings.push(`${group} ${seconds} s`);
    console.log(`\n${text}\n(${seconds} s)`);
    sections.push(`## ${title} (\`${group}\`)\n\n${text}`);
  }
} finally {
  await (bareFastify as Promise<Started> | null)?.then((server) => server.stop());
}

const header = [
  `# npm run bench — ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `- Machine: ${describeMachine()}.`,
  `- Load: ${SECONDS} s per measurement, ${ROUNDS} pairs per scenario (each beside a fresh measurement of its bare route; the median pair's ratio, and the spread of all pairs), ${CONNECTIONS} connections, ${WRK ? 'wrk, one thread' : 'autocannon'}${TASKSET ? '; servers pinned to core 1, the load generator to core 0' : ''}.`,
  '- Servers: every setting at its default but SECRET_KEY and GATEHOUSE_ACCESS_TOKEN_LIFETIME (a day, so no access token expires during a long run); the examples on the built package (`npm run build`).',
  `- Load average before ${loadBefore}, after ${loadAverage()}; groups: ${timings.join(', ')}.`,
].join('\n');
const markdown = `${header}\n\n${sections.join('\n\n')}\n`;
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const file = join(ROOT, 'bench/results', `${startedAt.toISOString().replace(/[:.]/g, '-').slice(0, 19)}Z.md`);
writeFileSync(file, markdown);
console.log(`\nwritten ${file}`);
if (failed) process.exitCode = 1;
