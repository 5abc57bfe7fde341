import { ApiError, AuthenticationFailed, NotAuthenticated, PermissionDenied, Throttled } from './errors.ts';
import { parseBody } from './http/body.ts';
import type { SetCookie } from './http/cookie.ts';
import type { AuthRequest } from './request.ts';
import type { Authenticator, CsrfCheck, Gate, Permission, RequestContext, Throttle } from './types.ts';

/** The policy of one view: DRF's `authentication_classes`, `permission_classes`, `throttle_classes`. */
export interface Policy {
  authenticators: readonly Authenticator[];
  permissions: readonly Permission[];
  throttles: readonly Throttle[];
  /** The CSRF check applied to unsafe requests that an `enforcesCsrf` authenticator authenticated. */
  csrf?: CsrfCheck;
  /**
   * Check CSRF on every unsafe request, authenticated or not, before
   * authentication: the session login, logout and register endpoints (login CSRF).
   */
  alwaysCheckCsrf?: boolean;
  /** Runs on the authenticated context before permissions (see `Gate`); null or absent: none. */
  gate?: Gate | null;
}

const CSRF_SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * DRF's `APIView.initial()`, framework-neutral: authenticate (each
 * authenticator in order; the first that answers decides), CSRF for session
 * requests, permissions, then every throttle. Resolves to the request context
 * or throws an ApiError already shaped by the 401/403 rule.
 */
export async function runPipeline(
  req: AuthRequest,
  policy: Policy,
  /** Told the context once authentication is done, even if a permission or throttle then refuses. */
  authenticated?: (ctx: RequestContext) => void,
): Promise<RequestContext> {
  const cookies: SetCookie[] = [];
  let ctx: RequestContext = context(req, null, null, null, cookies);
  try {
    if (policy.alwaysCheckCsrf && policy.csrf && !CSRF_SAFE.has(req.method))
      policy.csrf.check(req, formToken(req));
    for (const authenticator of policy.authenticators) {
      const result = await authenticator.authenticate(req);
      if (result === null) {
        const stale = authenticator.staleCookie?.(req);
        if (stale) cookies.push(stale);
        continue;
      }
      if (
        authenticator.enforcesCsrf &&
        policy.csrf &&
        !policy.alwaysCheckCsrf &&
        !CSRF_SAFE.has(req.method)
      ) {
        policy.csrf.check(req, formToken(req));
      }
      ctx = context(req, result.user, result.auth, authenticator, cookies);
      break;
    }
    authenticated?.(ctx);
    if (policy.gate && ctx.user) await policy.gate.check(ctx);
    await checkPermissions(ctx, policy);
    if (policy.throttles.length > 0) await checkThrottles(ctx, policy.throttles);
    return ctx;
  } catch (error) {
    throw challenge(error, req, policy.authenticators);
  }
}

/**
 * The request context, serialising as `{"user":…,"authenticator":"session"}`:
 * never the request (its cookies and headers) or the credential record.
 */
const CONTEXT = Object.freeze({
  toJSON(this: RequestContext) {
    return { user: this.user, authenticator: this.authenticator?.name ?? null };
  },
});

function context(
  req: AuthRequest,
  user: RequestContext['user'],
  auth: unknown,
  authenticator: Authenticator | null,
  cookies: SetCookie[],
): RequestContext {
  const ctx = Object.create(CONTEXT) as { -readonly [K in keyof RequestContext]: RequestContext[K] };
  ctx.req = req;
  ctx.user = user;
  ctx.auth = auth;
  ctx.authenticator = authenticator;
  ctx.cookies = cookies;
  return ctx;
}

/** DRF's `check_permissions`: the first permission that refuses decides. */
export async function checkPermissions(ctx: RequestContext, policy: Policy): Promise<void> {
  for (const permission of policy.permissions) {
    const granted = permission.hasPermission(ctx);
    // The built-ins answer synchronously: no microtask for them on every request.
    if (!(granted === true || (granted !== false && (await granted)))) deny(ctx, policy, permission);
  }
}

/** DRF's `check_object_permissions`, for views that look up one object. */
export async function checkObjectPermissions(
  ctx: RequestContext,
  policy: Policy,
  obj: unknown,
): Promise<void> {
  for (const permission of policy.permissions) {
    if (permission.hasObjectPermission && !(await permission.hasObjectPermission(ctx, obj))) {
      deny(ctx, policy, permission);
    }
  }
}

function deny(ctx: RequestContext, policy: Policy, permission: Permission): never {
  // DRF's permission_denied: no authenticator succeeded (and the view has some) → not authenticated.
  if (policy.authenticators.length > 0 && ctx.authenticator === null) throw new NotAuthenticated();
  throw new PermissionDenied(permission.message);
}

async function checkThrottles(ctx: RequestContext, throttles: readonly Throttle[]): Promise<void> {
  // As DRF, every throttle is consulted (each records the request), then the longest wait wins.
  const waits: (number | null)[] = [];
  for (const throttle of throttles) {
    const decision = await throttle.allow(ctx);
    if (!decision.allowed) waits.push(decision.wait);
  }
  if (waits.length === 0) return;
  const known = waits.filter((w): w is number => w !== null);
  throw new Throttled(known.length > 0 ? Math.max(...known) : null);
}

/**
 * DRF's `handle_exception` rule: an authentication error asks the view's FIRST
 * authenticator for a challenge; with one it stays 401 with `WWW-Authenticate`,
 * without one it becomes 403 with the same detail.
 */
export function challenge(
  error: unknown,
  req: AuthRequest,
  authenticators: readonly Authenticator[],
): unknown {
  if (!(error instanceof NotAuthenticated || error instanceof AuthenticationFailed)) return error;
  const header = authenticators[0]?.authenticateHeader(req) ?? null;
  if (header) {
    return new ApiError(401, error.body, error.code, { ...error.headers, 'www-authenticate': header });
  }
  return new ApiError(403, error.body, error.code, error.headers);
}

function formToken(req: AuthRequest): string | undefined {
  if (req.method !== 'POST') return undefined;
  try {
    const body = parseBody(req, ['form', 'multipart']);
    const data = body.data;
    if (typeof data !== 'object' || data === null) return undefined;
    const value = (data as Record<string, unknown>).csrfmiddlewaretoken;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    // Not a form body (JSON, or unparsable): Django's request.POST is empty then.
    return undefined;
  }
}
