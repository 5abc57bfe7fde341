import { ValidationError } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import type { SetCookie } from '../http/cookie.ts';
import { RefreshRefused } from '../jwt/jwt-service.ts';
import { pendingLoginBinding } from '../mfa/pending-login.ts';
import { type AuthRequest, cookie } from '../request.ts';
import { type ApiResponse, jsonResponse } from '../response.ts';
import type { PendingLoginKind, User } from '../stores/types.ts';
import { userJson } from './serialize.ts';

/**
 * The credential a login endpoint answers with:
 * - `session`: `POST /api/login/` — a new session cookie, `{"user":…}`;
 * - `token`: `POST /api-token-auth/` — `{"token":…}`;
 * - `authtoken`: djoser's `POST /auth/token/login/` — `{"auth_token":…}`;
 * - `jwt`: simplejwt's `POST /api/token/`, djoser's `/auth/jwt/create/` — `{"refresh","access"}`.
 */
export type LoginKind = 'session' | 'token' | 'authtoken' | 'jwt';

/** The API token names the two token logins give the keys they issue (shown in `GET /api/tokens/`). */
const TOKEN_NAMES = { token: 'api-token-auth', authtoken: 'auth-token-login' } as const;

/**
 * The HttpOnly cookie that binds the second step of a session login to the
 * browser that started it: an ephemeral token stolen from that browser (a
 * log, an extension) is worthless elsewhere. Short-lived, SameSite=Strict.
 */
export const MFA_BINDING_COOKIE = 'mfa_pending';
const BINDING_COOKIE_MAX_AGE = 300;

/**
 * Completes a login once the password (or another first factor) is right:
 * a user with a second factor gets `{"ephemeral_token","mfa_required":true}`
 * and nothing else — no cookie, key or JWT — and `POST /auth/mfa/verify/`
 * finishes the same login later; anyone else gets the endpoint's credential
 * now. The one place every login kind is completed.
 *
 * ```ts
 * const user = await gh.authenticateCredentials(ctx.req, username, password);
 * if (user) return completeLogin(gh, ctx.req, user, 'jwt');
 * ```
 */
export async function completeLogin(
  gh: Gatehouse,
  req: AuthRequest,
  user: User,
  kind: LoginKind,
): Promise<ApiResponse> {
  if (await gh.mfa.isEnabled(user.id)) {
    const started = await startSecondStep(gh, req, user, kind);
    if (!started) return wrongCredentials(kind);
    const { token, cookies } = started;
    return { status: 200, headers: {}, cookies, data: { ephemeral_token: token, mfa_required: true } };
  }
  return issueLogin(gh, req, user, kind);
}

/**
 * What each login endpoint answers for credentials that do not log in — also
 * when the password was right but the account changed while it was checked
 * (a reset, a password change, a deactivation racing the login).
 */
function wrongCredentials(kind: LoginKind): ApiResponse {
  switch (kind) {
    case 'session':
      return jsonResponse(401, { error: 'Invalid credentials' });
    case 'token':
    case 'authtoken':
      throw new ValidationError({ non_field_errors: ['Unable to log in with provided credentials.'] });
    case 'jwt':
      return jsonResponse(
        401,
        { detail: 'No active account found with the given credentials' },
        { 'www-authenticate': 'Bearer realm="api"' },
      );
  }
}

/**
 * Issues what a login endpoint answers, with no second-factor question: for
 * a login whose second step is done (`/auth/mfa/verify/`), or that needs
 * none (a passkey).
 *
 * ```ts
 * return issueLogin(gh, ctx.req, outcome.user, 'session');
 * ```
 */
export async function issueLogin(
  gh: Gatehouse,
  req: AuthRequest,
  user: User,
  kind: LoginKind,
): Promise<ApiResponse> {
  switch (kind) {
    case 'session': {
      const { cookies } = await gh.login(req, user);
      return { status: 200, headers: {}, cookies, data: { user: userJson(user) } };
    }
    case 'token':
    case 'authtoken': {
      const obtained = await gh.tokens.obtain(user, TOKEN_NAMES[kind], req);
      if (!obtained) return wrongCredentials(kind);
      return jsonResponse(200, kind === 'token' ? { token: obtained.key } : { auth_token: obtained.key });
    }
    case 'jwt':
      try {
        return jsonResponse(200, await gh.jwt.obtain(user));
      } catch (error) {
        // obtain re-reads the account: credentials that ended while the password was checked refuse.
        if (!(error instanceof RefreshRefused)) throw error;
        return jsonResponse(401, { detail: error.message }, { 'www-authenticate': 'Bearer realm="api"' });
      }
  }
}

/**
 * Starts the second step of a login: the pending record (which login, for
 * whom, bound to this client) and the ephemeral token. A session login
 * (`browsable` is the browsable API's form) is bound by a fresh HttpOnly
 * cookie, returned to be set; the others by the client address.
 *
 * Null when the account changed while its password was checked (see
 * `SecondFactors.startLogin`): answer as for a wrong password.
 *
 * ```ts
 * const started = await startSecondStep(gh, ctx.req, user, 'session');
 * ```
 */
export async function startSecondStep(
  gh: Gatehouse,
  req: AuthRequest,
  user: User,
  kind: PendingLoginKind,
): Promise<{ token: string; cookies: SetCookie[] } | null> {
  if (kind === 'session' || kind === 'browsable') {
    const value = gh.mfa.bindingCookieValue();
    const token = await gh.mfa.startLogin(user, kind, pendingLoginBinding({ cookie: value }), req);
    if (token === null) return null;
    const bound: SetCookie = {
      name: MFA_BINDING_COOKIE,
      value,
      maxAge: BINDING_COOKIE_MAX_AGE,
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
      secure: gh.secureCookies,
    };
    return { token, cookies: [bound] };
  }
  const token = await gh.mfa.startLogin(user, kind, pendingLoginBinding({ address: req.clientAddress }), req);
  return token === null ? null : { token, cookies: [] };
}

/**
 * What binds this request to a pending login of `kind`: the binding cookie
 * for a session login (none sent: a value no record holds), else the client address.
 *
 * ```ts
 * const record = await gh.mfa.pendingLogin(token, (kind) => requestBinding(gh, req, kind));
 * ```
 */
export function requestBinding(req: AuthRequest, kind: PendingLoginKind): string {
  if (kind === 'session' || kind === 'browsable') {
    const value = cookie(req, MFA_BINDING_COOKIE);
    return value ? pendingLoginBinding({ cookie: value }) : '';
  }
  return pendingLoginBinding({ address: req.clientAddress });
}

/** The binding cookie's deletion, sent once the second step of a session login is done. */
export function clearBindingCookie(gh: Gatehouse): SetCookie {
  return {
    name: MFA_BINDING_COOKIE,
    value: '',
    maxAge: 0,
    path: '/',
    sameSite: 'Strict',
    secure: gh.secureCookies,
  };
}
