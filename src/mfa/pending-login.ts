import { sha256Hex } from '../internal/hash.ts';
import type { Random } from '../internal/random.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';

/**
 * The second step of a login: a password login of a user with MFA answers
 * `{"ephemeral_token": …, "mfa_required": true}` and nothing else, and
 * `POST /auth/mfa/verify/` finishes it with a code. dj-rest-auth signs the
 * user id into that token (Django's TimestampSigner) and accepts it for 300 s,
 * as often as anyone likes, from anywhere. Here the token is a random handle
 * to a server-side record, stored only as its SHA-256, that remembers which
 * login to finish (`kind`) for whom, dies after 300 s or 5 codes tried, is
 * bound to the client that started it, and is consumed by its success.
 */

import type { PendingLogin, PendingLoginKind, PendingLoginStore } from '../stores/types.ts';

export { MemoryPendingLoginStore } from '../stores/memory/pending-login-store.ts';
export type { PendingLogin, PendingLoginStore } from '../stores/types.ts';

/** Which login endpoint started it, so `verify` answers exactly as that one would have. */
export type LoginKind = PendingLoginKind;

export const PENDING_LOGIN_TTL_MS = 300_000;
export const PENDING_LOGIN_MAX_ATTEMPTS = 5;
const TOKEN_BYTES = 32; // 256 bits; the token is a bearer credential for half a login
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Starts a second step: the token for the client (shown once) and the record
 * for the store.
 *
 * ```ts
 * const { token, record } = mintPendingLogin({ kind: 'jwt', userId: user.id,
 *   binding: pendingLoginBinding({ address: req.clientAddress }), now: clock.now(), random });
 * await store.create(record, record.createdAt + PENDING_LOGIN_TTL_MS);
 * ```
 */
export function mintPendingLogin({
  kind,
  userId,
  binding,
  now,
  random,
}: {
  kind: LoginKind;
  userId: number;
  binding: string;
  now: number;
  random: Random;
}): { token: string; record: PendingLogin } {
  const token = random.bytes(TOKEN_BYTES).toString('base64url');
  return {
    token,
    record: { tokenHash: sha256Hex(token), kind, userId, binding, createdAt: now, attempts: 0 },
  };
}

/**
 * The SHA-256 of a token as the client sent it, or null when it cannot be one
 * of ours (checked before hashing or any store lookup).
 *
 * ```ts
 * hashEphemeralToken(body.ephemeral_token) // '9f86d0…' | null
 * ```
 */
export function hashEphemeralToken(token: unknown): string | null {
  if (typeof token !== 'string' || token.length !== 43 || !TOKEN_SHAPE.test(token)) return null;
  return sha256Hex(token);
}

/**
 * What ties a pending login to the client that started it: for a session
 * login, a random value in a short-lived HttpOnly cookie set beside the
 * answer (see `mintBindingCookie`); for the others, the client address.
 *
 * ```ts
 * pendingLoginBinding({ cookie: req.cookies.get('mfa_pending') })
 * pendingLoginBinding({ address: req.clientAddress })
 * ```
 */
export function pendingLoginBinding(source: { cookie: string } | { address: string }): string {
  return 'cookie' in source ? sha256Hex(`cookie:${source.cookie}`) : sha256Hex(`address:${source.address}`);
}

/** A value for the binding cookie of a session login: 256 random bits, base64url. */
export function mintBindingCookie(random: Random): string {
  return random.bytes(32).toString('base64url');
}

export type PendingLoginProblem = 'expired' | 'exhausted' | 'binding';

/**
 * Whether a record may still be finished by this client at `now`: younger
 * than 300 s, fewer than 5 codes tried, and bound to the same client
 * (compared in constant time). Null when it may.
 *
 * ```ts
 * checkPendingLogin(record, { now: clock.now(), binding }) // null | 'expired' | 'exhausted' | 'binding'
 * ```
 */
export function checkPendingLogin(
  record: PendingLogin,
  { now, binding }: { now: number; binding: string },
): PendingLoginProblem | null {
  if (now >= record.createdAt + PENDING_LOGIN_TTL_MS || now < record.createdAt) return 'expired';
  if (record.attempts >= PENDING_LOGIN_MAX_ATTEMPTS) return 'exhausted';
  if (!timingSafeEqual(record.binding, binding)) return 'binding';
  return null;
}

export type VerifyOutcome =
  | { ok: true; record: PendingLogin }
  | { ok: false; error: 'ephemeral_token' | 'code' };

/**
 * The whole of `POST /auth/mfa/verify/` but the code check and the answer:
 * find the record, check it may be finished here, count the attempt, let
 * `checkCode` judge (it consumes the TOTP step or the recovery code), and
 * consume the record. `error` names the field that gets the contract's
 * message: `ephemeral_token` → `Invalid or expired token.`, `code` →
 * `Invalid code.`. A client that is not the one bound gets the token error
 * and uses up none of the real client's attempts.
 *
 * ```ts
 * const outcome = await verifyPendingLogin(store, { token: body.ephemeral_token, binding, now: clock.now() },
 *   (record) => checkSecondFactor(record.userId, body.code));
 * ```
 */
export async function verifyPendingLogin(
  store: PendingLoginStore,
  { token, binding, now }: { token: unknown; binding: string; now: number },
  checkCode: (record: PendingLogin) => Promise<boolean>,
): Promise<VerifyOutcome> {
  const tokenHash = hashEphemeralToken(token);
  if (tokenHash === null) return { ok: false, error: 'ephemeral_token' };
  const found = await store.get(tokenHash, now);
  if (found === null || checkPendingLogin(found, { now, binding }) !== null)
    return { ok: false, error: 'ephemeral_token' };
  const counted = await store.recordAttempt(tokenHash, { now, maxAttempts: PENDING_LOGIN_MAX_ATTEMPTS });
  if (counted === null) return { ok: false, error: 'ephemeral_token' };
  if (!(await checkCode(counted))) return { ok: false, error: 'code' };
  const consumed = await store.consume(tokenHash, now);
  if (consumed === null) return { ok: false, error: 'ephemeral_token' };
  return { ok: true, record: consumed };
}
