/**
 * The `examples` group: session, token and JWT through examples/<framework>/
 * server.ts, each paired with a bare route of the same framework
 * (bench/bare-<framework>.ts). The examples run as a user runs them — against
 * the built package (`npm run build` once, at the group's start), the example
 * copied to a temporary folder whose node_modules links `gatehouse-auth` to
 * this checkout and the framework to the repository's install — on SQLite
 * with the cache on (the default), the user made by `gatehouse createuser`.
 *
 *   BENCH_EXAMPLES=express,hono,node-http   # the default; `fastify` may be added
 *
 * ```ts
 * const rows = await exampleScenarios('hono', { rounds: 7, seconds: 2, target: 0.75 });
 * ```
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { credentials, PASSWORD } from './credentials.ts';
import { type PairedRow, type PairOptions, paired, scenarios } from './paired.ts';
import { ROOT, runCommand, startProcess } from './processes.ts';
import { SERVER_ENV } from './reference-server.ts';

export const FRAMEWORKS = ['express', 'hono', 'node-http', 'fastify'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

const LABEL: Record<Framework, string> = {
  express: 'Express',
  hono: 'Hono',
  'node-http': 'node:http',
  fastify: 'Fastify',
};

/** Compiles the package into dist/, which `gatehouse-auth` resolves to through its exports. */
export async function buildPackage(): Promise<void> {
  console.log('examples: npm run build (the examples import the built package)');
  await runCommand(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/build.ts']);
}

/** examples/<framework> in a fresh folder, its dependencies linked; returns the folder. */
function installExample(framework: Framework): string {
  const dir = mkdtempSync(join(tmpdir(), `gatehouse-bench-${framework}-`));
  const source = join(ROOT, 'examples', framework);
  for (const file of ['server.ts', 'package.json']) copyFileSync(join(source, file), join(dir, file));
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(name === 'gatehouse-auth' ? ROOT : join(ROOT, 'node_modules', name), link, 'dir');
  }
  return dir;
}

/** Starts one example and its bare route, measures the three scenarios, stops both. */
export async function exampleScenarios(framework: Framework, options: PairOptions): Promise<PairedRow[]> {
  const dir = installExample(framework);
  const env = { ...SERVER_ENV, DATABASE_URL: `sqlite:${join(dir, 'db.sqlite3')}` };
  try {
    await runCommand(
      process.execPath,
      [
        join(ROOT, 'bin/gatehouse.js'),
        'createuser',
        'alice',
        '--email',
        'alice@example.com',
        '--password-stdin',
      ],
      { cwd: dir, env: { ...env, GATEHOUSE_SECURITY_LOG: 'off' }, input: `${PASSWORD}\n` },
    );
    const example = await startProcess('server.ts', { cwd: dir, env });
    const bareScript = framework === 'fastify' ? 'bench/bare-server.ts' : `bench/bare-${framework}.ts`;
    const bare = await startProcess(bareScript);
    try {
      const creds = await credentials(example.url, 'alice', { register: false });
      const yardstick = { name: `bare ${LABEL[framework]} route`, url: `${bare.url}/bare/` };
      const rows: PairedRow[] = [];
      for (const [name, path, headers] of scenarios(creds)) {
        const scenario = `${name} — ${LABEL[framework]} example`;
        rows.push(await paired(scenario, example.url + path, headers, yardstick, options));
      }
      return rows;
    } finally {
      await Promise.all([example.stop(), bare.stop()]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** BENCH_EXAMPLES, checked. */
export function chosenFrameworks(): Framework[] {
  const names = (process.env.BENCH_EXAMPLES ?? 'express,hono,node-http').split(',').map((s) => s.trim());
  for (const name of names)
    if (!(FRAMEWORKS as readonly string[]).includes(name))
      throw new Error(`BENCH_EXAMPLES: unknown framework ${name} (${FRAMEWORKS.join(', ')})`);
  return names as Framework[];
}

export { LABEL as FRAMEWORK_LABEL };
