import { Accounts } from './accounts.ts';
import { JWTAuthentication } from './authentication/jwt.ts';
import { SessionAuthentication } from './authentication/session.ts';
import { TokenAuthentication } from './authentication/token.ts';
import { CsrfProtection, csrfCookie } from './csrf/check.ts';
import { Throttled } from './errors.ts';
import type { SetCookie } from './http/cookie.ts';
import { type Clock, systemClock } from './internal/clock.ts';
import { sha256Hex } from './internal/hash.ts';
import { cryptoRandom, type Random } from './internal/random.ts';
import { JwtCodec } from './jwt/codec.ts';
import { JwtService } from './jwt/jwt-service.ts';
import { JwtKeys } from './jwt/keys.ts';
import { TokenError } from './jwt/token-error.ts';
import { type SecurityEventName, type SecurityLog, silentLog } from './logging/security-log.ts';
import { PasswordHashers } from './passwords/password-hashers.ts';
import { verifyCredentials } from './passwords/verify-credentials.ts';
import { AllowAny } from './permissions/allow-any.ts';
import { type Policy, runPipeline } from './pipeline.ts';
import { type AuthRequest, cookie, header } from './request.ts';
import type { ApiResponse } from './response.ts';
import { Revocations } from './revocations.ts';
import { isWellFormedSessionKey } from './sessions/session-key.ts';
import { SessionService } from './sessions/session-service.ts';
import type { RevocationBus, SessionRecord, Stores, TokenRecord, User } from './stores/types.ts';
import { LoginThrottle } from './throttling/login-throttle.ts';
import { TokenService } from './tokens/token-service.ts';
import type { RequestContext } from './types.ts';
import { createView, type View, type ViewDefinition } from './view.ts';

export interface GatehouseSettings {
  stores: Stores;
  /** Signs sessions' auth hashes and (by default) JWTs. Keep it secret; keep it stable. */
  secretKey: string;
  /** Django's CSRF_TRUSTED_ORIGINS, each with its scheme. */
  trustedOrigins?: string[];
  /** Django's ALLOWED_HOSTS: hosts whose own origin passes the CSRF Origin check. */
  allowedHosts?: string[];
  /** Adds `Secure` to every cookie. */
  secureCookies?: boolean;
  /** Seconds; defaults two weeks and 30 days. */
  sessionIdleTimeout?: number;
  sessionAbsoluteTimeout?: number;
  /** Failed logins per account and per address: DRF rate strings, default `5/min` and `20/min`. */
  loginRate?: string;
  loginAddressRate?: string;
  hashers?: PasswordHashers;
  /** JWT: HS256 over `secretKey` unless `keys` say otherwise; lifetimes in seconds (300 and 86400). */
  jwt?: { keys?: JwtKeys; accessLifetime?: number; refreshLifetime?: number; familyLifetime?: number };
  bus?: RevocationBus | null;
  /** Where security events go (LOG-01); default nowhere. */
  securityLog?: SecurityLog;
  clock?: Clock;
  random?: Random;
}

/**
 * One Gatehouse: the services over a set of stores, and DRF's default policy
 * (Session, Token, JWT authentication; AllowAny; no throttles).
 *
 * ```ts
 * const gh = createGatehouse({ stores: createSqliteStores('var/db.sqlite3'), secretKey });
 * const ctx = await gh.check(req, { permissions: [IsAuthenticated] }); // throws ApiError
 * ```
 */
export class Gatehouse {
  readonly stores: Stores;
  readonly clock: Clock;
  readonly hashers: PasswordHashers;
  readonly csrf: CsrfProtection;
  readonly sessions: SessionService;
  readonly tokens: TokenService;
  readonly jwt: JwtService;
  /** The JWT keys; `jwtKeys.jwks()` is the public key set (empty for HMAC). */
  readonly jwtKeys: JwtKeys;
  readonly revocations: Revocations;
  readonly accounts: Accounts;
  readonly loginThrottle: LoginThrottle;
  readonly authenticators: {
    session: SessionAuthentication;
    token: TokenAuthentication;
    jwt: JWTAuthentication;
  };
  readonly defaults: Policy;
  readonly secureCookies: boolean;
  readonly #log: SecurityLog;

