import { NotFound, ValidationError } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { booleanField, charFields } from '../http/fields.ts';
import { AllowAny } from '../permissions/allow-any.ts';
import { IsAuthenticated } from '../permissions/is-authenticated.ts';
import { jsonResponse } from '../response.ts';
import type { SessionRecord } from '../stores/types.ts';
import { completeLogin } from './login.ts';
import { NO_STORE, type Route } from './route.ts';
import { sessionJson, userJson } from './serialize.ts';

/**
 * The contract's "Session authentication" table, for same-origin browser
 * apps: csrf, register, login, logout, me, password change, sessions.
 */
export function sessionViews(gh: Gatehouse): Route[] {
  const csrf = gh.view({
    name: 'Csrf',
    permissions: [AllowAny],
    gate: null, // reachable without the second factor GATEHOUSE_MFA_REQUIRED asks for
    headers: NO_STORE,
    handlers: {
      GET: (ctx) => {
        const { token, cookie } = gh.csrfFor(ctx.req);
        return { status: 200, headers: {}, cookies: [cookie], data: { csrfToken: token } };
      },
    },
  });

  const register = gh.view({
    name: 'Register',
    permissions: [AllowAny],
    alwaysCheckCsrf: true,
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        // Sign-up's own bucket: every attempt counts, before it is looked at.
        await gh.registerThrottle.hit(ctx.req);
        const fields = charFields(ctx.data(), {
          username: {},
          password: { trim: false },
          email: { required: false, allowBlank: true },
        });
        // With GATEHOUSE_SEND_ACTIVATION_EMAIL=1 the account waits for its mailed link, as on /auth/users/.
        const user = await gh.accountFlows.register(ctx.req, fields);
        return jsonResponse(201, { user: userJson(user) });
      },
    },
  });

  const login = gh.view({
    name: 'Login',
    permissions: [AllowAny],
    gate: null, // reachable without the second factor GATEHOUSE_MFA_REQUIRED asks for
    alwaysCheckCsrf: true,
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        const { username, password } = charFields(ctx.data(), { username: {}, password: { trim: false } });
        const user = await gh.authenticateCredentials(ctx.req, username, password);
        if (!user) return jsonResponse(401, { error: 'Invalid credentials' });
        return completeLogin(gh, ctx.req, user, 'session');
      },
    },
  });

  const logout = gh.view({
    name: 'Logout',
    permissions: [AllowAny],
    gate: null, // reachable without the second factor GATEHOUSE_MFA_REQUIRED asks for
    alwaysCheckCsrf: true,
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        const cookie = await gh.logout(ctx.req);
        return { status: 200, headers: {}, cookies: [cookie], data: { message: 'Logged out' } };
      },
    },
  });

  const me = gh.view({
    name: 'Me',
    permissions: [AllowAny],
    headers: NO_STORE,
    handlers: { GET: (ctx) => jsonResponse(200, { user: ctx.user ? userJson(ctx.user) : null }) },
  });

  const passwordChange = gh.view({
    name: 'Password Change',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        const user = ctx.user;
        const fields = charFields(ctx.data(), {
          old_password: { trim: false },
          new_password: { trim: false },
        });
        // A wrong old password is a failed login attempt: it shares the login buckets, counted before the hash.
        const attempt = await gh.loginThrottle.begin(user.username, ctx.req.clientAddress);
        const { valid } = await gh.hashers.verify(fields.old_password, user.password);
        if (!valid) {
          throw new ValidationError({
            old_password: ['Your old password was entered incorrectly. Please enter it again.'],
          });
        }
        await attempt.succeeded();
        // API tokens survive a password change, as in DRF; `end_tokens` (a Gatehouse addition) ends them too.
        const endTokens = booleanField(ctx.data(), 'end_tokens', false);
        const cookies = await gh.changePassword(ctx.req, user, fields.new_password, { endTokens });
        return { status: 200, headers: {}, cookies, data: { message: 'Password changed' } };
      },
    },
  });

  const sessions = gh.view({
    name: 'Session List',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      GET: async (ctx) => {
        const current = ctx.authenticator?.name === 'session' ? (ctx.auth as SessionRecord).keyHash : null;
        const list = await gh.sessions.list(ctx.user.id);
        return jsonResponse(
          200,
          list.map((s) => sessionJson(s, current)),
        );
      },
    },
  });

  const session = gh.view({
    name: 'Session Instance',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      DELETE: async (ctx) => {
        // Another user's session id answers exactly as a missing one (no existence leak).
        if (!(await gh.sessions.revoke(ctx.user.id, ctx.params.id, ctx.req))) {
          throw new NotFound('No Session matches the given query.');
        }
        return jsonResponse(204);
      },
    },
  });

  const group = 'session';
  return [
    { name: 'csrf', path: '/api/csrf/', view: csrf, group },
    { name: 'register', path: '/api/register/', view: register, group },
    { name: 'login', path: '/api/login/', view: login, group },
    { name: 'logout', path: '/api/logout/', view: logout, group },
    { name: 'me', path: '/api/me/', view: me, group },
    { name: 'password-change', path: '/api/password/change/', view: passwordChange, group },
    { name: 'session-list', path: '/api/sessions/', view: sessions, group },
    { name: 'session-detail', path: '/api/sessions/:id/', view: session, group },
  ];
}
