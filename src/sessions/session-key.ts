import { LOWER_DIGITS, type Random } from '../internal/random.ts';

/** Django's session key: 32 characters of `[a-z0-9]` (about 165 bits) from the CSPRNG. */
export const SESSION_KEY_LENGTH = 32;

const KEY_SHAPE = /^[a-z0-9]{32}$/;

export function newSessionKey(random: Random): string {
  return random.string(SESSION_KEY_LENGTH, LOWER_DIGITS);
}

/**
 * Whether a cookie value could be a key we issued. Anything else (empty,
 * short, long, other characters) is no session, without a store lookup:
 * Django CVE-2015-3982 and CVE-2015-5143 came from treating such values as keys.
 */
export function isWellFormedSessionKey(value: string | undefined): value is string {
  return value !== undefined && KEY_SHAPE.test(value);
}
