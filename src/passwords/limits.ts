/**
 * What the hashers accept. A password is hashed exactly as received (no
 * trimming, normalisation or truncation), so the only limits are a byte cap and
 * well-formed UTF-16: Django capped input at 4096 bytes after CVE-2013-1443
 * (multi-megabyte passwords made PBKDF2 burn CPU), and a lone surrogate would
 * otherwise be silently replaced by U+FFFD when encoded to UTF-8, so two
 * different passwords would hash alike.
 */

/** The largest password, in UTF-8 bytes, that is ever hashed. */
export const MAX_PASSWORD_BYTES = 4096;

/**
 * Whether `password` may be hashed: a well-formed string of at most 4096 UTF-8 bytes.
 *
 * ```ts
 * isHashablePassword('correct horse'); // true
 * isHashablePassword('x'.repeat(4097)); // false: never hashed
 * ```
 */
export function isHashablePassword(password: unknown): password is string {
  return (
    typeof password === 'string' &&
    password.length <= MAX_PASSWORD_BYTES &&
    password.isWellFormed() &&
    Buffer.byteLength(password, 'utf8') <= MAX_PASSWORD_BYTES
  );
}

/**
 * The exact UTF-8 bytes that are hashed; throws for input `isHashablePassword` rejects.
 *
 * ```ts
 * passwordBytes('é'); // <Buffer c3 a9>
 * ```
 */
export function passwordBytes(password: string): Buffer {
  if (!isHashablePassword(password)) {
    throw new RangeError(`password must be well-formed and at most ${MAX_PASSWORD_BYTES} bytes`);
  }
  return Buffer.from(password, 'utf8');
}