  constructor(settings: GatehouseSettings) {
    const clock = settings.clock ?? systemClock;
    const random = settings.random ?? cryptoRandom;
    const { stores } = settings;
    this.stores = stores;
    this.clock = clock;
    this.secureCookies = settings.secureCookies ?? false;
    this.#log = settings.securityLog ?? silentLog;
    this.hashers = settings.hashers ?? new PasswordHashers();
    this.csrf = new CsrfProtection({
      trustedOrigins: settings.trustedOrigins ?? [],
      allowedHosts: settings.allowedHosts ?? ['.localhost', '127.0.0.1', '[::1]'],
      random,
    });
    this.sessions = new SessionService({
      store: stores.sessions,
      users: stores.users,
      secretKey: settings.secretKey,
      idleTimeout: settings.sessionIdleTimeout,
      absoluteTimeout: settings.sessionAbsoluteTimeout,
      secureCookies: this.secureCookies,
      clock,
      random,
    });
    this.tokens = new TokenService({ store: stores.tokens, users: stores.users, clock, random });
    this.jwtKeys = settings.jwt?.keys ?? new JwtKeys({ algorithm: 'HS256', secret: settings.secretKey });
    const codec = new JwtCodec({
      keys: this.jwtKeys,
      accessLifetimeSeconds: settings.jwt?.accessLifetime,
      refreshLifetimeSeconds: settings.jwt?.refreshLifetime,
      clock,
      random,
    });
    this.jwt = new JwtService({
      codec,
      users: stores.users,
      refreshTokens: stores.refreshTokens,
      clock,
      random,
    });
    this.revocations = new Revocations({ stores, bus: settings.bus, clock });
    this.accounts = new Accounts({
      users: stores.users,
      hashers: this.hashers,
      revocations: this.revocations,
      clock,
    });
    this.loginThrottle = new LoginThrottle({
      counters: stores.counters,
      accountRate: settings.loginRate,
      addressRate: settings.loginAddressRate,
      clock,
    });
    this.authenticators = {
      session: new SessionAuthentication(this.sessions),
      token: new TokenAuthentication(this.tokens),
      jwt: new JWTAuthentication(this.jwt, stores.users),
    };
    this.defaults = {
      authenticators: [this.authenticators.session, this.authenticators.token, this.authenticators.jwt],
      permissions: [AllowAny],
      throttles: [],
      csrf: this.csrf,
    };
  }

  /** Runs the pipeline with the defaults overridden by `policy`; resolves to the request context or throws ApiError. */
  check(req: AuthRequest, policy: Partial<Policy> = {}): Promise<RequestContext> {
    return runPipeline(req, { ...this.defaults, ...policy });
  }

  /** A DRF-style view with this Gatehouse's defaults. */
  view(definition: ViewDefinition): View {
    return createView(definition, this.defaults, (req, ctx, res) => this.#observe(req, ctx, res));
  }

  /** Denials are security events: CSRF failures, bad credentials, refused permissions. */
  #observe(req: AuthRequest, ctx: RequestContext | null, res: ApiResponse): void {
    if (res.status !== 401 && res.status !== 403) return;
    const detail = (res.data as { detail?: unknown } | undefined)?.detail;
    const text = typeof detail === 'string' ? detail : undefined;
    if (text?.startsWith('CSRF Failed: '))
      this.event(req, 'csrf_failed', ctx?.user?.id ?? null, text.slice(13));
    else if (ctx?.user) this.event(req, 'permission_denied', ctx.user.id, text);
    else if (res.status === 401 || text !== 'Authentication credentials were not provided.') {
      this.event(req, 'authentication_failed', null, text ?? (res.data as { error?: string })?.error);
    }
  }

