import { randomUUID } from 'node:crypto';
import { AuthenticationFailed } from '../errors.ts';
import { type Clock, systemClock } from '../internal/clock.ts';
import { sha256Hex } from '../internal/hash.ts';
import { cryptoRandom, type Random } from '../internal/random.ts';
import { isStorableText } from '../internal/storable-text.ts';
import type { Origin, SecurityEvents } from '../logging/security-events.ts';
import type { Revocations } from '../revocations.ts';
import type { TokenRecord, TokenStore, User, UserStore } from '../stores/types.ts';
import { isDrfKey, isWellFormedToken, mintToken } from './opaque-token.ts';

export interface TokenSettings {
  store: TokenStore;
  users: UserStore;
  /**
   * Keys a login endpoint handed out (`/api-token-auth/`, djoser's
   * `/auth/token/login/`) kept per user at most; past it the oldest such key
   * is revoked (knox's TOKEN_LIMIT_PER_USER). Default 20; tokens made at
   * `POST /api/tokens/` do not count.
   */
  obtainedLimit?: number;
  /** Seconds a key a login endpoint handed out lives without ever being used. Default 7 days. */
  unusedObtainedTtl?: number;
  /** Ends cached copies on every instance when a token is revoked. */
  revocations?: Revocations;
  events?: SecurityEvents;
  clock?: Clock;
  random?: Random;
}

/** The names of the keys login endpoints hand out (reserved: `POST /api/tokens/` refuses them). */
export const OBTAINED_TOKEN_NAMES: ReadonlySet<string> = new Set(['api-token-auth', 'auth-token-login']);

/** `last_used` is written at most once a minute per token, and only after the key verified. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * DRF's API tokens, safer: many per user, named, optionally expiring, stored
 * only as SHA-256 of the key, revocable one by one.
 *
 * ```ts
 * const { key } = await tokens.issue(user, { name: 'laptop', expiresIn: 86400 });
 * const found = await tokens.resolve(key); // { token, user } | null
 * ```
 */
export class TokenService {
  readonly #store: TokenStore;
  readonly #users: UserStore;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #revocations: Revocations | null;
  readonly #events: SecurityEvents | null;
  readonly #obtainedLimit: number;
  readonly #unusedObtainedMs: number;

  constructor(settings: TokenSettings) {
    this.#store = settings.store;
    this.#users = settings.users;
    this.#clock = settings.clock ?? systemClock;
    this.#random = settings.random ?? cryptoRandom;
    this.#revocations = settings.revocations ?? null;
    this.#events = settings.events ?? null;
    this.#obtainedLimit = settings.obtainedLimit ?? 20;
    this.#unusedObtainedMs = (settings.unusedObtainedTtl ?? 7 * 86_400) * 1000;
  }

  /**
   * A key for a login endpoint (`name` is one of OBTAINED_TOKEN_NAMES). DRF
   * hands a client the same key on every login; Gatehouse issues a new one
   * each time, so it keeps at most `obtainedLimit` of them per user — the
   * oldest goes, revoked on every instance — and one never used dies after
   * `unusedObtainedTtl`: a mobile app that logs in at every launch does not
   * pile up keys.
   *
   * `user` is the account whose password was just checked. Once the key is
   * stored, the durable record is read again: when it is no longer that
   * account, active, with that password hash (a reset or a change landed
   * while the password was hashed, and its end of the user's tokens may have
   * run before this key existed), the key is revoked and null returned, so a
   * login racing a reset never leaves a key the reset should have ended.
   */
  async obtain(
    user: User,
    name: string,
    origin?: Origin,
  ): Promise<{ key: string; token: TokenRecord } | null> {
    const obtained = (await this.#store.listByUser(user.id))
      .filter((t) => t.name === name)
      .sort((x, y) => x.createdAt - y.createdAt);
    for (const old of obtained.slice(0, Math.max(0, obtained.length - this.#obtainedLimit + 1))) {
      await this.revoke(old.id, user.id, origin);
    }
    const issued = await this.issue(user, { name }, origin);
    const current = await this.#users.getByUsername(user.username); // never served from a cache
    if (current && current.id === user.id && current.isActive && current.password === user.password)
      return issued;
    await this.revoke(issued.token.id, user.id, origin);
    return null;
  }

  /** A new key; it is returned this once and never stored. `expiresIn` in seconds. */
  async issue(
    user: User,
    options: { name?: string; expiresIn?: number | null } = {},
    origin?: Origin,
  ): Promise<{ key: string; token: TokenRecord }> {
    const key = mintToken(this.#random);
    const now = this.#clock.now();
    const token: TokenRecord = {
      id: randomUUID().replaceAll('-', '').slice(0, 16),
      keyHash: sha256Hex(key),
      userId: user.id,
      name: options.name ?? '',
      createdAt: now,
      lastUsedAt: null,
      expiresAt: options.expiresIn ? now + options.expiresIn * 1000 : null,
    };
    await this.#store.create(token);
    this.#events?.emit('token_created', { origin, userId: user.id, reason: token.id });
    return { key, token };
  }

  /**
   * The live token and its user, or null (unknown, malformed, expired). Throws for an inactive user.
   * Our `gth_` keys and, for tokens imported from Django, DRF's 40-hex keys are looked up.
   */
  async resolve(key: string): Promise<{ token: TokenRecord; user: User } | null> {
    if (!isWellFormedToken(key) && !isDrfKey(key)) return null;
    const token = await this.#store.getByKeyHash(sha256Hex(key));
    if (!token) return null;
    const now = this.#clock.now();
    if (token.expiresAt !== null && now >= token.expiresAt) return null;
    // A key a login handed out and nobody ever used: the client that asked for it is gone.
    if (
      token.lastUsedAt === null &&
      OBTAINED_TOKEN_NAMES.has(token.name) &&
      now - token.createdAt >= this.#unusedObtainedMs
    )
      return null;
    const user = await this.#users.getById(token.userId);
    if (!user) return null;
    if (!user.isActive) throw new AuthenticationFailed('User inactive or deleted.');
    if (token.lastUsedAt === null || now - token.lastUsedAt >= TOUCH_INTERVAL_MS) {
      await this.#store.touch(token.id, now);
    }
    return { token, user };
  }

  list(userId: number): Promise<TokenRecord[]> {
    return this.#store.listByUser(userId);
  }

  /**
   * Revokes one token of a user (or of anyone, for the CLI: `userId` null),
   * on every instance: deleted, published, logged. Null when there is no such token.
   */
  async revoke(id: string, userId: number | null, origin?: Origin): Promise<TokenRecord | null> {
    // An id from the URL that no store can hold names no token (issue 8.7).
    if (!isStorableText(id)) return null;
    const ended = await this.#store.delete(id, userId);
    if (ended) {
      await this.#revocations?.tokenRevoked(ended.keyHash);
      this.#events?.emit('token_revoked', { origin, userId: ended.userId, reason: ended.id });
    }
    return ended;
  }

  clearExpired(): Promise<number> {
    return this.#store.deleteExpired(this.#clock.now());
  }
}
