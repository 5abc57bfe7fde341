/**
 * The packed package, as a user gets it — made once per change of the
 * sources, however many test files ask for it.
 *
 * `packedPackage()` runs `npm pack` (whose `prepack` builds dist/) into a
 * cache folder under the system's temp folder, keyed by a hash of everything
 * that goes into the package; a lock folder makes parallel test files wait
 * for one pack instead of packing twice. `installRoot()` installs that
 * tarball once, with the four frameworks, the drivers, TypeScript and the
 * latest @types/node, into a folder beside it: examples copied elsewhere get
 * a `node_modules` link to it, and the type checks run there. Every npm call
 * is `--prefer-offline --no-audit --no-fund` (the npm cache is warm after
 * `npm ci`; only the registry is assumed reachable).
 *
 * ```ts
 * const { tarball, version, files } = await packedPackage();
 * const root = await installRoot(); // root/node_modules/gatehouse-auth, express, fastify, hono, …
 * ```
 */
import { type SpawnOptions, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** What goes into the tarball (and the build): a change to any of these packs anew. */
const PACKAGE_INPUTS = [
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'LICENSE',
  'README.md',
  'bin',
  'docs',
  'scripts/build.ts',
  'server',
  'src',
];

/** The packages the install root adds beside the tarball, at the versions this checkout uses. */
const ROOT_PACKAGES = [
  'express',
  '@types/express',
  'fastify',
  'hono',
  '@hono/node-server',
  'pg',
  '@types/pg',
  'ioredis',
  'typescript',
];

const LOCK_WAIT_MS = 10 * 60_000;

function filesUnder(path: string): string[] {
  const full = join(REPO, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.test.ts'))
    .map((entry) => relative(REPO, join(entry.parentPath, entry.name)))
    .sort();
}

/** A hash of the package's inputs (paths and contents). */
function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of PACKAGE_INPUTS.flatMap(filesUnder)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(REPO, file)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The environment of a user's shell: npm's own variables (npm_config_local_prefix
 * and the like, set when `npm test` runs us) and the test runner's are dropped,
 * so a nested npm works on its own folder; this Node comes first on PATH.
 */
export function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^npm_/i.test(key) || key === 'INIT_CWD' || key === 'NODE_TEST_CONTEXT' || key === 'NODE_OPTIONS')
      continue;
    if (
      key.startsWith('GATEHOUSE_') ||
      ['DATABASE_URL', 'REDIS_URL', 'SECRET_KEY', 'HOST', 'PORT'].includes(key)
    )
      continue;
    env[key] = value;
  }
  env.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
  return { ...env, ...extra };
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; rejects when it exits non-zero (unless `allowFailure`). */
export function run(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { input?: string; allowFailure?: boolean } = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: userEnv(), ...options, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0 && !options.allowFailure) {
        reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stdout}\n${stderr}`));
      } else resolve({ code, stdout, stderr });
    });
  });
}

/** npm, as a user runs it, quiet and from the warm cache. */
export function npm(args: readonly string[], cwd: string): Promise<Ran> {
  return run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], { cwd });
}

/** Whether the process that took a lock (its pid is in the lock folder) is still running. */
function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    return true; // just taken: the pid is not written yet
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `make` once for `dir`: the first caller takes the lock folder and makes
 * it, the others wait for its `done` marker. A lock whose process has died
 * (a run that was killed) is taken over at once; any lock after LOCK_WAIT_MS.
 */
async function once<T>(dir: string, make: () => Promise<T>, read: () => T): Promise<T> {
  const done = join(dir, 'done');
  const lock = join(dir, 'lock');
  mkdirSync(dir, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    if (existsSync(done)) return read();
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      if (Date.now() > deadline || !holderAlive(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (existsSync(done)) return read();
    const result = await make();
    writeFileSync(done, '');
    return result;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface PackedPackage {
  /** The absolute path of `gatehouse-auth-<version>.tgz`. */
  tarball: string;
  version: string;
  /** Its size in bytes, and the paths it holds. */
  size: number;
  files: string[];
  /** The cache folder: one per hash of the sources. */
  dir: string;
}

let packed: Promise<PackedPackage> | null = null;

/** Cache folders of earlier sources, untouched for a day: gone, so the temp folder does not fill up. */
function removeStaleCaches(current: string): void {
  for (const entry of readdirSync(tmpdir(), { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('gatehouse-package-')) continue;
    const path = join(tmpdir(), entry.name);
    if (path === current) continue;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > 86_400_000) rmSync(path, { recursive: true, force: true });
  }
}

/** `npm pack` of this checkout, made once per change of its sources. */
export function packedPackage(): Promise<PackedPackage> {
  packed ??= (async () => {
    const dir = join(tmpdir(), `gatehouse-package-${sourceHash()}`);
    removeStaleCaches(dir);
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const tarball = join(dir, `gatehouse-auth-${version}.tgz`);
    const manifest = join(dir, 'files.json');
    const read = (): PackedPackage => {
      // In use: keep it from looking stale to another run's removeStaleCaches.
      const now = new Date();
      utimesSync(dir, now, now);
      return {
        tarball,
        version,
        size: statSync(tarball).size,
        files: JSON.parse(readFileSync(manifest, 'utf8')) as string[],
        dir,
      };
    };
    return once(
      join(dir, 'pack'),
      async () => {
        const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO });
        const [result] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { files: { path: string }[] }[];
        writeFileSync(manifest, JSON.stringify(result.files.map((f) => f.path)));
        return read();
      },
      read,
    );
  })();
  return packed;
}

let installed: Promise<string> | null = null;

/**
 * A folder where the tarball is installed with express, fastify, hono,
 * @hono/node-server, pg, ioredis, their types, TypeScript and the latest
 * @types/node: one `npm install` shared by the examples and the type checks.
 */
export function installRoot(): Promise<string> {
  installed ??= (async () => {
    const pack = await packedPackage();
    const root = join(pack.dir, 'root');
    return once(
      join(pack.dir, 'install'),
      async () => {
        rmSync(root, { recursive: true, force: true });
        mkdirSync(root, { recursive: true });
        const dependencies: Record<string, string> = {
          'gatehouse-auth': `file:${pack.tarball}`,
          '@types/node': 'latest',
        };
        for (const name of ROOT_PACKAGES) {
          const { version } = JSON.parse(
            readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8'),
          ) as { version: string };
          dependencies[name] = `^${version}`;
        }
        writeFileSync(
          join(root, 'package.json'),
          JSON.stringify({ name: 'gatehouse-install-root', private: true, type: 'module', dependencies }),
        );
        await npm(['install'], root);
        return root;
      },
      () => root,
    );
  })();
  return installed;
}

/** A program started by {@link startListening}. */
export interface Listening {
  /** `http://127.0.0.1:PORT`, from the program's own "listening on" line. */
  url: string;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  /**
   * SIGTERM to the program's process group (npm and npx run the server in a
   * child of their own, and do not pass the signal on); resolves true when
   * every process of the group ended within 10 s, false when SIGKILL had to.
   */
  stop(): Promise<boolean>;
}

/**
 * Starts a server program (`npm start`, `npx gatehouse runserver`) in its own
 * process group and resolves once it prints `… listening on http://HOST:PORT`.
 *
 * ```ts
 * const server = await startListening('npm', ['start'], { cwd, env: userEnv({ PORT: '0' }) });
 * await fetch(`${server.url}/healthz`);
 * await server.stop();
 * ```
 */
export function startListening(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<Listening> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  const groupAlive = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 0);
      return child.pid !== undefined;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    killGroup('SIGTERM');
    const deadline = Date.now() + 10_000;
    while (groupAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const clean = !groupAlive();
    if (!clean) killGroup('SIGKILL');
    await exited;
    process.removeListener('exit', onExit);
    return clean;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(`${command} ${args.join(' ')}: no "listening on" line within the time\n${stdout}${stderr}`),
      );
    }, options.timeoutMs ?? 60_000);
    child.stdout?.on('data', () => {
      const match = /listening on (http:\/\/[^\s]+:\d+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1], stdout: () => stdout, stop });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited ${code} before listening\n${stdout}${stderr}`));
    });
  });
}
