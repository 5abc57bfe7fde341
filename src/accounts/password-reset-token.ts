import { saltedHmac } from '../django/salted-hmac.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';

/** Django's `PasswordResetTokenGenerator.key_salt`. */
export const RESET_TOKEN_KEY_SALT = 'django.contrib.auth.tokens.PasswordResetTokenGenerator';
/** Django's `PASSWORD_RESET_TIMEOUT` default: three days, in seconds. */
export const DEFAULT_RESET_TIMEOUT = 259_200;

/** 2001-01-01T00:00:00 as Unix seconds: Django counts token time from there. */
const EPOCH_2001 = 978_307_200;
/** 13 base-36 digits hold any 64-bit timestamp (Django's `base36_to_int` limit); 32 hex follow. */
const TOKEN = /^([0-9a-z]{1,13})-([0-9a-f]{32})$/;

/** The user fields the token covers. */
export interface ResetTokenUser {
  /** The primary key, written as Django's `f'{user.pk}'` writes it. */
  id: number | bigint | string;
  /** The stored password hash: any change (a reset, a rehash on login) voids the token. */
  password: string;
  /** `last_login` in epoch milliseconds, or null: a login voids the token. */
  lastLogin: number | null;
  /** The e-mail address (Django ≥ 3.1): a change voids the token. */
  email: string | null;
}

/** How the Django that minted (or will check) the token keeps time. */
export interface DjangoClockOptions {
  /**
   * Django's `TIME_ZONE` (IANA name, default `UTC`): Django stamps a token with
   * `datetime.now()`, the local wall-clock time of that zone, so the
   * timestamp must be read in it (`GATEHOUSE_DJANGO_TIME_ZONE`).
   */
  timeZone?: string;
  /**
   * Django's `USE_TZ` (default true): `last_login` then enters the hash as a
   * UTC wall-clock time; with false, as a wall-clock time in `timeZone`.
   */
  useTz?: boolean;
  /** Another salt keeps other link kinds (activation) apart; default Django's. */
  keySalt?: string;
}

export interface MakeResetTokenOptions extends DjangoClockOptions {
  /** `SECRET_KEY`. */
  secret: string;
  /** Epoch milliseconds. */
  now: number;
}

export interface CheckResetTokenOptions extends DjangoClockOptions {
  /** `SECRET_KEY`, then `SECRET_KEY_FALLBACKS` (Django ≥ 4.1's `secret_fallbacks`). */
  secrets: readonly string[];
  /** Epoch milliseconds. */
  now: number;
  /** `PASSWORD_RESET_TIMEOUT` in seconds; default 259200. */
  timeout?: number;
}

/**
 * Django's `default_token_generator.make_token(user)` (3.1 → 5.2):
 * `<base36 timestamp>-<hash>`, the timestamp in seconds since 2001-01-01
 * (wall-clock, in `timeZone`), the hash every other hex digit of
 * `salted_hmac(key_salt, f'{pk}{password}{last_login}{timestamp}{email}',
 * secret, 'sha256')`, `last_login` truncated to the second without its time
 * zone (`''` when null).
 *
 * ```ts
 * makeResetToken({ id: 1, password: user.password, lastLogin: null, email: 'a@example.com' }, { secret, now: Date.now() });
 * // '<base36 seconds>-<32 hex>', e.g. 'c6lvsw-01c0cc3e1814d5a74bc6077724f15807'
 * ```
 */
export function makeResetToken(user: ResetTokenUser, options: MakeResetTokenOptions): string {
  return tokenAt(user, djangoTokenSeconds(options.now, options.timeZone), options.secret, options);
}

/**
 * Django 5.2's `check_token(user, token)`: true when one of `secrets` made
 * this token for this user as it is now (password, last login and e-mail
 * unchanged), and `now − timestamp ≤ timeout`. Each comparison is
 * constant-time. Like Django ≥ 4.0 it accepts SHA-256 tokens only: the SHA-1
 * tokens and day-count timestamps Django 3.1–3.2 still honoured are refused.
 *
 * ```ts
 * checkResetToken(user, token, { secrets: [SECRET_KEY, ...fallbacks], now: Date.now() }); // true or false
 * ```
 */
export function checkResetToken(
  user: ResetTokenUser,
  token: string,
  options: CheckResetTokenOptions,
): boolean {
  if (!user || typeof token !== 'string' || token.length > 46) return false;
  const m = TOKEN.exec(token);
  if (m === null) return false;
  const timestamp = Number.parseInt(m[1], 36);
  if (!Number.isSafeInteger(timestamp)) return false;
  let signed = false;
  for (const secret of options.secrets) {
    if (timingSafeEqual(tokenAt(user, timestamp, secret, options), token)) {
      signed = true;
      break;
    }
  }
  if (!signed) return false;
  return (
    djangoTokenSeconds(options.now, options.timeZone) - timestamp <=
    (options.timeout ?? DEFAULT_RESET_TIMEOUT)
  );
}

/**
 * Django's `_num_seconds(datetime.now())`: whole seconds from 2001-01-01
 * 00:00 to the wall-clock time of `now` in `timeZone`.
 *
 * ```ts
 * djangoTokenSeconds(Date.UTC(2024, 0, 1), 'UTC'); // 725760000
 * djangoTokenSeconds(Date.UTC(2024, 0, 1), 'Europe/Paris'); // 725763600
 * ```
 */
export function djangoTokenSeconds(now: number, timeZone = 'UTC'): number {
  const seconds = Math.floor(wallClockMs(now, timeZone) / 1000) - EPOCH_2001;
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new RangeError(`no Django token time for ${now}`);
  return seconds;
}

function tokenAt(
  user: ResetTokenUser,
  timestamp: number,
  secret: string,
  options: DjangoClockOptions,
): string {
  const lastLogin =
    user.lastLogin === null
      ? ''
      : pythonDateTime(
          options.useTz === false ? wallClockMs(user.lastLogin, options.timeZone ?? 'UTC') : user.lastLogin,
        );
  const value = `${user.id}${user.password}${lastLogin}${timestamp}${user.email ?? ''}`;
  const hex = saltedHmac(options.keySalt ?? RESET_TOKEN_KEY_SALT, value, secret, 'sha256').toString('hex');
  let every2nd = '';
  for (let i = 0; i < hex.length; i += 2) every2nd += hex[i];
  return `${timestamp.toString(36)}-${every2nd}`;
}

/** Python's `str(datetime)` at whole seconds, of a wall-clock time held as UTC milliseconds. */
function pythonDateTime(wallMs: number): string {
  const d = new Date(Math.floor(wallMs / 1000) * 1000);
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
  );
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of `epochMs` in `timeZone`, as milliseconds of the same reading in UTC. */
function wallClockMs(epochMs: number, timeZone: string): number {
  if (timeZone === 'UTC') return epochMs;
  let format = formats.get(timeZone);
  if (format === undefined) {
    // Throws a RangeError for a name the runtime does not know: a configuration error, found early.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const part: Record<string, number> = {};
  for (const { type, value } of format.formatToParts(epochMs)) part[type] = Number(value);
  const wall = Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
  // formatToParts drops the milliseconds; keep them, so truncation to the second matches Python's.
  return wall + (((epochMs % 1000) + 1000) % 1000);
}
