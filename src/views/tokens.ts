import { NotFound, ValidationError } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { charFields } from '../http/fields.ts';
import { AllowAny } from '../permissions/allow-any.ts';
import { IsAuthenticated } from '../permissions/is-authenticated.ts';
import { jsonResponse } from '../response.ts';
import { OBTAINED_TOKEN_NAMES } from '../tokens/token-service.ts';
import { completeLogin } from './login.ts';
import { NO_STORE, type Route } from './route.ts';
import { drfDate, tokenJson } from './serialize.ts';

/** The longest life a token may be given: ten years, in seconds. */
const MAX_EXPIRES_IN = 10 * 365 * 86_400;

/** The contract's "Token authentication" table, for mobile and command-line clients: api-token-auth, tokens, logoutall. */
export function tokenViews(gh: Gatehouse): Route[] {
  const obtain = gh.view({
    name: 'Obtain Auth Token',
    // DRF's ObtainAuthToken: no permission or throttle classes, and only the JSON renderer.
    permissions: [AllowAny],
    throttles: [],
    renderers: ['json'],
    gate: null, // a login: reachable without the second factor GATEHOUSE_MFA_REQUIRED asks for
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        const { username, password } = charFields(ctx.data(), { username: {}, password: { trim: false } });
        const user = await gh.authenticateCredentials(ctx.req, username, password);
        if (!user)
          throw new ValidationError({ non_field_errors: ['Unable to log in with provided credentials.'] });
        return completeLogin(gh, ctx.req, user, 'token');
      },
    },
  });

  const list = gh.view({
    name: 'Token List',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      GET: async (ctx) => jsonResponse(200, (await gh.tokens.list(ctx.user.id)).map(tokenJson)),
      POST: async (ctx) => {
        const data = ctx.data();
        const { name } = charFields(data, { name: { maxLength: 100 } });
        // The login endpoints' key names are theirs: a key named so would be capped and expire unused.
        if (OBTAINED_TOKEN_NAMES.has(name)) throw new ValidationError({ name: ['This name is reserved.'] });
        const expiresIn = expiresInField(data);
        const { key, token } = await gh.tokens.issue(ctx.user, { name, expiresIn }, ctx.req);
        return jsonResponse(201, {
          id: token.id,
          name: token.name,
          token: key,
          expires: drfDate(token.expiresAt),
        });
      },
    },
  });

  const detail = gh.view({
    name: 'Token Instance',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      DELETE: async (ctx) => {
        if (!(await gh.tokens.revoke(ctx.params.id, ctx.user.id, ctx.req))) {
          throw new NotFound('No Token matches the given query.');
        }
        return jsonResponse(204);
      },
    },
  });

  const logoutAll = gh.view({
    name: 'Logout All',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        await gh.accounts.logoutEverywhere(ctx.user, ctx.req);
        return { status: 204, headers: {}, cookies: [gh.sessions.deleteCookie()] };
      },
    },
  });

  const group = 'tokens';
  return [
    { name: 'api-token-auth', path: '/api-token-auth/', view: obtain, group },
    { name: 'token-list', path: '/api/tokens/', view: list, group },
    { name: 'token-detail', path: '/api/tokens/:id/', view: detail, group },
    { name: 'logout-all', path: '/api/logoutall/', view: logoutAll, group },
  ];
}

/** `expires_in`: optional whole seconds (DRF IntegerField messages). */
function expiresInField(data: unknown): number | null {
  const raw = (data as Record<string, unknown>).expires_in;
  if (raw === undefined || raw === null || raw === '') return null;
  const value = typeof raw === 'string' && raw.length <= 32 && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ValidationError({ expires_in: ['A valid integer is required.'] });
  }
  if (value < 1)
    throw new ValidationError({ expires_in: ['Ensure this value is greater than or equal to 1.'] });
  if (value > MAX_EXPIRES_IN) {
    throw new ValidationError({
      expires_in: [`Ensure this value is less than or equal to ${MAX_EXPIRES_IN}.`],
    });
  }
  return value;
}
