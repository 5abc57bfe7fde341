/**
 * Debian's real Django stack (Django 3.2, DRF 3.14, simplejwt 5.2) for the
 * interop suites: run a Python snippet under it, or build a whole Django +
 * DRF database with test/interop/django-project/build.py and get its manifest.
 *
 * ```ts
 * describe('against Django', { skip: DJANGO_SKIP }, () => {
 *   test('…', async () => {
 *     const project = await buildDjangoProject();
 *     try { project.manifest.sessions; } finally { await project.cleanup(); }
 *   });
 * });
 * ```
 *
 * Skipping: the suites run when `/usr/bin/python3` imports Django, DRF and
 * simplejwt; `GATEHOUSE_TEST_DJANGO=0` skips them, `=1` insists. Under
 * `CI=true` they never skip (a missing stack then fails loudly).
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

/** The interpreter that has Debian's Django (the `python3` on PATH may not). */
export const DJANGO_PYTHON = '/usr/bin/python3';
export const DJANGO_PROJECT = resolve(import.meta.dirname, '../interop/django-project');
const PG_ADMIN_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function skipReason(): string | false {
  if (process.env.CI === 'true') return false;
  if (process.env.GATEHOUSE_TEST_DJANGO === '0')
    return "Django's interop suites disabled (GATEHOUSE_TEST_DJANGO=0)";
  if (process.env.GATEHOUSE_TEST_DJANGO === '1') return false;
  if (!existsSync(DJANGO_PYTHON)) return `${DJANGO_PYTHON} not found (GATEHOUSE_TEST_DJANGO unset)`;
  const probe = spawnSync(DJANGO_PYTHON, ['-c', 'import django, rest_framework, rest_framework_simplejwt'], {
    stdio: 'ignore',
  });
  return probe.status === 0 ? false : `${DJANGO_PYTHON} cannot import Django, DRF and simplejwt`;
}

/** A `skip` reason for the Django interop suites, or false. */
export const DJANGO_SKIP: string | false = skipReason();

/**
 * Runs `script` with Debian's Python (stdin), `env` added to the environment,
 * and resolves to its standard output; rejects with its standard error.
 */
export function runDjangoPython(script: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      DJANGO_PYTHON,
      ['-W', 'ignore', '-'],
      { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`python failed: ${stderr || error.message}`)) : resolvePromise(stdout),
    );
    child.stdin?.end(script);
  });
}

export interface DjangoManifestUser {
  id: number;
  username: string;
  email: string;
  /** The plain password, or null for an unusable one. */
  password: string | null;
  /** Django's hasher name, or `unusable` / `empty`. */
  hasher: string;
  /** `auth_user.password` as Django stored it. */
  encoded: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  /** Whether the password logs in after the import (crypt: no). */
  loginWorks: boolean;
  /** Whether Django itself accepts it (build.py checked). */
  djangoLoginWorks: boolean;
}

/** What build.py made; every `works` is what should hold after the import, checked against Django by build.py. */
export interface DjangoManifest {
  versions: { django: string; rest_framework: string; simplejwt: string | null };
  database: string;
  secretKey: string;
  /** The SECRET_KEY the `old-key` session was made under: it works only with this key as a fallback. */
  oldSecretKey: string;
  timeZone: string;
  /** The hashers a user was made with (argon2, bcrypt and crypt only when Python has them). */
  hashers: string[];
  users: DjangoManifestUser[];
  tokens: { key: string; user: string; works: boolean }[];
  sessions: {
    key: string;
    user: string | null;
    works: boolean;
    why: 'live' | 'stale' | 'expired' | 'old-key' | 'inactive' | 'anonymous';
  }[];
  refreshTokens: {
    token: string;
    jti: string;
    user: string;
    works: boolean;
    why: 'outstanding' | 'blacklisted';
  }[];
  passwordResets: {
    user: string;
    uid: string;
    token: string;
    works: boolean;
    why: 'fresh' | 'logged-in-since';
  }[];
}

export interface DjangoProject {
  manifest: DjangoManifest;
  /** `sqlite:///ABSOLUTE/PATH` or `postgres://…/NAME`, as `importdjango` takes it. */
  databaseUrl: string;
  /** Deletes the database (and its folder). */
  cleanup(): Promise<void>;
}

export interface DjangoProjectOptions {
  /** A PostgreSQL database (created, and dropped by cleanup) instead of a SQLite file. */
  postgres?: boolean;
  secretKey?: string;
  oldSecretKey?: string;
  /** Django's TIME_ZONE (USE_TZ is on). */
  timeZone?: string;
}

/** Builds a Django + DRF database with build.py and returns its manifest. */
export async function buildDjangoProject(options: DjangoProjectOptions = {}): Promise<DjangoProject> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-django-'));
  const name = `gatehouse_django_${randomBytes(6).toString('hex')}`;
  const databaseUrl = options.postgres
    ? PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`)
    : `sqlite://${join(dir, 'db.sqlite3')}`;
  const cleanup = async () => {
    if (options.postgres) {
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    }
    await rm(dir, { recursive: true, force: true });
  };
  const args = [
    join(DJANGO_PROJECT, 'build.py'),
    '--database',
    databaseUrl,
    '--secret-key',
    options.secretKey ?? 'django-insecure-gatehouse-fixture-key',
  ];
  if (options.oldSecretKey !== undefined) args.push('--old-secret-key', options.oldSecretKey);
  if (options.timeZone !== undefined) args.push('--time-zone', options.timeZone);
  try {
    const stdout = await new Promise<string>((resolvePromise, reject) =>
      execFile(DJANGO_PYTHON, args, { maxBuffer: 16 * 1024 * 1024, timeout: 300_000 }, (error, out, err) =>
        error ? reject(new Error(`build.py failed: ${err || error.message}`)) : resolvePromise(out),
      ),
    );
    return { manifest: JSON.parse(stdout) as DjangoManifest, databaseUrl, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
