import { createHash, createHmac } from 'node:crypto';

/** The HMAC key of Django's session auth hash, derived once from SECRET_KEY. */
export function sessionAuthHashKey(secretKey: string): Buffer {
  return createHash('sha256')
    .update(`django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash${secretKey}`)
    .digest();
}

/**
 * Django's `get_session_auth_hash()`: HMAC-SHA256 over the user's encoded
 * password hash. A session stores the hash it was created with; when the
 * password changes the hashes differ and every such session is dead.
 *
 * ```ts
 * sessionAuthHash(user.password, sessionAuthHashKey(secretKey)) // 64 hex characters
 * ```
 */
export function sessionAuthHash(passwordHash: string, key: Buffer): string {
  return createHmac('sha256', key).update(passwordHash).digest('hex');
}