  /** Records a security event for this request. */
  event(
    req: AuthRequest,
    event: SecurityEventName,
    userId: number | null,
    reason?: string,
    session?: SessionRecord,
  ): void {
    const sessionKey = session?.keyHash ?? null;
    this.#log({
      event,
      userId,
      sessionRef: sessionKey ? sessionKey.slice(0, 12) : null,
      ip: req.clientAddress,
      route: req.path,
      at: new Date(this.clock.now()).toISOString(),
      ...(reason === undefined ? {} : { reason }),
    });
  }

  /**
   * Checks a username and password the way every login endpoint must: the
   * shared failure buckets first (429 even for the right password), one hash
   * whatever happens, and only failures counted.
   */
  async authenticateCredentials(req: AuthRequest, username: string, password: string): Promise<User | null> {
    try {
      await this.loginThrottle.check(username, req.clientAddress);
    } catch (error) {
      if (error instanceof Throttled) this.event(req, 'login_throttled', null, 'too_many_failures');
      throw error;
    }
    const user = await verifyCredentials(
      { users: this.stores.users, hashers: this.hashers },
      username,
      password,
    );
    if (user === null || !user.isActive) {
      await this.loginThrottle.recordFailure(username, req.clientAddress);
      // The client hears one answer; the log may say which failure it was.
      const known = user ?? (await this.accounts.getByUsername(username));
      const reason = !known ? 'unknown_user' : user ? 'inactive' : 'invalid_password';
      this.event(req, 'login_failed', known?.id ?? null, reason);
      return null;
    }
    return user;
  }

  /** Issues an API token for a user on this request (the key is returned once). */
  async issueToken(req: AuthRequest, user: User, options: { name?: string; expiresIn?: number | null } = {}) {
    const issued = await this.tokens.issue(user, options);
    this.event(req, 'token_created', user.id, issued.token.id);
    return issued;
  }

  /** simplejwt's refresh; a replayed refresh token is logged as reuse. */
  async refreshJwt(req: AuthRequest, token: string) {
    try {
      return await this.jwt.refresh(token);
    } catch (error) {
      if (error instanceof TokenError && error.reason === 'reused') {
        this.event(req, 'refresh_reuse_detected', null, 'family_revoked');
      }
      throw error;
    }
  }

  /**
   * Logs a user in on this request: the old session (if any) is deleted,
   * a new key is issued, the CSRF secret rotates and last_login is stamped.
   * Returns the cookies to send.
   */
  async login(req: AuthRequest, user: User): Promise<{ session: SessionRecord; cookies: SetCookie[] }> {
    await this.logoutSession(req);
    const { key, session } = await this.sessions.create(user, {
      ip: req.clientAddress,
      userAgent: header(req, 'user-agent') ?? '',
    });
    await this.stores.users.update(user.id, { lastLogin: this.clock.now() });
    this.event(req, 'login_succeeded', user.id, undefined, session);
    return { session, cookies: [this.sessions.cookie(key), this.rotateCsrf()] };
  }

  /** Ends the session behind the request's cookie, on every instance. Returns the deletion cookie. */
  async logoutSession(req: AuthRequest): Promise<SetCookie> {
    const key = cookie(req, this.sessions.cookieName);
    const ended = await this.sessions.destroy(key);
    if (ended) {
      await this.revocations.sessionEnded(ended.keyHash);
      this.event(req, 'logout', ended.userId, undefined, ended);
    } else if (isWellFormedSessionKey(key)) {
      // No row: maybe a retry of a logout whose signal was lost. Signal again (harmless if not).
      await this.revocations.sessionEnded(sha256Hex(key));
    }
    return this.sessions.deleteCookie();
  }

  /** Ends one of a user's sessions by its public id. */
  async revokeSession(userId: number, id: string, req?: AuthRequest): Promise<boolean> {
    const ended = await this.sessions.revoke(userId, id);
    if (ended) {
      await this.revocations.sessionEnded(ended.keyHash);
      if (req) this.event(req, 'session_revoked', userId, ended.id, ended);
    }
    return ended !== null;
  }

  async revokeToken(id: string, userId: number | null, req?: AuthRequest): Promise<TokenRecord | null> {
    const ended = await this.tokens.revoke(id, userId);
    if (ended) {
      await this.revocations.tokenRevoked(ended.keyHash);
      if (req) this.event(req, 'token_revoked', ended.userId, ended.id);
    }
    return ended;
  }

  /**
   * Sets a new password from a session: every other session, every refresh
   * token and every access JWT dies; the current session continues under a
   * new key (Django's update_session_auth_hash). API tokens stay.
   */
  async changePassword(req: AuthRequest, user: User, password: string): Promise<SetCookie[]> {
    const updated = await this.accounts.setPassword(user, password);
    this.event(req, 'password_changed', user.id);
    if (cookie(req, this.sessions.cookieName)) {
      const { cookies } = await this.login(req, updated);
      return cookies.slice(0, 1);
    }
    return [];
  }

  /** Logout everywhere: every session, API token and refresh token of the user, and its access JWTs. */
  async logoutEverywhere(user: User, req?: AuthRequest): Promise<void> {
    await this.revocations.endUserCredentials(user.id, { tokens: true });
    if (req) this.event(req, 'logout_everywhere', user.id);
  }

  /** The CSRF cookie for a request, keeping a valid secret; returns the secret and a fresh masked token. */
  csrfFor(req: AuthRequest): { secret: string; token: string; cookie: SetCookie } {
    const secret = this.csrf.readSecret(req) ?? this.csrf.newSecret();
    return {
      secret,
      token: this.csrf.issueToken(secret),
      cookie: csrfCookie(secret, { secure: this.secureCookies }),
    };
  }

  rotateCsrf(): SetCookie {
    return csrfCookie(this.csrf.newSecret(), { secure: this.secureCookies });
  }

  keyHash(value: string): string {
    return sha256Hex(value);
  }
}

export function createGatehouse(settings: GatehouseSettings): Gatehouse {
  return new Gatehouse(settings);
}
