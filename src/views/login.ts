import type { Gatehouse } from '../gatehouse.ts';
import { RefreshRefused } from '../jwt/jwt-service.ts';
import type { AuthRequest } from '../request.ts';
import { type ApiResponse, jsonResponse } from '../response.ts';
import type { User } from '../stores/types.ts';
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
 * Issues what a login endpoint answers once the user has proved who they
 * are: the one place every login kind is completed (a second step, when the
 * user has one, completes through here too).
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
  switch (kind) {
    case 'session': {
      const { cookies } = await gh.login(req, user);
      return { status: 200, headers: {}, cookies, data: { user: userJson(user) } };
    }
    case 'token':
    case 'authtoken': {
      const { key } = await gh.tokens.obtain(user, TOKEN_NAMES[kind], req);
      return jsonResponse(200, kind === 'token' ? { token: key } : { auth_token: key });
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
