import { usernameProblems } from '../accounts/user-fields.ts';
import { NotFound, ValidationError } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { validatePassword } from '../passwords/validators.ts';
import { normalizeUsername } from '../passwords/verify-credentials.ts';
import { IsAuthenticated } from '../permissions/is-authenticated.ts';
import { type ApiResponse, jsonResponse } from '../response.ts';
import type { User } from '../stores/types.ts';
import type { ViewContext } from '../view.ts';
import {
  currentPasswordValid,
  djoserCreatedUser,
  djoserUser,
  emailValue,
  openFor,
  raiseErrors,
  readFields,
} from './accounts-fields.ts';
import { NO_STORE, type Route } from './route.ts';

const INVALID_PASSWORD = 'Invalid password.';

/**
 * djoser's `UserViewSet` resource routes with `HIDE_USERS`: `users/`
 * (list, sign-up), `users/me/` and `users/<id>/` (retrieve, update, delete).
 */
export function userViews(gh: Gatehouse): Route[] {
  const list = gh.view({
    name: 'User List',
    permissions: [openFor('POST')],
    headers: NO_STORE,
    handlers: {
      // HIDE_USERS: a user sees itself, staff see everyone (no pagination, id order).
      GET: async (ctx) => {
        const user = ctx.user!;
        const users = user.isStaff ? await gh.accounts.list() : [user];
        return jsonResponse(200, users.map(djoserUser));
      },
      POST: async (ctx) => {
        // Every attempt counts, before it is looked at: names cannot be probed one after another.
        await gh.registerThrottle.hit(ctx.req);
        const input = await signUpFields(gh, ctx.data());
        const user = await gh.accountFlows.register(ctx.req, input);
        return jsonResponse(201, djoserCreatedUser(user));
      },
    },
  });

  const me = gh.view({
    name: 'User Me',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      GET: (ctx) => jsonResponse(200, djoserUser(ctx.user)),
      PUT: (ctx) => update(gh, ctx, ctx.user),
      PATCH: (ctx) => update(gh, ctx, ctx.user),
      DELETE: (ctx) => destroy(gh, ctx, ctx.user),
    },
  });

  const detail = gh.view({
    name: 'User Instance',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      GET: async (ctx) => jsonResponse(200, djoserUser(await visible(gh, ctx))),
      PUT: async (ctx) => update(gh, ctx, await visible(gh, ctx)),
      PATCH: async (ctx) => update(gh, ctx, await visible(gh, ctx)),
      DELETE: async (ctx) => destroy(gh, ctx, await visible(gh, ctx)),
    },
  });

  const group = 'accounts';
  return [
    { name: 'user-list', path: '/auth/users/', view: list, group },
    { name: 'user-me', path: '/auth/users/me/', view: me, group },
    { name: 'user-detail', path: '/auth/users/:id/', view: detail, group },
  ];
}

/**
 * djoser's `UserCreateSerializer`: field errors in its order (email,
 * username, password), then — only when those pass — Django's password
 * validators against the new user. With activation on, an address is required.
 */
async function signUpFields(gh: Gatehouse, data: unknown) {
  const activation = gh.accountFlows.sendActivationEmail;
  const { values, errors } = readFields(data, {
    email: { required: activation, allowBlank: !activation },
    username: {},
    password: { trim: false },
  });
  const email = emailValue(values.email, 'email', errors) ?? '';
  let username = values.username;
  if (username !== undefined) {
    username = normalizeUsername(username);
    const problems = usernameProblems(username);
    if (problems.length === 0 && (await gh.accounts.getByUsername(username)))
      problems.push('A user with that username already exists.');
    if (problems.length > 0) errors.username = problems;
  }
  raiseErrors(errors, ['email', 'username', 'password']);
  const password = values.password!;
  const passwordErrors = validatePassword(password, { username, email });
  if (passwordErrors.length > 0) throw new ValidationError({ password: passwordErrors });
  return { username: username!, password, email };
}

/** `users/<id>/` under HIDE_USERS: yourself, or anyone for staff; everyone else's id is 404, as an unknown one. */
async function visible(gh: Gatehouse, ctx: ViewContext<User>): Promise<User> {
  const id = /^\d{1,15}$/.test(ctx.params.id ?? '') ? Number(ctx.params.id) : null;
  const user = id === null ? null : await gh.accounts.getById(id);
  if (!user || !(ctx.user.isStaff || user.id === ctx.user.id)) throw new NotFound();
  return user;
}

/**
 * `PUT`/`PATCH`: only `email` is writable (`username` and `id` are read
 * only and ignored). A new address is mailed a link and used once it is
 * followed; the answer is the user as it is now.
 */
async function update(gh: Gatehouse, ctx: ViewContext<User>, user: User): Promise<ApiResponse> {
  const { values, errors, present } = readFields(ctx.data(), {
    email: { required: false, allowBlank: true },
  });
  const email = emailValue(values.email, 'email', errors);
  raiseErrors(errors);
  const current = present.has('email')
    ? await gh.accountFlows.requestEmailChange(ctx.req, user, email!)
    : user;
  return jsonResponse(200, djoserUser(current));
}

/**
 * `DELETE` with the requesting user's `current_password`: the user and
 * every credential it holds are gone; deleting yourself also clears the
 * session cookie.
 */
async function destroy(gh: Gatehouse, ctx: ViewContext<User>, user: User): Promise<ApiResponse> {
  const { values, errors } = readFields(ctx.data(), { current_password: { trim: false } });
  if (values.current_password !== undefined) {
    if (!(await currentPasswordValid(gh, ctx.req, ctx.user, values.current_password)))
      errors.current_password = [INVALID_PASSWORD];
  }
  raiseErrors(errors);
  await gh.accounts.delete(user, ctx.req);
  const cookies =
    user.id === ctx.user.id && ctx.authenticator?.name === 'session' ? [gh.sessions.deleteCookie()] : [];
  return { status: 204, headers: {}, cookies };
}
