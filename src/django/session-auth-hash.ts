import { timingSafeEqual } from '../internal/timing-safe-equal.ts';
import { sessionAuthHash, sessionAuthHashKey } from '../sessions/session-auth-hash.ts';
import { type DjangoHmacAlgorithm, saltedHmac } from './salted-hmac.ts';

const KEY_SALT = 'django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash';

/**
 * Django's `AbstractBaseUser.get_session_auth_hash()` under one secret:
 * `salted_hmac(KEY_SALT, user.password, secret, algorithm).hexdigest()`.
 * SHA-256 since Django 3.1 (Gatehouse's own session auth hash, reused here);
 * SHA-1 is `_legacy_get_session_auth_hash()`, what Django ≤ 3.0 stored and
 * 3.1–3.2 still accept.
 *
 * ```ts
 * djangoSessionAuthHash(user.password, SECRET_KEY); // 64 hex characters
 * djangoSessionAuthHash(user.password, SECRET_KEY, 'sha1'); // 40 hex characters
 * ```
 */
export function djangoSessionAuthHash(
  password: string,
  secret: string,
  algorithm: DjangoHmacAlgorithm = 'sha256',
): string {
  if (algorithm === 'sha256') return sessionAuthHash(password, sessionAuthHashKey(secret));
  return saltedHmac(KEY_SALT, password, secret, algorithm).toString('hex');
}

export interface SessionAuthHashOptions {
  /** `SECRET_KEY` first, then the fallbacks Django ≥ 4.1 also tries (`SECRET_KEY_FALLBACKS`). */
  secrets: readonly string[];
  /** Also accept the SHA-1 hash, as Django 3.1–3.2 do (Django ≥ 4.0 does not); default false. */
  legacySha1?: boolean;
}

/**
 * Whether a session's `_auth_user_hash` still matches the user's password
 * hash, Django's check in `django.contrib.auth.get_user`: the index of the
 * secret that made it, or -1 (the password changed since, or no secret given
 * made it — such a session is dead). Each comparison is constant-time.
 *
 * ```ts
 * matchSessionAuthHash(session.authHash, user.password, { secrets: [SECRET_KEY, OLD_KEY] }); // 0, 1 or -1
 * ```
 */
export function matchSessionAuthHash(
  sessionHash: string | null | undefined,
  password: string,
  options: SessionAuthHashOptions,
): number {
  if (typeof sessionHash !== 'string' || sessionHash === '' || sessionHash.length > 128) return -1;
  const algorithms: DjangoHmacAlgorithm[] = options.legacySha1 ? ['sha256', 'sha1'] : ['sha256'];
  for (const [index, secret] of options.secrets.entries()) {
    for (const algorithm of algorithms) {
      if (timingSafeEqual(sessionHash, djangoSessionAuthHash(password, secret, algorithm))) return index;
    }
  }
  return -1;
}
