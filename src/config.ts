/**
 * The reference server's configuration: the only module that reads
 * environment variables. Values are checked once, then frozen; a bad value is
 * a one-line ConfigurationError at start-up.
 */

import { randomInt } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseEmailUrl } from './email/email-url.ts';
import { activationLink } from './email/messages.ts';
import { ConfigurationError } from './errors.ts';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX } from './stores/table-prefix.ts';
import { parseRate } from './throttling/rate.ts';

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
  /** Sign-ups per client address (GATEHOUSE_REGISTER_RATE, default `20/hour`). */
  registerRate: string;
  /** Account mails per client address and per target address (GATEHOUSE_EMAIL_RATE, default `3/hour`). */
  emailRate: string;
  /** Where account mail goes (GATEHOUSE_EMAIL_URL): `console:` (the default), `smtp://…`, `smtps://…`. */
  emailUrl: string;
  /** The `From` of account mail (GATEHOUSE_EMAIL_FROM, default `webmaster@localhost`). */
  emailFrom: string;
  /** Where account links point (GATEHOUSE_FRONTEND_URL); null: the request's own origin. */
  frontendUrl: string | null;
  /** New accounts wait for their activation link (GATEHOUSE_SEND_ACTIVATION_EMAIL). */
  sendActivationEmail: boolean;
  /** Seconds reset, activation and e-mail change links live (GATEHOUSE_PASSWORD_RESET_TIMEOUT, default 259200). */
  passwordResetTimeout: number;
  /** Django's TIME_ZONE, for reset links Django mailed (GATEHOUSE_DJANGO_TIME_ZONE, default `UTC`). */
  djangoTimeZone: string;
  corsAllowedOrigins: string[];
  corsAllowCredentials: boolean;
  /** Keys a login endpoint hands out, kept per user (GATEHOUSE_TOKEN_LIMIT_PER_USER, default 20). */
  tokenLimitPerUser: number;
  /** Seconds such a key lives if never used (GATEHOUSE_UNUSED_TOKEN_TTL, default 604800). */
  unusedTokenTtl: number;
  accessTokenLifetime: number;
  refreshTokenLifetime: number;
  /** Who must have a second factor before reaching anything but its setup (GATEHOUSE_MFA_REQUIRED, default `off`). */
  mfaRequired: 'off' | 'staff' | 'all';
  /** The WebAuthn relying party (GATEHOUSE_WEBAUTHN_RP_ID, default: the request's host). */
  webauthnRpId: string | null;
  /** Shown by authenticators, and the TOTP issuer (GATEHOUSE_WEBAUTHN_RP_NAME, default `Gatehouse`). */
  webauthnRpName: string;
  /** Origins allowed to use passkeys (GATEHOUSE_WEBAUTHN_ORIGINS, default: the request's own origin). */
  webauthnOrigins: string[];
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
    tablePrefix: tablePrefix(env.GATEHOUSE_TABLE_PREFIX),
    securityLog: choice(env, 'GATEHOUSE_SECURITY_LOG', ['stdout', 'off'] as const, 'stdout'),
    cache:
      env.GATEHOUSE_CACHE === undefined || env.GATEHOUSE_CACHE === '' ? true : flag(env, 'GATEHOUSE_CACHE'),
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
    registerRate: rate(env, 'GATEHOUSE_REGISTER_RATE', '20/hour'),
    emailRate: rate(env, 'GATEHOUSE_EMAIL_RATE', '3/hour'),
    emailUrl: emailUrl(env),
    emailFrom: emailFrom(env),
    frontendUrl: frontendUrl(env),
    sendActivationEmail: flag(env, 'GATEHOUSE_SEND_ACTIVATION_EMAIL'),
    passwordResetTimeout: integer(env, 'GATEHOUSE_PASSWORD_RESET_TIMEOUT', 259_200, 1),
    djangoTimeZone: timeZone(env, 'GATEHOUSE_DJANGO_TIME_ZONE'),
    corsAllowedOrigins: list(env.GATEHOUSE_CORS_ALLOWED_ORIGINS),
    corsAllowCredentials: flag(env, 'GATEHOUSE_CORS_ALLOW_CREDENTIALS'),
    tokenLimitPerUser: integer(env, 'GATEHOUSE_TOKEN_LIMIT_PER_USER', 20, 1, 10_000),
    unusedTokenTtl: integer(env, 'GATEHOUSE_UNUSED_TOKEN_TTL', 604_800, 60),
    accessTokenLifetime: integer(env, 'GATEHOUSE_ACCESS_TOKEN_LIFETIME', 300, 1),
    refreshTokenLifetime: integer(env, 'GATEHOUSE_REFRESH_TOKEN_LIFETIME', 86_400, 1),
    mfaRequired: choice(env, 'GATEHOUSE_MFA_REQUIRED', ['off', 'staff', 'all'] as const, 'off'),
    webauthnRpId: rpId(env.GATEHOUSE_WEBAUTHN_RP_ID),
    webauthnRpName: rpName(env.GATEHOUSE_WEBAUTHN_RP_NAME),
    webauthnOrigins: list(env.GATEHOUSE_WEBAUTHN_ORIGINS).map(webauthnOrigin),
  };
  const secret = env.SECRET_KEY
    ? { secretKey: env.SECRET_KEY, secretKeyFile: null, secretKeyGenerated: false }
    : loadOrCreateSecretKey(resolve(cwd, 'var/secret.key'));
  return Object.freeze({ ...settings, ...secret });
}

