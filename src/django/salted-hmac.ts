import { createHash, createHmac } from 'node:crypto';

/** The digests Django's signing, session, auth-hash and reset-token code uses. */
export type DjangoHmacAlgorithm = 'sha1' | 'sha256';

/**
 * Django's `django.utils.crypto.salted_hmac(key_salt, value, secret, algorithm=…)`:
 * HMAC-`algorithm` of `value` under the key `algorithm(key_salt + secret)`,
 * every string UTF-8 encoded (`force_bytes`). Django's default algorithm is
 * SHA-1; since 3.1 every caller that matters passes SHA-256. Returns the raw
 * digest: `.toString('hex')` is Django's `hexdigest()`.
 *
 * ```ts
 * saltedHmac('django.contrib.auth.tokens.PasswordResetTokenGenerator', '1pbkdf2_sha256$…', secretKey, 'sha256').toString('hex');
 * ```
 */
export function saltedHmac(
  keySalt: string,
  value: string | Buffer,
  secret: string,
  algorithm: DjangoHmacAlgorithm,
): Buffer {
  const key = createHash(algorithm)
    .update(Buffer.from(keySalt + secret, 'utf8'))
    .digest();
  return createHmac(algorithm, key)
    .update(typeof value === 'string' ? Buffer.from(value, 'utf8') : value)
    .digest();
}
