import {
  AllowAny,
  charFields,
  type Gatehouse,
  IsAuthenticated,
  jsonResponse,
  NotFound,
  ValidationError,
} from '#gatehouse';
import { NO_STORE, type Route } from '../route.ts';
import { drfDate, tokenJson } from '../serialize.ts';

const MAX_EXPIRES_IN = 10 * 365 * 86_400;

/** The contract's "Token authentication" table: api-token-auth, tokens, logoutall. */
export function tokenRoutes(gh: Gatehouse): Route[] {
  const obtain = gh.view({
    name: 'Obtain Auth Token',
    permissions: [AllowAny],
    parsers: ['json', 'form', 'multipart'],
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        const { username, password } = charFields(ctx.data(), { username: {}, password: { trim: false } });
        const user = await gh.authenticateCredentials(ctx.req, username, password);
        if (!user)
          throw new ValidationError({ non_field_errors: ['Unable to log in with provided credentials.'] });
        const { key } = await gh.issueToken(ctx.req, user, { name: 'api-token-auth' });
        return jsonResponse(200, { token: key });
      },
    },
  });

  const list = gh.view({
    name: 'Token List',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      GET: async (ctx) => jsonResponse(200, (await gh.tokens.list(ctx.user!.id)).map(tokenJson)),
      POST: async (ctx) => {
        const data = ctx.data();
        const { name } = charFields(data, { name: { maxLength: 100 } });
        const expiresIn = expiresInField(data);
        const { key, token } = await gh.issueToken(ctx.req, ctx.user!, { name, expiresIn });
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
        if (!(await gh.revokeToken(ctx.params.id, ctx.user!.id, ctx.req))) {
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
        await gh.logoutEverywhere(ctx.user!, ctx.req);
        return { status: 204, headers: {}, cookies: [gh.sessions.deleteCookie()] };
      },
    },
  });

  return [
    { path: '/api-token-auth/', view: obtain, browsable: false, jsonOnly: true },
    { path: '/api/tokens/', view: list },
    { path: '/api/tokens/:id/', view: detail },
    { path: '/api/logoutall/', view: logoutAll },
  ];
}

/** `expires_in`: optional whole seconds (DRF IntegerField messages). */
function expiresInField(data: unknown): number | null {
  const raw = (data as Record<string, unknown>).expires_in;
  if (raw === undefined || raw === null || raw === '') return null;
  const value = typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
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
