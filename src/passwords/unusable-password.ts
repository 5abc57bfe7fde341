import { ALNUM, cryptoRandom, type Random } from '../internal/random.ts';

/** Django's prefix for a password that can never match (`make_password(None)`). */
export const UNUSABLE_PASSWORD_PREFIX = '!';

/**
 * Django's unusable password: `!` and 40 random characters, stored for accounts
 * that log in some other way (SSO). No hasher identifies it, so verifying
 * against it costs one dummy default-hasher run and fails (CVE-2024-39329).
 *
 * ```ts
 * makeUnusablePassword(); // '!FuaOq0HTjb8pCXmLGH9bPXqbBPVyxniH6BIxlWgR'
 * isPasswordUsable('!FuaOq0HTjb8pCXmLGH9bPXqbBPVyxniH6BIxlWgR'); // false
 * ```
 */
export function makeUnusablePassword(random: Random = cryptoRandom): string {
  return UNUSABLE_PASSWORD_PREFIX + random.string(40, ALNUM);
}

/**
 * Django's `is_password_usable`: false only for the `!` prefix (an unknown
 * algorithm still counts as usable; it simply never verifies).
 *
 * ```ts
 * isPasswordUsable('pbkdf2_sha256$1000000$…'); // true
 * ```
 */
export function isPasswordUsable(encoded: string | null | undefined): boolean {
  return encoded == null || !encoded.startsWith(UNUSABLE_PASSWORD_PREFIX);
}
