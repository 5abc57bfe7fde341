import { HOTP, Secret } from 'otpauth';
import { ConfigurationError } from '../errors.ts';
import type { Random } from '../internal/random.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';

/**
 * TOTP as every authenticator app speaks it (RFC 6238 with Google's defaults,
 * which are also dj-rest-auth's and django-allauth's): HMAC-SHA-1, 6 digits,
 * 30-second steps, and one step of tolerance either side for clock drift.
 * `otpauth` computes the HOTP values (RFC 4226); the window, the input rules
 * and the constant-time comparison are ours.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const SECRET_BYTES = 20; // 160 bits: RFC 4226's recommended key length, and the length of a SHA-1 block input
const WINDOW = 1;
// Anything longer than this cannot be a code, whatever spaces it carries; refuse it before looking inside.
const MAX_INPUT_LENGTH = 32;

/**
 * A new TOTP secret: 20 bytes from `random`, base32 without padding
 * (32 characters), the form an authenticator app accepts typed or scanned.
 *
 * ```ts
 * generateTotpSecret(cryptoRandom) // 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
 * ```
 */
export function generateTotpSecret(random: Random): string {
  return new Secret({ buffer: Uint8Array.from(random.bytes(SECRET_BYTES)).buffer }).base32;
}

/**
 * The `otpauth://` provisioning URL an authenticator app scans (Google's Key
 * URI format): the label is `issuer:account`, each part percent-encoded on
 * its own so a `/`, `&` or `=` inside a name cannot break the URL; every
 * parameter is written out, defaults included. Apps split the label at its
 * first colon, encoded or not: the issuer (configuration) must not hold one.
 *
 * ```ts
 * totpUri({ secret, account: 'alice@example.com', issuer: 'Gatehouse' })
 * // 'otpauth://totp/Gatehouse:alice%40example.com?secret=…&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30'
 * ```
 */
export function totpUri({
  secret,
  account,
  issuer,
}: {
  secret: string;
  account: string;
  issuer: string;
}): string {
  if (issuer.includes(':'))
    throw new ConfigurationError(`a TOTP issuer cannot contain ':' (got ${JSON.stringify(issuer)})`);
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return (
    `otpauth://totp/${label}?secret=${encodeURIComponent(secret)}&issuer=${encodeURIComponent(issuer)}` +
    `&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_PERIOD_SECONDS}`
  );
}

/** The time step (RFC 6238's T) that contains `now` (milliseconds since the epoch). */
export function totpStep(now: number): number {
  return Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The code for the step containing `now`: what the user's app shows. For
 * tests and tools; the server never needs to display a code.
 *
 * ```ts
 * totpCode(secret, clock.now()) // '287082'
 * ```
 */
export function totpCode(secret: string, now: number): string {
  return hotp(Secret.fromBase32(secret), totpStep(now));
}

/**
 * Checks a code typed by the user and answers the time step it matched, or
 * null. The code must be exactly six ASCII digits once spaces are removed
 * (apps display `123 456`); anything else is refused before any HMAC is
 * computed. The step before and after the current one are accepted too.
 *
 * A code is good once: the caller stores the step this returns as the user's
 * last used step (atomically, refusing a step not above the stored one) and
 * passes it back as `lastUsedStep`, so a replay inside the same window, or an
 * older code, is refused.
 *
 * ```ts
 * const step = verifyTotp(secret, '287 082', { now: clock.now(), lastUsedStep: row.lastStep });
 * if (step === null) throw invalidCode();
 * ```
 */
export function verifyTotp(
  secret: string,
  code: string,
  { now, lastUsedStep }: { now: number; lastUsedStep?: number | null },
): number | null {
  const digits = normalizeCode(code);
  if (digits === null) return null;
  const key = Secret.fromBase32(secret);
  const current = totpStep(now);
  let matched: number | null = null;
  // Every step of the window is computed and compared, so the time taken does
  // not tell which step (if any) matched.
  for (let step = current - WINDOW; step <= current + WINDOW; step++) {
    const equal = timingSafeEqual(hotp(key, step), digits);
    const fresh = lastUsedStep === undefined || lastUsedStep === null || step > lastUsedStep;
    if (equal && fresh && matched === null) matched = step;
  }
  return matched;
}

function hotp(key: Secret, counter: number): string {
  return HOTP.generate({ secret: key, algorithm: 'SHA1', digits: TOTP_DIGITS, counter });
}

/** Six ASCII digits once ASCII spaces are dropped, or null. */
function normalizeCode(code: string): string | null {
  if (typeof code !== 'string' || code.length > MAX_INPUT_LENGTH) return null;
  let digits = '';
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 0x20) continue;
    // Only '0'-'9': fullwidth or other Unicode digits (which pyotp's NFKC would accept) are refused.
    if (c < 0x30 || c > 0x39) return null;
    digits += code[i];
  }
  return digits.length === TOTP_DIGITS ? digits : null;
}
