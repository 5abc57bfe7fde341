import type { SetCookie } from './http/cookie.ts';
import type { AuthRequest } from './request.ts';
import type { User } from './stores/types.ts';

/** What an authenticator found: DRF's `(request.user, request.auth)`. */
export interface Authentication {
  user: User;
  /** Scheme-specific credential: the session, token record or JWT claims. */
  auth: unknown;
}

/**
 * DRF's authentication class. `authenticate` returns null for "not my scheme",
 * an Authentication, or throws `AuthenticationFailed` for "my scheme, bad
 * credentials". Shared by concurrent requests: keep no per-request state.
 */
export interface Authenticator {
  readonly name: string;
  authenticate(req: AuthRequest): Promise<Authentication | null>;
  /** The `WWW-Authenticate` challenge; null means unauthenticated requests get 403 (DRF's rule). */
  authenticateHeader(req: AuthRequest): string | null;
  /** Session authentication: unsafe requests it authenticates are CSRF-checked. */
  readonly enforcesCsrf?: boolean;
  /**
   * A cookie to send when `authenticate` found nothing although the client
   * sent a credential cookie: Django deletes a `sessionid` that no longer names
   * a session.
   */
  staleCookie?(req: AuthRequest): SetCookie | null;
}

/**
 * The request as permissions and views see it. `U` is `User` behind a
 * permission that admits only authenticated users (`IsAuthenticated`,
 * `IsAdminUser`), so handlers there need no null check.
 */
export interface RequestContext<U extends User | null = User | null> {
  readonly req: AuthRequest;
  readonly user: U;
  readonly auth: unknown;
  /** The authenticator that succeeded, if any. */
  readonly authenticator: Authenticator | null;
  /** Cookies the pipeline wants sent (a replaced CSRF cookie, a deleted stale session cookie). */
  readonly cookies: SetCookie[];
}

/** DRF's permission class: any object with `hasPermission` is one. */
export interface Permission {
  readonly message?: string;
  /**
   * True when the permission is granted only to an authenticated user: views
   * and guards behind it see `ctx.user` typed as `User`, never null.
   */
  readonly requiresUser?: boolean;
  hasPermission(ctx: RequestContext): boolean | Promise<boolean>;
  hasObjectPermission?(ctx: RequestContext, obj: unknown): boolean | Promise<boolean>;
}

/**
 * A check of the authenticated account that every view runs after
 * authentication (and CSRF) and before permissions, configured once by the
 * composition root — such as `GATEHOUSE_MFA_REQUIRED`'s "set up a second
 * factor first". It throws an ApiError to refuse; a view opts out with `gate: null`.
 */
export interface Gate {
  check(ctx: RequestContext): void | Promise<void>;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; wait: number | null };

/** DRF's throttle class. */
export interface Throttle {
  allow(ctx: RequestContext): Promise<ThrottleDecision>;
}

/** The CSRF check the pipeline runs for session-authenticated unsafe requests; throws CsrfFailed. */
export interface CsrfCheck {
  /** `formToken`: the `csrfmiddlewaretoken` field of a form-encoded POST body, when there is one. */
  check(req: AuthRequest, formToken: string | undefined): void;
}

/** A permission granted only to authenticated users (`IsAuthenticated`, `IsAdminUser`, `and(IsAuthenticated, …)`). */
export type UserPermission = Permission & { readonly requiresUser: true };

/**
 * The user type behind a list of permissions: `User` when one of them
 * requires an authenticated user (DRF checks every permission), else `User | null`.
 *
 * ```ts
 * type U = UserOf<[typeof IsAuthenticated]>; // User
 * ```
 */
export type UserOf<P> = [
  Extract<P extends readonly (infer E)[] ? E : never, { readonly requiresUser: true }>,
] extends [never]
  ? User | null
  : User;
