/**
 * The reference server's configuration: the only module that reads
 * environment variables. Values are checked once, then frozen; a bad value is
 * a one-line ConfigurationError at start-up.
 */

import { randomInt } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigurationError } from './errors.ts';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX } from './stores/table-prefix.ts';

export interface Config {
  host: string;
  port: number;
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  redisUrl: string | null;
  /** With Redis: serve session, token and user lookups from the in-process cache (GATEHOUSE_CACHE, default 1). */
  cache: boolean;
  /** Prefix of every Redis key and of the revocation channel (GATEHOUSE_REDIS_PREFIX, default `gh:`). */
  redisPrefix: string;
  /** Prepended to every table Gatehouse creates (GATEHOUSE_TABLE_PREFIX, default `gatehouse_`). */
  tablePrefix: string;
  /** Security events as JSON lines on stdout (GATEHOUSE_SECURITY_LOG=stdout, the default) or not at all (`off`). */
  securityLog: 'stdout' | 'off';
  secretKey: string;
  /** Former keys, still accepted for session auth hashes and account links (GATEHOUSE_SECRET_KEY_FALLBACKS). */
  secretKeyFallbacks: string[];
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
  return Object.freeze({
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8000, 0, 65535),
    database,
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.GATEHOUSE_REDIS_PREFIX || 'gh:',
    tablePrefix: tablePrefix(env.GATEHOUSE_TABLE_PREFIX),
    securityLog: choice(env, 'GATEHOUSE_SECURITY_LOG', ['stdout', 'off'] as const, 'stdout'),
    cache:
      env.GATEHOUSE_CACHE === undefined || env.GATEHOUSE_CACHE === '' ? true : flag(env, 'GATEHOUSE_CACHE'),
    secretKey: env.SECRET_KEY || loadOrCreateSecretKey(resolve(cwd, 'var/secret.key')),
    secretKeyFallbacks: list(env.GATEHOUSE_SECRET_KEY_FALLBACKS),
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
  });
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
function loadOrCreateSecretKey(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  let key = '';
  for (let i = 0; i < 50; i++) key += SECRET_ALPHABET[randomInt(SECRET_ALPHABET.length)];
  try {
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return key;
  } catch (error) {
    // Another instance created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8').trim();
    throw error;
  }
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

function tablePrefix(value: string | undefined): string {
  if (value === undefined || value === '') return DEFAULT_TABLE_PREFIX;
  try {
    return checkTablePrefix(value);
  } catch (error) {
    throw new ConfigurationError(`GATEHOUSE_TABLE_PREFIX: ${(error as Error).message}`);
  }
}
