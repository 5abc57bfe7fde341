/**
 * The reference server's configuration: the only module that reads
 * environment variables. Values are checked once, then frozen; a bad value is
 * a one-line ConfigurationError at start-up.
 */

import { randomInt } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigurationError } from './errors.ts';

export interface Config {
  host: string;
  port: number;
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  redisUrl: string | null;
  /** With Redis: serve session, token and user lookups from the in-process cache (GATEHOUSE_CACHE, default 1). */
  cache: boolean;
  /** Prefix of every Redis key and of the revocation channel (GATEHOUSE_REDIS_PREFIX, default `gh:`). */
  redisPrefix: string;
  /** Security events as JSON lines on stdout (GATEHOUSE_SECURITY_LOG=stdout, the default) or not at all (`off`). */
  securityLog: 'stdout' | 'off';
  secretKey: string;
  /** Where the secret key is kept when SECRET_KEY is unset (`var/secret.key`); null when it came from SECRET_KEY. */
  secretKeyFile: string | null;
  /** True when this call generated the key into `secretKeyFile`: a first start, worth telling the operator. */
  secretKeyGenerated: boolean;
  secureCookies: boolean;
  trustedOrigins: string[];
  allowedHosts: string[];
  trustProxy: boolean;
  sessionIdleTimeout: number;
  sessionAbsoluteTimeout: number;
  loginRate: string;
  loginAddressRate: string;
  corsAllowedOrigins: string[];
  corsAllowCredentials: boolean;
  accessTokenLifetime: number;
  refreshTokenLifetime: number;
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const database = parseDatabaseUrl(env.DATABASE_URL, cwd);
  if (env.SECRET_KEY && Buffer.byteLength(env.SECRET_KEY) < 32) {
    throw new ConfigurationError(
      'SECRET_KEY: must be at least 32 bytes (it signs HS256 JWTs and session auth hashes)',
    );
  }
  // Everything else is checked before a key file is written, so a bad value leaves nothing behind.
  const settings = {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8000, 0, 65535),
    database,
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.GATEHOUSE_REDIS_PREFIX || 'gh:',
    securityLog: choice(env, 'GATEHOUSE_SECURITY_LOG', ['stdout', 'off'] as const, 'stdout'),
    cache:
      env.GATEHOUSE_CACHE === undefined || env.GATEHOUSE_CACHE === '' ? true : flag(env, 'GATEHOUSE_CACHE'),
    secureCookies: flag(env, 'GATEHOUSE_SECURE_COOKIES'),
    trustedOrigins: list(env.GATEHOUSE_TRUSTED_ORIGINS),
    allowedHosts: env.GATEHOUSE_ALLOWED_HOSTS
      ? list(env.GATEHOUSE_ALLOWED_HOSTS)
      : ['.localhost', '127.0.0.1', '[::1]'],
    trustProxy: flag(env, 'GATEHOUSE_TRUST_PROXY'),
    sessionIdleTimeout: integer(env, 'GATEHOUSE_SESSION_IDLE_TIMEOUT', 1_209_600, 1),
    sessionAbsoluteTimeout: integer(env, 'GATEHOUSE_SESSION_ABSOLUTE_TIMEOUT', 2_592_000, 1),
    loginRate: env.GATEHOUSE_LOGIN_RATE || '5/min',
    loginAddressRate: env.GATEHOUSE_LOGIN_ADDRESS_RATE || '20/min',
    corsAllowedOrigins: list(env.GATEHOUSE_CORS_ALLOWED_ORIGINS),
    corsAllowCredentials: flag(env, 'GATEHOUSE_CORS_ALLOW_CREDENTIALS'),
    accessTokenLifetime: integer(env, 'GATEHOUSE_ACCESS_TOKEN_LIFETIME', 300, 1),
    refreshTokenLifetime: integer(env, 'GATEHOUSE_REFRESH_TOKEN_LIFETIME', 86_400, 1),
  };
  const secret = env.SECRET_KEY
    ? { secretKey: env.SECRET_KEY, secretKeyFile: null, secretKeyGenerated: false }
    : loadOrCreateSecretKey(resolve(cwd, 'var/secret.key'));
  return Object.freeze({ ...settings, ...secret });
}

