import { type Clock, systemClock } from '../internal/clock.ts';
import { cryptoRandom, type Random } from '../internal/random.ts';
import type { RefreshTokenStore, User, UserStore } from '../stores/types.ts';
import { CachedVerifier } from './cached-verifier.ts';
import type { JwtClaims, TokenType } from './claims.ts';
import type { JwtCodec } from './codec.ts';
import { jtiMillis, timeOrderedJti } from './time-ordered-jti.ts';
import { TokenError } from './token-error.ts';

/** Why a refresh was refused, in simplejwt's words. */
export class RefreshRefused extends Error {
  readonly kind: 'token' | 'user';
  constructor(kind: 'token' | 'user', message: string) {
    super(message);
    this.kind = kind;
  }
}

export interface TokenPair {
  refresh: string;
  access: string;
}

/**
 * simplejwt's obtain / refresh / verify / blacklist, with what simplejwt lacks:
 * every refresh token is recorded in a family; a refresh rotates it (the old
 * one is spent by one atomic consume); presenting a spent token again revokes
 * the whole family; and access tokens die at once when the user's "not
 * before" moves (logout everywhere, password change).
 *
 * ```ts
 * const { refresh, access } = await jwt.obtain(user);
 * const rotated = await jwt.refresh(refresh); // { access, refresh }
 * ```
 */
export class JwtService {
  readonly codec: JwtCodec;
  readonly verifier: CachedVerifier;
  readonly #users: UserStore;
  readonly #refreshTokens: RefreshTokenStore;
  readonly #clock: Clock;
  readonly #random: Random;
  /** Seconds a refresh family may live, however often it rotates (JWT-15). Default 30 days. */
  readonly familyLifetime: number;

  constructor(deps: {
    codec: JwtCodec;
    users: UserStore;
    refreshTokens: RefreshTokenStore;
    familyLifetime?: number;
    clock?: Clock;
    random?: Random;
  }) {
    this.codec = deps.codec;
    this.verifier = new CachedVerifier(deps.codec);
    this.#users = deps.users;
    this.#refreshTokens = deps.refreshTokens;
    this.#clock = deps.clock ?? systemClock;
    this.#random = deps.random ?? cryptoRandom;
    this.familyLifetime = deps.familyLifetime ?? 2_592_000;
  }

  /** A new refresh token (a new family) and an access token with the same `iat`. */
  obtain(user: User): Promise<TokenPair> {
    // The family id is time-ordered: its birth is the login, whatever the rotations since.
    return this.#issue(user, timeOrderedJti(this.#clock.now(), this.#random));
  }

  /** Rotates a refresh token. Throws TokenError (401 token_not_valid) or RefreshRefused. */
  async refresh(token: string): Promise<{ access: string; refresh: string }> {
    const claims = await this.codec.verify(token, 'refresh');
    const user = claims.user_id === undefined ? null : await this.#users.getById(Number(claims.user_id));
    if (!user) throw new RefreshRefused('user', 'No active account found for the given token.');
    const consumed = await this.#refreshTokens.consume(claims.jti);
    if (consumed.status === 'spent') {
      // A rotated (or blacklisted) token came back: someone holds a copy. End the family.
      await this.#refreshTokens.revokeFamily(consumed.record.familyId);
      throw new TokenError('Token is blacklisted', { reason: 'reused' });
    }
    if (consumed.status === 'unknown') throw new TokenError('Token is blacklisted');
    if (!user.isActive) throw new RefreshRefused('user', 'No active account found for the given token.');
    const born = jtiMillis(consumed.record.familyId);
    if (born !== null && this.#clock.now() - born > this.familyLifetime * 1000)
      throw new TokenError('Token is expired');
    const pair = await this.#issue(user, consumed.record.familyId);
    return { access: pair.access, refresh: pair.refresh };
  }

  /** simplejwt's verify endpoint: any well-signed, unexpired token; a spent refresh token is reported. */
  async verify(token: string): Promise<{ blacklisted: boolean }> {
    const claims = await this.codec.verify(token);
    if (claims.token_type === 'refresh')
      return { blacklisted: await this.#refreshTokens.isSpent(claims.jti) };
    return { blacklisted: false };
  }

  /** simplejwt's blacklist endpoint (logout for JWT clients). Throws TokenError when already spent. */
  async blacklist(token: string): Promise<void> {
    const claims = await this.codec.verify(token, 'refresh');
    if (!(await this.#refreshTokens.blacklist(claims.jti))) throw new TokenError('Token is blacklisted');
  }

  /** Verifies an access token (cached until its exp) and returns its claims. */
  verifyAccess(token: string): Promise<JwtClaims> {
    return this.verifier.verifyAccess(token);
  }

  /** Whether an access token predates the user's "not before" (logout everywhere, password change). */
  revokedForUser(claims: JwtClaims, user: User): boolean {
    if (user.tokensValidAfter === 0) return false;
    const issued = jtiMillis(claims.jti) ?? claims.iat * 1000;
    return issued < user.tokensValidAfter;
  }

  async #issue(user: User, familyId: string): Promise<TokenPair> {
    const now = this.#clock.now();
    const iat = Math.floor(now / 1000);
    const sign = (type: TokenType) =>
      this.codec.sign(type, user.id, { iat, jti: timeOrderedJti(now, this.#random) });
    const refresh = await sign('refresh');
    const access = await sign('access');
    await this.#refreshTokens.issue({
      jti: refresh.claims.jti,
      familyId,
      userId: user.id,
      expiresAt: refresh.claims.exp * 1000,
    });
    return { refresh: refresh.token, access: access.token };
  }
}
