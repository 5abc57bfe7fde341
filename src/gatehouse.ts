import { AccountFlows } from './accounts/account-flows.ts';
import { AccountMailer } from './accounts/account-mailer.ts';
import { AccountTokens } from './accounts/account-tokens.ts';
import { Accounts } from './accounts.ts';
import { JWTAuthentication } from './authentication/jwt.ts';
import { SessionAuthentication } from './authentication/session.ts';
import { TokenAuthentication } from './authentication/token.ts';
import { CsrfProtection, csrfCookie } from './csrf/check.ts';
import { ConsoleEmailSender } from './email/console-sender.ts';
import type { EmailSender } from './email/message.ts';
import { ConfigurationError, Throttled } from './errors.ts';
import type { BodyKind } from './http/body.ts';
import type { SetCookie } from './http/cookie.ts';
import { Cors, type CorsOptions } from './http/cors.ts';
import { securityHeaders } from './http/security-headers.ts';
import { type Clock, systemClock } from './internal/clock.ts';
import { cryptoRandom, type Random } from './internal/random.ts';
import { JwtCodec } from './jwt/codec.ts';
import { JwtService } from './jwt/jwt-service.ts';
import { JwtKeys } from './jwt/keys.ts';
import { SecurityEvents } from './logging/security-events.ts';
import { type SecurityLog, silentLog } from './logging/security-log.ts';
import { MfaRequired, type MfaRequirement } from './mfa/mfa-required.ts';
import { Passkeys } from './mfa/passkeys.ts';
import { type RelyingParty, type RelyingPartySettings, relyingParty } from './mfa/relying-party.ts';
import { SecondFactors } from './mfa/second-factors.ts';
import { createSecretBox } from './mfa/secret-box.ts';
import { PasswordHashers } from './passwords/password-hashers.ts';
import { verifyCredentials } from './passwords/verify-credentials.ts';
import { AllowAny } from './permissions/allow-any.ts';
import { type Policy, runPipeline } from './pipeline.ts';
import { type AuthRequest, cookie, header } from './request.ts';
import type { ApiResponse } from './response.ts';
import { Revocations } from './revocations.ts';
import { SessionService } from './sessions/session-service.ts';
import type { RevocationBus, SessionRecord, Stores, User } from './stores/types.ts';
import { EmailThrottle } from './throttling/email-throttle.ts';
import { type LoginAttempt, LoginThrottle } from './throttling/login-throttle.ts';
import { RegisterThrottle } from './throttling/register-throttle.ts';
import { TokenService } from './tokens/token-service.ts';
import type { Authenticator, Permission, RequestContext, Throttle, UserOf } from './types.ts';
import { createView, type View, type ViewDefinition } from './view.ts';
import { type Route, type UrlOptions, urls } from './views/index.ts';

/** The built-in authentication classes, by name: DRF's Session, Token and simplejwt's JWT authentication. */
export type AuthenticatorName = 'session' | 'token' | 'jwt';

/**
 * DRF's `DEFAULT_*` settings: what every view gets unless it says otherwise
 * (the library's own views fix only what their DRF counterparts fix).
 */
export interface DefaultPolicy {
  /** `DEFAULT_AUTHENTICATION_CLASSES`; default `['session', 'token', 'jwt']`. */
  authenticators?: readonly (AuthenticatorName | Authenticator)[];
  /** `DEFAULT_PERMISSION_CLASSES`; default `[AllowAny]`. */
  permissions?: readonly Permission[];
  /** `DEFAULT_THROTTLE_CLASSES`; default none. */
  throttles?: readonly Throttle[];
  /** `DEFAULT_PARSER_CLASSES`; default JSON, form and multipart. */
  parsers?: readonly BodyKind[];
}