/** `sqlite:PATH` (relative to the working directory), `sqlite:///ABSOLUTE`, or `postgres://…`. */
export function parseDatabaseUrl(url: string | undefined, cwd: string): Config['database'] {
  if (!url) return { kind: 'sqlite', path: resolve(cwd, 'var/db.sqlite3') };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { kind: 'postgres', url };
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2); // sqlite:///abs → /abs
    if (!path) throw new ConfigurationError('DATABASE_URL: sqlite: needs a path, e.g. sqlite:var/db.sqlite3');
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  throw new ConfigurationError(
    `DATABASE_URL: unsupported scheme in ${JSON.stringify(url.split(':')[0])}; use sqlite: or postgres://`,
  );
}

const SECRET_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)';

/** Django's `get_random_secret_key()` shape (50 characters), kept in a 0600 file so restarts keep sessions valid. */
function loadOrCreateSecretKey(
  path: string,
): Pick<Config, 'secretKey' | 'secretKeyFile' | 'secretKeyGenerated'> {
  const existing = readSecretKeyFile(path);
  if (existing !== null) return { secretKey: existing, secretKeyFile: path, secretKeyGenerated: false };
  let key = '';
  for (let i = 0; i < 50; i++) key += SECRET_ALPHABET[randomInt(SECRET_ALPHABET.length)];
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return { secretKey: key, secretKeyFile: path, secretKeyGenerated: true };
  } catch (error) {
    // Another instance created it first: use theirs.
    if (errorCode(error) === 'EEXIST') {
      const theirs = readSecretKeyFile(path);
      if (theirs !== null) return { secretKey: theirs, secretKeyFile: path, secretKeyGenerated: false };
    }
    throw new ConfigurationError(
      `SECRET_KEY is unset and ${path} cannot be created (${fileProblem(error)}); set SECRET_KEY or run from a writable folder`,
    );
  }
}

/** The key kept in the file, or null when there is no file yet; a file that cannot serve is a one-line error. */
function readSecretKeyFile(path: string): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // No file yet (or no folder for it yet): the caller generates one, and says why it cannot.
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
    throw new ConfigurationError(`SECRET_KEY is unset and ${path} cannot be read (${fileProblem(error)})`);
  }
  const key = text.trim();
  if (Buffer.byteLength(key) < 32) {
    throw new ConfigurationError(
      `${path}: the kept secret key is shorter than 32 bytes; delete the file to generate a new one, or set SECRET_KEY`,
    );
  }
  return key;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

const FILE_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a parent is not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'a file is in the way',
  ENOSPC: 'no space left on the device',
  ENOENT: 'no such folder',
};

/**
 * What went wrong with a file, in words (`permission denied`), for the
 * one-line errors of start-up.
 *
 * ```ts
 * fileProblem(Object.assign(new Error(), { code: 'EACCES' })); // 'permission denied'
 * ```
 */
export function fileProblem(error: unknown): string {
  const code = errorCode(error);
  return (code && FILE_PROBLEMS[code]) ?? (error instanceof Error ? error.message : String(error));
}

function choice<T extends string>(env: Env, name: string, options: readonly T[], fallback: T): T {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!options.includes(value as T))
    throw new ConfigurationError(
      `${name}: expected one of ${options.join(', ')}, got ${JSON.stringify(value)}`,
    );
  return value as T;
}

function flag(env: Env, name: string): boolean {
  const value = (env[name] ?? '').trim().toLowerCase();
  if (value === '' || value === '0' || value === 'false' || value === 'no') return false;
  if (value === '1' || value === 'true' || value === 'yes') return true;
  throw new ConfigurationError(`${name}: expected 1 or 0, got ${JSON.stringify(env[name])}`);
}

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(
      `${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
