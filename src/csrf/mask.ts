/**
 * Django's CSRF token format: a 32-character secret, and 64-character masked
 * tokens that carry it. Masking is a per-character Vigenère over Django's
 * 62-character alphabet, so a fresh token can be handed out on every response
 * (a BREACH mitigation) while every one of them unmasks to the same secret.
 *
 * ```ts
 * const secret = newSecret(cryptoRandom);        // 'O976A7n2vjLpJe5D5jhbZ0MTpewNGNZ5'
 * const token = maskSecret(secret, cryptoRandom); // 64 chars, different every call
 * unmaskToken(token) === secret;                  // true
 * ```
 */
import type { Random } from '../internal/random.ts';

/** `string.ascii_letters + string.digits`: the order matters, masking adds positions in it. */
export const CSRF_ALLOWED_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const CSRF_SECRET_LENGTH = 32;
export const CSRF_TOKEN_LENGTH = 2 * CSRF_SECRET_LENGTH;

const N = CSRF_ALLOWED_CHARS.length;
const INVALID_CHAR = /[^a-zA-Z0-9]/;

/**
 * A new 32-character secret from the injected randomness.
 *
 * ```ts
 * newSecret(cryptoRandom).length === 32
 * ```
 */
export function newSecret(random: Random): string {
  return random.string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS);
}

/**
 * A 64-character token: a fresh random mask followed by the secret shifted by
 * it. The secret must be well formed (32 characters of the alphabet).
 *
 * ```ts
 * maskSecret('lcccccccX2kcccccccY2jcccccccssIC', cryptoRandom).length === 64
 * ```
 */
export function maskSecret(secret: string, random: Random): string {
  if (secret.length !== CSRF_SECRET_LENGTH || INVALID_CHAR.test(secret)) {
    throw new TypeError('maskSecret: the secret must be 32 characters of [a-zA-Z0-9]');
  }
  const mask = newSecret(random);
  let cipher = '';
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++) {
    const sum = CSRF_ALLOWED_CHARS.indexOf(secret[i]) + CSRF_ALLOWED_CHARS.indexOf(mask[i]);
    cipher += CSRF_ALLOWED_CHARS[sum % N];
  }
  return mask + cipher;
}

/**
 * The secret inside a 64-character token. The token must be well formed; call
 * `isWellFormed` first on anything that came from a request.
 *
 * ```ts
 * unmaskToken('a'.repeat(32) + 'b'.repeat(32)) === 'b'.repeat(32)
 * ```
 */
export function unmaskToken(token: string): string {
  let secret = '';
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++) {
    const mask = CSRF_ALLOWED_CHARS.indexOf(token[i]);
    const cipher = CSRF_ALLOWED_CHARS.indexOf(token[CSRF_SECRET_LENGTH + i]);
    // Python's negative indexing wraps; JS's `%` keeps the sign, so add N first.
    secret += CSRF_ALLOWED_CHARS[(cipher - mask + N) % N];
  }
  return secret;
}

/** Django's `InvalidTokenFormat` reasons, the phrase that follows "CSRF cookie" or "CSRF token from …". */
export type TokenFormatProblem = 'has incorrect length' | 'has invalid characters';

/**
 * Django's `_check_token_format`: why a secret or token cannot be used, or
 * null when it can. Length is checked first, so a 100 KB value is never scanned.
 *
 * ```ts
 * tokenFormatProblem('a'.repeat(16)) === 'has incorrect length'
 * tokenFormatProblem('*'.repeat(64)) === 'has invalid characters'
 * ```
 */
export function tokenFormatProblem(value: string): TokenFormatProblem | null {
  if (value.length !== CSRF_SECRET_LENGTH && value.length !== CSRF_TOKEN_LENGTH)
    return 'has incorrect length';
  if (INVALID_CHAR.test(value)) return 'has invalid characters';
  return null;
}

/**
 * True for a 32-character secret or a 64-character masked token.
 *
 * ```ts
 * isWellFormed('lcccccccX2kcccccccY2jcccccccssIC') === true
 * ```
 */
export function isWellFormed(value: string): boolean {
  return tokenFormatProblem(value) === null;
}

/**
 * The secret a well-formed secret or token stands for: a 64-character value is
 * unmasked, a 32-character one is the secret itself.
 *
 * ```ts
 * toSecret(maskSecret(s, cryptoRandom)) === s
 * ```
 */
export function toSecret(wellFormed: string): string {
  return wellFormed.length === CSRF_TOKEN_LENGTH ? unmaskToken(wellFormed) : wellFormed;
}
