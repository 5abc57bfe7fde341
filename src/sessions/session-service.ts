import { randomUUID } from 'node:crypto';
import { AuthenticationFailed } from '../errors.ts';
import type { SetCookie } from '../http/cookie.ts';
import { type Clock, systemClock } from '../internal/clock.ts';
import { sha256Hex } from '../internal/hash.ts';
import { cryptoRandom, type Random } from '../internal/random.ts';
import { isStorableText } from '../internal/storable-text.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';
import type { Origin, SecurityEvents } from '../logging/security-events.ts';
import type { Revocations } from '../revocations.ts';
import type { SessionRecord, SessionStore, User, UserStore } from '../stores/types.ts';
import { sessionAuthHash, sessionAuthHashKey } from './session-auth-hash.ts';
import { isWellFormedSessionKey, newSessionKey } from './session-key.ts';

export interface SessionSettings {
  store: SessionStore;
  users: UserStore;
  secretKey: string;
  /**
   * Django's `SECRET_KEY_FALLBACKS`: older keys whose auth hashes still
   * count. A session made under one stays valid and is re-stamped under
   * `secretKey` on its next request, so the old key can later be dropped.
   */
  secretKeyFallbacks?: readonly string[];
  /** Seconds without a request after which a session is dead. Default two weeks. */
  idleTimeout?: number;
  /** Seconds after creation after which a session is dead, whatever its activity. Default 30 days. */
  absoluteTimeout?: number;
  cookieName?: string;
  secureCookies?: boolean;
  /** Ends cached copies on every instance; without it (one process, no cache) deletion alone suffices. */
  revocations?: Revocations;
  events?: SecurityEvents;
  clock?: Clock;
  random?: Random;
}

export interface ResolvedSession {
  session: SessionRecord;
  user: User;
}

/** last_seen is written at most this often: the idle timeout is checked to this precision. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Server-side sessions as Django keeps them, safer: the store holds only the
 * SHA-256 of the key, every login gets a new key, expiry is checked on every
 * read, and the session auth hash ends sessions when the password changes.
 *
 * ```ts
 * const { key } = await sessions.create(user, { ip, userAgent });
 * const found = await sessions.resolve(cookie(req, 'sessionid'));
 * ```
 */
export class SessionService {
  readonly cookieName: string;
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
  readonly #store: SessionStore;
  readonly #users: UserStore;
  readonly #hashKey: Buffer;
  readonly #fallbackKeys: readonly Buffer[];
  readonly #secure: boolean;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #revocations: Revocations | null;
  readonly #events: SecurityEvents | null;
  // Password hash → session auth hash; a pure function of the two, so caching cannot go stale.
  readonly #authHashes = new Map<string, string>();

  constructor(settings: SessionSettings) {
    this.#store = settings.store;
    this.#users = settings.users;
    this.#hashKey = sessionAuthHashKey(settings.secretKey);
    this.#fallbackKeys = (settings.secretKeyFallbacks ?? []).map(sessionAuthHashKey);
    this.idleTimeout = settings.idleTimeout ?? 1_209_600;
    this.absoluteTimeout = settings.absoluteTimeout ?? 2_592_000;
    this.cookieName = settings.cookieName ?? 'sessionid';
    this.#secure = settings.secureCookies ?? false;
    this.#clock = settings.clock ?? systemClock;
    this.#random = settings.random ?? cryptoRandom;
    this.#revocations = settings.revocations ?? null;
    this.#events = settings.events ?? null;
  }

