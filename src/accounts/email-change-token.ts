import { saltedHmac } from '../django/salted-hmac.ts';
import { isSingleAddress } from '../email/message.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';

/** The HMAC key salt: no other Gatehouse or Django token can pass for this one. */
export const EMAIL_CHANGE_KEY_SALT = 'gatehouse.accounts.EmailChangeTokenGenerator';

/** A token is refused unread past this length (a 254-character address makes about 390). */
const MAX_TOKEN = 512;
const TOKEN = /^([0-9a-z]{1,11})-([0-9a-f]{32})-([A-Za-z0-9_-]{1,400})$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The user fields the token is bound to: a change of any of them voids it. */
export interface EmailChangeUser {
  id: number;
  /** A password change (or reset) voids a pending address change. */
  password: string;
  /** Once the new address is in place, the link has done its work: single use. */
  email: string;
}

/**
 * A stateless e-mail change link's token, `<base36 seconds>-<32 hex>-<base64url new address>`:
 * it carries the new address and an HMAC binding it to the user's id,
 * password hash and current address, so nothing waits in a pending column
 * and the link works once (afterwards the current address is the new one).
 *
 * ```ts
 * makeEmailChangeToken(user, 'new@example.com', { secret, now: Date.now() });
 * // 'sdfc3k-9b1e…-bmV3QGV4YW1wbGUuY29t'
 * ```
 */
export function makeEmailChangeToken(
  user: EmailChangeUser,
  newEmail: string,
  options: { secret: string; now: number },
): string {
  const seconds = Math.floor(options.now / 1000);
  const encoded = Buffer.from(newEmail, 'utf8').toString('base64url');
  return `${seconds.toString(36)}-${mac(user, newEmail, seconds, options.secret)}-${encoded}`;
}

/**
 * The new address when one of `secrets` made `token` for this user as it is
 * now, at most `timeout` seconds ago; null otherwise. Constant-time.
 *
 * ```ts
 * checkEmailChangeToken(user, token, { secrets: [SECRET_KEY], now: Date.now(), timeout: 259200 }); // 'new@example.com' | null
 * ```
 */
export function checkEmailChangeToken(
  user: EmailChangeUser,
  token: string,
  options: { secrets: readonly string[]; now: number; timeout: number },
): string | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN) return null;
  const m = TOKEN.exec(token);
  if (m === null) return null;
  const seconds = Number.parseInt(m[1], 36);
  const bytes = Buffer.from(m[3], 'base64url');
  // Node's decoder skips stray characters: only the one canonical spelling of an address is read.
  if (bytes.toString('base64url') !== m[3]) return null;
  let newEmail: string;
  try {
    newEmail = UTF8.decode(bytes);
  } catch {
    return null;
  }
  if (!isSingleAddress(newEmail)) return null;
  const signed = options.secrets.some((secret) =>
    timingSafeEqual(mac(user, newEmail, seconds, secret), m[2]),
  );
  if (!signed) return null;
  const age = Math.floor(options.now / 1000) - seconds;
  return age >= 0 && age <= options.timeout ? newEmail : null;
}

function mac(user: EmailChangeUser, newEmail: string, seconds: number, secret: string): string {
  // NUL cannot occur in any of the fields, so no two field lists join to the same value.
  const value = [user.id, user.password, user.email, newEmail, seconds].join('\0');
  return saltedHmac(EMAIL_CHANGE_KEY_SALT, value, secret, 'sha256').toString('hex').slice(0, 32);
}