export interface GatehouseSettings {
  stores: Stores;
  /** Signs sessions' auth hashes and (by default) JWTs. Keep it secret; keep it stable; at least 32 bytes. */
  secretKey: string;
  /**
   * Django's `SECRET_KEY_FALLBACKS`: former keys still accepted for session
   * auth hashes and account links (reset, activation, e-mail change), so
   * rotating `secretKey` logs nobody out and breaks no mailed link.
   */
  secretKeyFallbacks?: readonly string[];
  /** Django's CSRF_TRUSTED_ORIGINS, each with its scheme. */
  trustedOrigins?: readonly string[];
  /** Django's ALLOWED_HOSTS: hosts whose own origin passes the CSRF Origin check. */
  allowedHosts?: readonly string[];
  /** Adds `Secure` to every cookie and sends HSTS. */
  secureCookies?: boolean;
  /** Seconds; defaults two weeks and 30 days. */
  sessionIdleTimeout?: number;
  sessionAbsoluteTimeout?: number;
  /** Failed logins per account and per address: DRF rate strings, default `5/min` and `20/min`. */
  loginRate?: string;
  loginAddressRate?: string;
  /** Sign-ups per client address (`/api/register/`, `/auth/users/`): a DRF rate string, default `20/hour`. */
  registerRate?: string;
  /** Account mails per client address and per target address: a DRF rate string, default `3/hour`. */
  emailRate?: string;
  /** The account flows' mail (djoser): where it goes, who sends it, where its links point. */
  email?: {
    /** Default: the console (standard output). `createEmailSender(url)` makes an SMTP one. */
    sender?: EmailSender;
    /** The `From` header; default `webmaster@localhost` (Django's `DEFAULT_FROM_EMAIL`). */
    from?: string;
    /** The single-page app the links open; default the request's own origin, when its host is allowed. */
    frontendUrl?: string | null;
    /** Shown in subjects and signatures; default the links' host. */
    siteName?: string;
  };
  /** djoser's `SEND_ACTIVATION_EMAIL`: new accounts stay inactive until their mailed link is followed. */
  sendActivationEmail?: boolean;
  /** `PASSWORD_RESET_TIMEOUT`: how long reset, activation and e-mail change links live, in seconds (default 259200). */
  passwordResetTimeout?: number;
  /** Django's `TIME_ZONE`, in which Django stamps its reset tokens (default `UTC`); for links Django mailed. */
  djangoTimeZone?: string;
  hashers?: PasswordHashers;
  /**
   * JWT: HS256 over `secretKey` unless `keys` say otherwise; lifetimes in
   * seconds (access 300, refresh 86400, a rotating family at most 2592000).
   */
  jwt?: { keys?: JwtKeys; accessLifetime?: number; refreshLifetime?: number; familyLifetime?: number };
  /**
   * Keys the login endpoints hand out: at most `limitPerUser` per user and
   * endpoint (the oldest is revoked past it; default 20), and one never used
   * dies after `unusedTtl` seconds (default 7 days).
   */
  obtainedTokens?: { limitPerUser?: number; unusedTtl?: number };
  /** Other origins allowed to call the API (django-cors-headers); none by default. */
  cors?: CorsOptions;
  /** DRF's DEFAULT_AUTHENTICATION_CLASSES, DEFAULT_PERMISSION_CLASSES, DEFAULT_THROTTLE_CLASSES, DEFAULT_PARSER_CLASSES. */
  defaults?: DefaultPolicy;
  /** Carries revocations to every instance's cache; none for a single process. */
  bus?: RevocationBus | null;
  /**
   * Second factors: `required` is GATEHOUSE_MFA_REQUIRED (`staff`: staff
   * accounts without TOTP reach only the MFA setup endpoints); `issuer` names
   * the TOTP entry in authenticator apps (default: the WebAuthn RP name).
   */
  mfa?: { required?: MfaRequirement; issuer?: string };
  /** The WebAuthn relying party; each part unset means the request's own host and origin. */
  webauthn?: { rpId?: string | null; rpName?: string; origins?: readonly string[] };
  /** Where security events go (LOG-01); default nowhere. */
  securityLog?: SecurityLog;
  clock?: Clock;
  random?: Random;
}