  /** A new session for a user who just proved who they are. The key is returned once, for the cookie. */
  async create(
    user: User,
    client: { ip: string; userAgent: string },
  ): Promise<{ key: string; session: SessionRecord }> {
    const key = newSessionKey(this.#random);
    const now = this.#clock.now();
    const session: SessionRecord = {
      id: randomUUID().replaceAll('-', ''),
      keyHash: sha256Hex(key),
      userId: user.id,
      authHash: this.authHash(user),
      createdAt: now,
      lastSeenAt: now,
      ip: client.ip,
      userAgent: client.userAgent.slice(0, 512),
    };
    await this.#store.create(session);
    return { key, session };
  }

  /**
   * The live session and user behind a cookie value, or null. Throws
   * AuthenticationFailed for a live session of an inactive user.
   */
  async resolve(key: string | undefined): Promise<ResolvedSession | null> {
    if (!isWellFormedSessionKey(key)) return null;
    const keyHash = sha256Hex(key);
    const session = await this.#store.getByKeyHash(keyHash);
    if (!session) return null;
    const now = this.#clock.now();
    if (
      now - session.lastSeenAt > this.idleTimeout * 1000 ||
      now - session.createdAt > this.absoluteTimeout * 1000 ||
      // An imported Django session is valid while expire_date > now, as Django's `expire_date__gt=now`.
      (session.expiresAt !== undefined && now >= session.expiresAt)
    ) {
      await this.#store.delete(keyHash);
      return null;
    }
    const user = await this.#users.getById(session.userId);
    if (!user) {
      await this.#store.delete(keyHash);
      return null;
    }
    const current = this.authHash(user);
    if (!timingSafeEqual(session.authHash, current)) {
      // Django ≥ 4.1's get_user: a hash made under a fallback key still counts, and is re-stamped.
      if (
        !this.#fallbackKeys.some((key) =>
          timingSafeEqual(session.authHash, sessionAuthHash(user.password, key)),
        )
      ) {
        await this.#store.delete(keyHash);
        return null;
      }
      await this.#store.setAuthHash(keyHash, current);
      session.authHash = current;
    }
    if (!user.isActive) throw new AuthenticationFailed('User inactive or deleted.');
    if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) await this.#store.touch(keyHash, now);
    return { session, user };
  }

  /**
   * After a hash upgrade of the same password (`before` → `after`), the
   * user's sessions made under the old hash are re-stamped for the new one:
   * upgrading Django's PBKDF2 to argon2id at a login logs nobody out (Django
   * itself would end every other session there). Sessions under any other
   * hash (an earlier password) stay dead.
   */
  async carryOverRehash(before: User, after: User): Promise<void> {
    const old = this.authHash(before);
    const now = this.authHash(after);
    for (const session of await this.#store.listByUser(after.id)) {
      if (timingSafeEqual(session.authHash, old)) await this.#store.setAuthHash(session.keyHash, now);
    }
    // Every instance drops its copies of the user (and the sessions tagged with it) and reads them anew.
    await this.#revocations?.userChanged(after.id);
  }

  /**
   * Ends the session behind a cookie value (logout), on every instance: the
   * record is deleted, the revocation published and the event written.
   */
  async destroy(key: string | undefined, origin?: Origin): Promise<SessionRecord | null> {
    if (!isWellFormedSessionKey(key)) return null;
    const keyHash = sha256Hex(key);
    const ended = await this.#store.delete(keyHash);
    // Published even when the row was already gone: a retry after a failed publish must still reach every cache.
    await this.#revocations?.sessionEnded(keyHash);
    if (ended) this.#events?.emit('logout', { origin, userId: ended.userId, keyHash });
    return ended;
  }

  /** Every stored session of the user, expired ones included (for operators: `gatehouse sessions`). */
  listAll(userId: number): Promise<SessionRecord[]> {
    return this.#store.listByUser(userId);
  }

  /** The user's live sessions (those past a limit but not yet cleared are left out). */
  async list(userId: number): Promise<SessionRecord[]> {
    const now = this.#clock.now();
    return (await this.#store.listByUser(userId)).filter(
      (s) =>
        now - s.lastSeenAt <= this.idleTimeout * 1000 &&
        now - s.createdAt <= this.absoluteTimeout * 1000 &&
        (s.expiresAt === undefined || now < s.expiresAt),
    );
  }

  /** Ends one of a user's sessions by its public id, on every instance; null when the user has no such session. */
  async revoke(userId: number, id: string, origin?: Origin): Promise<SessionRecord | null> {
    // An id from the URL that no store can hold names no session (issue 8.7).
    if (!isStorableText(id)) return null;
    const ended = await this.#store.deleteById(userId, id);
    if (ended) {
      await this.#revocations?.sessionEnded(ended.keyHash);
      this.#events?.emit('session_revoked', { origin, userId, reason: ended.id, keyHash: ended.keyHash });
    }
    return ended;
  }

  /** Drops sessions past their idle or absolute limit, or their hard end (`clearsessions`). */
  clearExpired(): Promise<number> {
    const now = this.#clock.now();
    return this.#store.deleteExpired(now - this.idleTimeout * 1000, now - this.absoluteTimeout * 1000, now);
  }

  /** Django's session auth hash of the user's current password (memoised: it is on every request's path). */
  authHash(user: User): string {
    let hash = this.#authHashes.get(user.password);
    if (hash === undefined) {
      hash = sessionAuthHash(user.password, this.#hashKey);
      if (this.#authHashes.size >= 10_000) this.#authHashes.clear();
      this.#authHashes.set(user.password, hash);
    }
    return hash;
  }

  /** `sessionid`: HttpOnly, SameSite=Lax, Path=/, Max-Age two weeks (capped by the absolute limit). */
  cookie(key: string): SetCookie {
    return {
      name: this.cookieName,
      value: key,
      maxAge: Math.min(1_209_600, this.idleTimeout, this.absoluteTimeout),
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: this.#secure,
    };
  }

  /** Django's deletion: `sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax`. */
  deleteCookie(): SetCookie {
    return { name: this.cookieName, value: '', maxAge: 0, path: '/', sameSite: 'Lax', secure: this.#secure };
  }
}
