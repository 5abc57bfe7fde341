import { ValidationError } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { charFields } from '../http/fields.ts';
import { RefreshRefused } from '../jwt/jwt-service.ts';
import { TokenError } from '../jwt/token-error.ts';
import { type ApiResponse, jsonResponse } from '../response.ts';
import { completeLogin } from './login.ts';
import { NO_STORE, type Route } from './route.ts';

const CHALLENGE = { 'www-authenticate': 'Bearer realm="api"' };

/** simplejwt's 401: `{"detail":…,"code":"token_not_valid"}` with `WWW-Authenticate: Bearer realm="api"`. */
function refused(detail: string, code?: string): ApiResponse {
  return jsonResponse(401, code ? { detail, code } : { detail }, { ...CHALLENGE });
}

/** Runs a token operation, turning simplejwt's token errors into its responses. */
async function guarded(run: () => Promise<ApiResponse>): Promise<ApiResponse> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TokenError) return refused(error.message, 'token_not_valid');
    if (error instanceof RefreshRefused) return refused(error.message);
    throw error;
  }
}

/**
 * The contract's "JWT" table: simplejwt's obtain, refresh, verify and
 * blacklist views, and the JWKS. `paths` moves them (djoser serves the same
 * views under `/auth/jwt/create/`, `refresh/` and `verify/`).
 */
export function jwtViews(
  gh: Gatehouse,
  paths: { obtain: string; refresh: string; verify: string; blacklist?: string; jwks?: string } = {
    obtain: '/api/token/',
    refresh: '/api/token/refresh/',
    verify: '/api/token/verify/',
    blacklist: '/api/token/blacklist/',
    jwks: '/.well-known/jwks.json',
  },
): Route[] {
  // simplejwt's token views have no authentication, permissions or throttles (and so no CSRF),
  // and only the JSON renderer's answers are meaningful; their parsers are DRF's defaults.
  const open = { authenticators: [], permissions: [], throttles: [], headers: NO_STORE } as const;

  const obtain = gh.view({
    name: 'Token Obtain Pair',
    ...open,
    handlers: {
      POST: async (ctx) => {
        const { username, password } = charFields(ctx.data(), { username: {}, password: { trim: false } });
        const user = await gh.authenticateCredentials(ctx.req, username, password);
        if (!user) return refused('No active account found with the given credentials');
        return completeLogin(gh, ctx.req, user, 'jwt');
      },
    },
  });

  const refresh = gh.view({
    name: 'Token Refresh',
    ...open,
    handlers: {
      POST: (ctx) =>
        guarded(async () => {
          const fields = charFields(ctx.data(), { refresh: {} });
          try {
            return jsonResponse(200, await gh.jwt.refresh(fields.refresh));
          } catch (error) {
            if (error instanceof TokenError && error.reason === 'reused')
              gh.events.emit('refresh_reuse_detected', {
                origin: ctx.req,
                userId: null,
                reason: 'family_revoked',
              });
            throw error;
          }
        }),
    },
  });

  const verify = gh.view({
    name: 'Token Verify',
    ...open,
    handlers: {
      POST: (ctx) =>
        guarded(async () => {
          const fields = charFields(ctx.data(), { token: {} });
          const { blacklisted } = await gh.jwt.verify(fields.token);
          if (blacklisted) throw new ValidationError({ non_field_errors: ['Token is blacklisted'] });
          return jsonResponse(200, {});
        }),
    },
  });

  const blacklist = gh.view({
    name: 'Token Blacklist',
    ...open,
    handlers: {
      POST: (ctx) =>
        guarded(async () => {
          const fields = charFields(ctx.data(), { refresh: {} });
          await gh.jwt.blacklist(fields.refresh);
          return jsonResponse(200, {});
        }),
    },
  });

  const jwks = gh.view({
    name: 'JWKS',
    authenticators: [],
    permissions: [],
    throttles: [],
    renderers: ['json'],
    handlers: { GET: () => jsonResponse(200, gh.jwtKeys.jwks(), { 'cache-control': 'max-age=300' }) },
  });

  const group = 'jwt';
  const routes: Route[] = [
    { name: 'token-obtain-pair', path: paths.obtain, view: obtain, group },
    { name: 'token-refresh', path: paths.refresh, view: refresh, group },
    { name: 'token-verify', path: paths.verify, view: verify, group },
  ];
  if (paths.blacklist)
    routes.push({ name: 'token-blacklist', path: paths.blacklist, view: blacklist, group });
  if (paths.jwks) routes.push({ name: 'jwks', path: paths.jwks, view: jwks, group });
  return routes;
}