/**
 * The composition root: one Gatehouse wires the credential services over a
 * set of stores with DRF's defaults, and makes views and guards from them.
 * Every service issues, rotates and ends its credentials in one place that
 * publishes the revocation and writes the security event, whoever calls it.
 *
 * ```ts
 * const gh = createGatehouse({ stores: createSqliteStores('var/db.sqlite3'), secretKey });
 * const routes = gh.urls();                                          // every endpoint, to mount
 * const ctx = await gh.check(req, { permissions: [IsAuthenticated] }); // or throws ApiError
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
  readonly accounts: Accounts;
  /** djoser's flows through the mailbox: activation, reset, e-mail change. */
  readonly accountFlows: AccountFlows;
  /** The tokens of the account links (Django's reset token generator and its siblings). */
  readonly accountTokens: AccountTokens;
  /** Where account mail goes, and what it links to; `mailer.settled()` awaits the mail sent after an answer. */
  readonly mailer: AccountMailer;
  readonly loginThrottle: LoginThrottle;
  readonly registerThrottle: RegisterThrottle;
  readonly emailThrottle: EmailThrottle;
  /** TOTP, recovery codes and the second step of logins. */
  readonly mfa: SecondFactors;
  /** Passkeys (WebAuthn): registration, passwordless login, the user's list. */
  readonly passkeys: Passkeys;
  readonly events: SecurityEvents;
  readonly authenticators: {
    readonly session: SessionAuthentication;
    readonly token: TokenAuthentication;
    readonly jwt: JWTAuthentication;
  };
  /** The policy every view inherits (DRF's DEFAULT_* settings, resolved). */
  readonly defaults: Readonly<Policy & { parsers?: readonly BodyKind[] }>;
  readonly secureCookies: boolean;
  readonly cors: Cors;
  /** The one place credentials are ended and the revocation published; the services use it. */
  readonly revocations: Revocations;
  readonly #relyingParty: RelyingPartySettings;

  constructor(settings: GatehouseSettings) {
    if (typeof settings.secretKey !== 'string' || Buffer.byteLength(settings.secretKey) < 32) {
      throw new ConfigurationError(
        'secretKey: must be at least 32 bytes (it signs HS256 JWTs and session auth hashes)',
      );
    }
    const clock = settings.clock ?? systemClock;
    const random = settings.random ?? cryptoRandom;
    const { stores } = settings;
    this.stores = stores;
    this.clock = clock;
    this.secureCookies = settings.secureCookies ?? false;
    this.events = new SecurityEvents(settings.securityLog ?? silentLog, clock);
    this.hashers = settings.hashers ?? new PasswordHashers();
    this.cors = new Cors(settings.cors ?? { allowedOrigins: [] });
    const allowedHosts = settings.allowedHosts ?? ['.localhost', '127.0.0.1', '[::1]'];
    this.csrf = new CsrfProtection({ trustedOrigins: settings.trustedOrigins ?? [], allowedHosts, random });
    this.revocations = new Revocations({ stores, bus: settings.bus, clock });
    const shared = { revocations: this.revocations, events: this.events, clock, random };
    this.sessions = new SessionService({
      store: stores.sessions,
      users: stores.users,
      secretKey: settings.secretKey,
      secretKeyFallbacks: settings.secretKeyFallbacks,
      idleTimeout: settings.sessionIdleTimeout,
      absoluteTimeout: settings.sessionAbsoluteTimeout,
      secureCookies: this.secureCookies,
      ...shared,
    });
    this.tokens = new TokenService({
      store: stores.tokens,
      users: stores.users,
      obtainedLimit: settings.obtainedTokens?.limitPerUser,
      unusedObtainedTtl: settings.obtainedTokens?.unusedTtl,
      ...shared,
    });
    this.jwtKeys = settings.jwt?.keys ?? defaultJwtKeys(settings.secretKey, settings.secretKeyFallbacks);
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
      familyLifetime: settings.jwt?.familyLifetime,
      clock,
      random,
    });
    this.accounts = new Accounts({
      users: stores.users,
      hashers: this.hashers,
      revocations: this.revocations,
      events: this.events,
      clock,
    });
    this.loginThrottle = new LoginThrottle({
      counters: stores.counters,
      accountRate: settings.loginRate,
      addressRate: settings.loginAddressRate,
      clock,
    });
    const counted = { counters: stores.counters, clock, events: this.events };
    this.registerThrottle = new RegisterThrottle({ ...counted, rate: settings.registerRate });
    this.emailThrottle = new EmailThrottle({ ...counted, rate: settings.emailRate });
    this.accountTokens = new AccountTokens({
      secretKey: settings.secretKey,
      secretKeyFallbacks: settings.secretKeyFallbacks,
      timeout: settings.passwordResetTimeout,
      djangoTimeZone: settings.djangoTimeZone,
      clock,
    });
    this.mailer = new AccountMailer({
      sender: settings.email?.sender ?? new ConsoleEmailSender({ clock, random }),
      from: settings.email?.from,
      frontendUrl: settings.email?.frontendUrl,
      siteName: settings.email?.siteName,
      allowedHosts,
      events: this.events,
      clock,
    });
    this.accountFlows = new AccountFlows({
      accounts: this.accounts,
      tokens: this.accountTokens,
      mailer: this.mailer,
      emailThrottle: this.emailThrottle,
      counters: stores.counters,
      sendActivationEmail: settings.sendActivationEmail,
    });
    const rpName = settings.webauthn?.rpName ?? 'Gatehouse';
    this.#relyingParty = Object.freeze({
      id: settings.webauthn?.rpId ?? null,
      name: rpName,
      origins: Object.freeze([...(settings.webauthn?.origins ?? [])]),
      allowedHosts,
    });
    const box = createSecretBox({
      secretKey: settings.secretKey,
      fallbackKeys: settings.secretKeyFallbacks,
      random,
    });
    this.mfa = new SecondFactors({
      totpDevices: stores.totpDevices,
      recoveryCodes: stores.recoveryCodes,
      pendingLogins: stores.pendingLogins,
      users: stores.users,
      box,
      revocations: this.revocations,
      loginThrottle: this.loginThrottle,
      events: this.events,
      issuer: settings.mfa?.issuer ?? rpName,
      clock,
      random,
    });
    this.passkeys = new Passkeys({
      store: stores.passkeys,
      challenges: stores.webauthnChallenges,
      users: stores.users,
      revocations: this.revocations,
      events: this.events,
      secretKey: settings.secretKey,
      clock,
      random,
    });
    const required = settings.mfa?.required ?? 'off';
    this.authenticators = Object.freeze({
      session: new SessionAuthentication(this.sessions),
      token: new TokenAuthentication(this.tokens),
      jwt: new JWTAuthentication(this.jwt, stores.users),
    });
    const defaults = settings.defaults ?? {};
    this.defaults = Object.freeze({
      authenticators: (defaults.authenticators ?? ['session', 'token', 'jwt']).map((a) =>
        typeof a === 'string' ? this.#authenticator(a) : a,
      ),
      permissions: defaults.permissions ?? [AllowAny],
      throttles: defaults.throttles ?? [],
      parsers: defaults.parsers,
      csrf: this.csrf,
      gate: required === 'off' ? null : new MfaRequired(this.mfa, required),
    });
  }

  /**
   * The WebAuthn relying party of a request: the configured RP id, name and
   * origins, or the request's own host and origin; null for a host that is
   * not allowed when nothing is configured.
   */
  relyingParty(req: AuthRequest): RelyingParty | null {
    return relyingParty(req, this.#relyingParty);
  }

  #authenticator(name: AuthenticatorName): Authenticator {
    const found = (this.authenticators as Record<string, Authenticator>)[name];
    if (!found)
      throw new ConfigurationError(`defaults.authenticators: unknown authenticator ${JSON.stringify(name)}`);
    return found;
  }

  /**
   * Runs the pipeline (authentication, CSRF, permissions, throttles) with the
   * defaults overridden by `policy`; resolves to the request context or throws ApiError.
   */
  check<const P extends readonly Permission[] = readonly Permission[]>(
    req: AuthRequest,
    policy: Partial<Omit<Policy, 'permissions'>> & { permissions?: P } = {},
  ): Promise<RequestContext<UserOf<P>>> {
    return runPipeline(req, { ...this.defaults, ...policy }) as Promise<RequestContext<UserOf<P>>>;
  }

  /**
   * A DRF-style view with this Gatehouse's defaults, CORS, security headers
   * and security events. `permissions: [IsAuthenticated]` types `ctx.user` as `User`.
   */
  view<const P extends readonly Permission[] = readonly Permission[]>(definition: ViewDefinition<P>): View {
    return createView(definition, {
      defaults: this.defaults,
      observe: (req, ctx, res) => this.#observe(req, ctx, res),
      intercept: (req) => {
        const preflight = this.cors.preflight(req);
        if (preflight) this.cors.decorate(req, preflight);
        return preflight;
      },
      finish: (req, res) => this.finish(req, res),
    });
  }

  /**
   * Every endpoint of the contract as library views, ready to mount with one
   * call of an adapter's `mount`; `include` picks groups, `prefix` moves them.
   *
   * ```ts
   * mount(app, gh.urls({ include: ['session', 'jwt'], prefix: '/v1' }));
   * ```
   */
  urls(options: UrlOptions = {}): Route[] {
    return urls(this, options);
  }

  /**
   * What every answer of this Gatehouse gets, whoever made it (a view, a
   * guard's refusal, an adapter's 413): CORS for allowed origins, the
   * security headers, and Django's replacement of a malformed `csrftoken`.
   */
  finish(req: AuthRequest, res: ApiResponse): void {
    const replaced = this.csrf.replacementCookie(req, { secure: this.secureCookies });
    if (replaced && !res.cookies.some((c) => c.name === replaced.name)) res.cookies.push(replaced);
    this.cors.decorate(req, res);
    securityHeaders(res, { hsts: this.secureCookies });
  }

  /** Denials are security events: CSRF failures, bad credentials, refused permissions. */
  #observe(req: AuthRequest, ctx: RequestContext | null, res: ApiResponse): void {
    if (res.status !== 401 && res.status !== 403) return;
    const detail = (res.data as { detail?: unknown } | undefined)?.detail;
    const text = typeof detail === 'string' ? detail : undefined;
    const userId = ctx?.user?.id ?? null;
    if (text?.startsWith('CSRF Failed: '))
      this.events.emit('csrf_failed', { origin: req, userId, reason: text.slice(13) });
    else if (ctx?.user) this.events.emit('permission_denied', { origin: req, userId, reason: text });
    else if (res.status === 401 || text !== 'Authentication credentials were not provided.') {
      const reason = text ?? (res.data as { error?: string })?.error;
      this.events.emit('authentication_failed', { origin: req, userId: null, reason });
    }
  }

  /**
   * Checks a username and password the way every login endpoint must: the
   * attempt is counted in the shared buckets before the hash (429 past
   * either, even for the right password, however many arrive at once), one
   * hash whatever happens, and a success taken back so only failures count.
   */
  async authenticateCredentials(req: AuthRequest, username: string, password: string): Promise<User | null> {
    let attempt: LoginAttempt;
    try {
      attempt = await this.loginThrottle.begin(username, req.clientAddress);
    } catch (error) {
      if (error instanceof Throttled)
        this.events.emit('login_throttled', { origin: req, userId: null, reason: 'too_many_failures' });
      throw error;
    }
    const user = await verifyCredentials(
      {
        users: this.stores.users,
        hashers: this.hashers,
        onRehash: (before, after) => this.sessions.carryOverRehash(before, after),
      },
      username,
      password,
    );
    if (user === null || !user.isActive) {
      // The client hears one answer; the log may say which failure it was.
      const known = user ?? (await this.accounts.getByUsername(username));
      const reason = !known ? 'unknown_user' : user ? 'inactive' : 'invalid_password';
      this.events.emit('login_failed', { origin: req, userId: known?.id ?? null, reason });
      return null;
    }
    await attempt.succeeded();
    return user;
  }

  /**
   * Logs a user in on this request: the old session (if any) ends, a new key
   * is issued, the CSRF secret rotates and last_login is stamped. Returns the
   * cookies to send.
   */
  async login(req: AuthRequest, user: User): Promise<{ session: SessionRecord; cookies: SetCookie[] }> {
    await this.sessions.destroy(cookie(req, this.sessions.cookieName), req);
    const { key, session } = await this.sessions.create(user, {
      ip: req.clientAddress,
      userAgent: header(req, 'user-agent') ?? '',
    });
    await this.stores.users.update(user.id, { lastLogin: this.clock.now() });
    this.events.emit('login_succeeded', { origin: req, userId: user.id, keyHash: session.keyHash });
    return { session, cookies: [this.sessions.cookie(key), this.rotateCsrf()] };
  }

  /** Ends the session behind the request's cookie, on every instance. Returns the deletion cookie. */
  async logout(req: AuthRequest): Promise<SetCookie> {
    await this.sessions.destroy(cookie(req, this.sessions.cookieName), req);
    return this.sessions.deleteCookie();
  }

  /**
   * Sets a new password for the request's user: every other session, every
   * refresh token and every access JWT dies; a session request continues
   * under a new key (Django's update_session_auth_hash). API tokens stay
   * unless `endTokens`. Returns the cookies to send.
   */
  async changePassword(
    req: AuthRequest,
    user: User,
    password: string,
    options: { endTokens?: boolean; field?: string } = {},
  ): Promise<SetCookie[]> {
    const updated = await this.accounts.setPassword(user, password, { origin: req, ...options });
    if (cookie(req, this.sessions.cookieName)) {
      const { cookies } = await this.login(req, updated);
      return cookies.slice(0, 1);
    }
    return [];
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

  /** Waits for the mail sent after an answer, closes the mail sender, then the stores (and the bus and cache with them). */
  async close(): Promise<void> {
    try {
      await this.mailer.close();
    } finally {
      await this.stores.close();
    }
  }
}

/**
 * simplejwt's default: HS256 signed with `secretKey`. Tokens signed with a
 * fallback key verify too (simplejwt signs with SECRET_KEY, so refresh
 * tokens Django issued stay good when its key is a fallback here); a
 * fallback under 32 bytes signs no JWT Gatehouse accepts and is left out.
 */
function defaultJwtKeys(secretKey: string, fallbacks: readonly string[] = []): JwtKeys {
  const fallbackSecrets = fallbacks.filter((key) => Buffer.byteLength(key) >= 32);
  return new JwtKeys({ algorithm: 'HS256', secret: secretKey, fallbackSecrets });
}

/**
 * A Gatehouse over stores you opened yourself. To configure everything from
 * the environment instead, use `openGatehouse(loadConfig())`.
 *
 * ```ts
 * const gh = createGatehouse({ stores: createSqliteStores('var/db.sqlite3'), secretKey: process.env.SECRET_KEY! });
 * ```
 */
export function createGatehouse(settings: GatehouseSettings): Gatehouse {
  return new Gatehouse(settings);
}
