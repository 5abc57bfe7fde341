import { type Clock, systemClock } from '../internal/clock.ts';
import { cryptoRandom, type Random } from '../internal/random.ts';
import type { RefreshTokenRecord, RefreshTokenStore, User, UserStore } from '../stores/types.ts';
import { CachedVerifier } from './cached-verifier.ts';
import type { JwtClaims, TokenType } from './claims.ts';
import type { JwtCodec, SignedToken } from './codec.ts';
import { jtiMillis, timeOrderedJti } from './time-ordered-jti.ts';
import { TokenError } from './token-error.ts';

/** simplejwt's words for an account that may not have tokens (obtain, and refresh). */
const NO_ACCOUNT = 'No active account found with the given credentials';
const NO_ACCOUNT_FOR_TOKEN = 'No active account found for the given token.';

/**
 * Why a token request was refused for its account, in simplejwt's words:
 * the endpoints answer 401 `{"detail": message}` (no `code`).
 */
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
 * Races are part of the contract (issue 8): every pair is stamped with an
 * instant taken before the check that allowed it — never at signing — so no
 * token is newer than that check, and a cut-off set after it (a password
 * change's `now + 1`) outdates it. The refresh store decides each rotation
 * against the family's revoked flag and the user's cut-off in one statement,
 * so a family in flight when its user's credentials end does not survive.
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

  /**
   * A new family and its first pair for a user whose password was just
   * checked. The check is made again here, after taking the pair's stamp:
   * the durable record (`getByUsername` is never served from a cache) must
   * still be that user, active, with the password hash that was verified. A
   * password change that lands before this re-read is seen by it; one that
   * lands after outdates the stamp. The store then refuses to start a family
   * born before the user's cut-off. Throws RefreshRefused (401) otherwise.
   */
  async obtain(user: User): Promise<TokenPair> {
    const checkedAt = this.#clock.now();
    const current = await this.#users.getByUsername(user.username);
    if (!current || current.id !== user.id || !current.isActive || current.password !== user.password)
      throw new RefreshRefused('user', NO_ACCOUNT);
    // The family id is time-ordered too: its birth is the login, whatever the rotations since.
    const familyId = timeOrderedJti(checkedAt, this.#random);
    const { refresh, access } = await this.#sign(user.id, checkedAt);
    const started = await this.#refreshTokens.startFamily(
      { id: familyId, userId: user.id, bornAt: checkedAt },
      record(refresh, familyId, user.id),
    );
    if (!started) throw new RefreshRefused('user', NO_ACCOUNT);
    return { refresh: refresh.token, access: access.token };
  }

  /** Rotates a refresh token. Throws TokenError (401 token_not_valid) or RefreshRefused. */
  async refresh(token: string): Promise<{ access: string; refresh: string }> {
    const claims = await this.codec.verify(token, 'refresh');
    const user = validUserId(claims.user_id) ? await this.#users.getById(Number(claims.user_id)) : null;
    if (!user) throw new RefreshRefused('user', NO_ACCOUNT_FOR_TOKEN);
    // The consume is the check: it reads the family's flag and the user's cut-off as it spends the token.
    const checkedAt = this.#clock.now();
    const consumed = await this.#refreshTokens.consume(claims.jti);
    if (consumed.status === 'spent') {
      // A rotated (or blacklisted) token came back: someone holds a copy. End the family.
      await this.#refreshTokens.revokeFamily(consumed.record.familyId);
      throw new TokenError('Token is blacklisted', { reason: 'reused' });
    }
    if (consumed.status === 'revoked') {
      // Revoked, or born before the user's cut-off (a login that straddled a password change): make it final.
      await this.#refreshTokens.revokeFamily(consumed.record.familyId);
      throw new TokenError('Token is blacklisted');
    }
    if (consumed.status === 'unknown') throw new TokenError('Token is blacklisted');
    if (!user.isActive) throw new RefreshRefused('user', NO_ACCOUNT_FOR_TOKEN);
    if (this.#pastFamilyLifetime(consumed.bornAt, checkedAt)) throw new TokenError('Token is expired');
    const { refresh, access } = await this.#sign(user.id, checkedAt);
    // The consume decided. A revocation landing between it and this insert (a
    // concurrent replay of the same token, a logout everywhere) is ordered
    // after this rotation: the store refuses the successor, which is then as
    // dead as if it had been revoked with its family, and the answer is the
    // 200 the rotation earned — of any number of concurrent refreshes of one
    // token exactly one answers 200 (JWT-18), and none leaves a live successor.
    await this.#refreshTokens.issue(record(refresh, consumed.record.familyId, user.id));
    return { access: access.token, refresh: refresh.token };
  }

  /**
   * simplejwt's verify endpoint, agreeing with what the token can do (issue
   * 8.8): a token of a user who is gone or inactive, or an access token from
   * before the user's "not before", is invalid (throws TokenError); a refresh
   * token the refresh endpoint would call blacklisted — spent, or of a revoked
   * or outdated family — is reported `blacklisted` (simplejwt's 400); one whose
   * family is past its lifetime is expired, as refresh says.
   */
  async verify(token: string): Promise<{ blacklisted: boolean }> {
    const claims = await this.codec.verify(token);
    const user = validUserId(claims.user_id) ? await this.#users.getById(Number(claims.user_id)) : null;
    if (!user?.isActive) throw new TokenError('Token is invalid', { reason: 'user' });
    if (claims.token_type !== 'refresh') {
      if (this.revokedForUser(claims, user))
        throw new TokenError('Token is invalid', { reason: 'not_before' });
      return { blacklisted: false };
    }
    const found = await this.#refreshTokens.inspect(claims.jti);
    if (found.status !== 'outstanding') return { blacklisted: true };
    if (this.#pastFamilyLifetime(found.bornAt, this.#clock.now())) throw new TokenError('Token is expired');
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

  /** A refresh and an access token stamped `at` (their jti's millisecond, their second for `iat`). */
  async #sign(userId: number, at: number): Promise<{ refresh: SignedToken; access: SignedToken }> {
    const iat = Math.floor(at / 1000);
    const sign = (type: TokenType) =>
      this.codec.sign(type, userId, { iat, jti: timeOrderedJti(at, this.#random) });
    return { refresh: await sign('refresh'), access: await sign('access') };
  }

  #pastFamilyLifetime(bornAt: number, now: number): boolean {
    return now - bornAt > this.familyLifetime * 1000;
  }
}

/** The store's record of a signed refresh token. */
function record(refresh: SignedToken, familyId: string, userId: number): RefreshTokenRecord {
  return { jti: refresh.claims.jti, familyId, userId, expiresAt: refresh.claims.exp * 1000 };
}

/** simplejwt's `user_id` as Gatehouse issues it: a decimal id (see JWTAuthentication). */
function validUserId(userId: string | undefined): userId is string {
  return userId !== undefined && /^\d{1,15}$/.test(userId);
}