const RP_LABEL = /^[a-z0-9-]{1,63}$/;

/** GATEHOUSE_WEBAUTHN_RP_ID: a domain such as `example.com` — lower-case labels, no scheme, port or path (unset: the request's host). */
function rpId(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const labels = value.length <= 253 ? value.split('.') : [];
  const valid =
    labels.length > 0 &&
    labels.every((label) => RP_LABEL.test(label) && !label.startsWith('-') && !label.endsWith('-'));
  if (!valid)
    throw new ConfigurationError(
      `GATEHOUSE_WEBAUTHN_RP_ID: expected a domain such as example.com (no scheme, port or path), got ${JSON.stringify(value)}`,
    );
  return value;
}

/** GATEHOUSE_WEBAUTHN_RP_NAME: also the TOTP issuer, which authenticator apps split at its first colon. */
function rpName(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return 'Gatehouse';
  const name = value.trim();
  if (name.length > 64 || name.includes(':') || /[\x00-\x1f\x7f]/.test(name))
    throw new ConfigurationError(
      `GATEHOUSE_WEBAUTHN_RP_NAME: at most 64 printable characters and no ':' (it is also the TOTP issuer), got ${JSON.stringify(value)}`,
    );
  return name;
}

/** One entry of GATEHOUSE_WEBAUTHN_ORIGINS: `https://host[:port]`, exactly as a browser reports it. */
function webauthnOrigin(value: string): string {
  let url: URL | null = null;
  try {
    url = value.length <= 300 ? new URL(value) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== value)
    throw new ConfigurationError(
      `GATEHOUSE_WEBAUTHN_ORIGINS: expected origins such as https://example.com (scheme, host, optional port; no path or trailing slash), got ${JSON.stringify(value)}`,
    );
  return value;
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

/** A DRF rate string, checked now so a typo is a one-line error at start-up. */
function rate(env: Env, name: string, fallback: string): string {
  const value = env[name] || fallback;
  try {
    parseRate(value);
  } catch (error) {
    throw new ConfigurationError(`${name}: ${(error as Error).message}`);
  }
  return value;
}

function emailUrl(env: Env): string {
  const value = env.GATEHOUSE_EMAIL_URL || 'console:';
  try {
    parseEmailUrl(value);
  } catch (error) {
    // parseEmailUrl's messages never repeat the URL (it may hold a password).
    throw new ConfigurationError(`GATEHOUSE_EMAIL_URL: ${(error as Error).message}`);
  }
  return value;
}

function emailFrom(env: Env): string {
  const value = env.GATEHOUSE_EMAIL_FROM || 'webmaster@localhost';
  if (value.length > 998 || /[\u0000-\u001f\u007f]/.test(value) || !value.includes('@'))
    throw new ConfigurationError(
      'GATEHOUSE_EMAIL_FROM: expected one address, e.g. Example <noreply@example.com>',
    );
  return value;
}

function frontendUrl(env: Env): string | null {
  const value = env.GATEHOUSE_FRONTEND_URL;
  if (!value) return null;
  try {
    activationLink(value, 'MQ', 'x');
  } catch (error) {
    throw new ConfigurationError(`GATEHOUSE_FRONTEND_URL: ${(error as Error).message}`);
  }
  return value;
}

function timeZone(env: Env, name: string): string {
  const value = env[name] || 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw new ConfigurationError(`${name}: unknown time zone ${JSON.stringify(value)}`);
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
