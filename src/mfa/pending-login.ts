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

/** Which login endpoint started it, so `verify` answers exactly as that one would have. */
export type LoginKind = 'session' | 'token' | 'authtoken' | 'jwt' | 'browsable';

export const PENDING_LOGIN_TTL_MS = 300_000;
export const PENDING_LOGIN_MAX_ATTEMPTS = 5;
const TOKEN_BYTES = 32; // 256 bits; the token is a bearer credential for half a login
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface PendingLogin {
  /** SHA-256 (hex) of the ephemeral token: a dump of the store yields no usable token. */
  tokenHash: string;
  kind: LoginKind;
  userId: number;
  /** SHA-256 (hex) of what binds the login to its client: see `pendingLoginBinding`. */
  binding: string;
  createdAt: number;
  /** Codes tried so far, counted before each is checked. */
  attempts: number;
}

/**
 * What the views need from storage: atomic verbs, as every Gatehouse store.
 * Expiry is part of each verb (a record past `expiresAt` is absent), so a
 * backend's TTL is an optimisation, never the control.
 */
export interface PendingLoginStore {
  /** Saves a new record, which no verb returns once `now` reaches `expiresAt`. */
  create(record: PendingLogin, expiresAt: number): Promise<void>;
  /** The record, or null when absent or expired. Reads only. */
  get(tokenHash: string, now: number): Promise<PendingLogin | null>;
  /**
   * Atomically: when the record is alive and has had fewer than `maxAttempts`
   * attempts, add one and return it (with the new count); else null. Called
   * before a code is checked, so a burst of parallel guesses gets no more
   * checks than the limit (SECURITY AUTH-09b) — which counting failures
   * after the check (`recordFailure`) could not promise.
   */
  recordAttempt(
    tokenHash: string,
    options: { now: number; maxAttempts: number },
  ): Promise<PendingLogin | null>;
  /** Atomically gets and deletes: of two concurrent successes, one gets the record and the other null. */
  consume(tokenHash: string, now: number): Promise<PendingLogin | null>;
}

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

/**
 * A `PendingLoginStore` in process memory: for tests and the library's
 * single-process default. Each verb runs to completion without awaiting, so
 * it is atomic within the process.
 *
 * ```ts
 * const store = new MemoryPendingLoginStore();
 * ```
 */
export class MemoryPendingLoginStore implements PendingLoginStore {
  readonly #records = new Map<string, { record: PendingLogin; expiresAt: number }>();

  async create(record: PendingLogin, expiresAt: number): Promise<void> {
    this.#records.set(record.tokenHash, { record: { ...record }, expiresAt });
  }

  async get(tokenHash: string, now: number): Promise<PendingLogin | null> {
    const entry = this.#alive(tokenHash, now);
    return entry ? { ...entry.record } : null;
  }

  async recordAttempt(
    tokenHash: string,
    { now, maxAttempts }: { now: number; maxAttempts: number },
  ): Promise<PendingLogin | null> {
    const entry = this.#alive(tokenHash, now);
    if (!entry || entry.record.attempts >= maxAttempts) return null;
    entry.record.attempts += 1;
    return { ...entry.record };
  }

  async consume(tokenHash: string, now: number): Promise<PendingLogin | null> {
    const entry = this.#alive(tokenHash, now);
    this.#records.delete(tokenHash);
    return entry ? { ...entry.record } : null;
  }

  #alive(tokenHash: string, now: number) {
    const entry = this.#records.get(tokenHash);
    if (entry && now >= entry.expiresAt) {
      this.#records.delete(tokenHash);
      return undefined;
    }
    return entry;
  }
}
