import { ValidationError } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { charFields } from '../http/fields.ts';
import { AllowAny } from '../permissions/allow-any.ts';
import { IsAuthenticated } from '../permissions/is-authenticated.ts';
import type { TokenRecord } from '../stores/types.ts';
import { jwtViews } from './jwt.ts';
import { completeLogin } from './login.ts';
import { NO_STORE, type Route } from './route.ts';

/**
 * djoser's `djoser.urls.authtoken` (`token/login/`, `token/logout/`, slash
 * optional) and `djoser.urls.jwt` (simplejwt's views under `jwt/create/`,
 * `refresh/` and `verify/`, slash optional but no other suffix).
 */
export function accountTokenViews(gh: Gatehouse): Route[] {
  const login = gh.view({
    name: 'Token Create',
    gate: null, // a login: reachable without the second factor GATEHOUSE_MFA_REQUIRED asks for
    permissions: [AllowAny],
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        // djoser's TokenCreateSerializer declares password before the login field; neither is required.
        const { username, password } = charFields(ctx.data(), {
          password: { required: false, trim: false },
          username: { required: false },
        });
        const user = await gh.authenticateCredentials(ctx.req, username, password);
        if (!user)
          throw new ValidationError({ non_field_errors: ['Unable to log in with provided credentials.'] });
        return completeLogin(gh, ctx.req, user, 'authtoken');
      },
    },
  });

  const logout = gh.view({
    name: 'Token Destroy',
    gate: null, // a logout: reachable without the second factor GATEHOUSE_MFA_REQUIRED asks for
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      // The credential that made the request ends: that token (the user's others live), or that session.
      POST: async (ctx) => {
        if (ctx.authenticator?.name === 'token') {
          await gh.tokens.revoke((ctx.auth as TokenRecord).id, ctx.user.id, ctx.req);
          return { status: 204, headers: {}, cookies: [] };
        }
        if (ctx.authenticator?.name === 'session') {
          const cookie = await gh.logout(ctx.req);
          return { status: 204, headers: {}, cookies: [cookie] };
        }
        return { status: 204, headers: {}, cookies: [] };
      },
    },
  });

  const group = 'accounts';
  const jwt = jwtViews(gh, {
    obtain: '/auth/jwt/create/',
    refresh: '/auth/jwt/refresh/',
    verify: '/auth/jwt/verify/',
  });
  const names: Record<string, string> = {
    'token-obtain-pair': 'jwt-create',
    'token-refresh': 'jwt-refresh',
    'token-verify': 'jwt-verify',
  };
  return [
    { name: 'token-login', path: '/auth/token/login/', view: login, group, slashOptional: true },
    { name: 'token-logout', path: '/auth/token/logout/', view: logout, group, slashOptional: true },
    ...jwt.map((route) => ({ ...route, name: names[route.name] ?? route.name, group, slashOptional: true })),
  ];
}
