import {
  type ApiResponse,
  charFields,
  type Gatehouse,
  jsonResponse,
  RefreshRefused,
  TokenError,
  ValidationError,
} from '#gatehouse';
import { NO_STORE, type Route } from '../route.ts';

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

/** The contract's "JWT" table: simplejwt's obtain, refresh, verify and blacklist views, and the JWKS. */
export function jwtRoutes(gh: Gatehouse): Route[] {
  // simplejwt's token views have no authentication and no permissions (and so no CSRF).
  // Their parsers are DRF's defaults: JSON, form and multipart.
  const open = {
    authenticators: [],
    permissions: [],
    headers: NO_STORE,
    parsers: ['json', 'form', 'multipart'],
  } as const;

  const obtain = gh.view({
    name: 'Token Obtain Pair',
    ...open,
    handlers: {
      POST: async (ctx) => {
        const { username, password } = charFields(ctx.data(), { username: {}, password: { trim: false } });
        const user = await gh.authenticateCredentials(ctx.req, username, password);
        if (!user) return refused('No active account found with the given credentials');
        // obtain re-checks the account and refuses (RefreshRefused) when its credentials ended meanwhile.
        return guarded(async () => jsonResponse(200, await gh.jwt.obtain(user)));
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
          return jsonResponse(200, await gh.refreshJwt(ctx.req, fields.refresh));
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
    handlers: { GET: () => jsonResponse(200, gh.jwtKeys.jwks(), { 'cache-control': 'max-age=300' }) },
  });

  return [
    { path: '/api/token/', view: obtain },
    { path: '/api/token/refresh/', view: refresh },
    { path: '/api/token/verify/', view: verify },
    { path: '/api/token/blacklist/', view: blacklist },
    { path: '/.well-known/jwks.json', view: jwks, browsable: false },
  ];
}
