import { usernameProblems } from '../accounts/user-fields.ts';
import type { Gatehouse } from '../gatehouse.ts';
import type { CharFieldSpec } from '../http/fields.ts';
import { booleanField } from '../http/fields.ts';
import { normalizeUsername } from '../passwords/verify-credentials.ts';
import { IsAuthenticated } from '../permissions/is-authenticated.ts';
import { type ApiResponse, jsonResponse } from '../response.ts';
import type { ViewContext } from '../view.ts';
import { currentPasswordValid, emailValue, openFor, raiseErrors, readFields } from './accounts-fields.ts';
import { NO_STORE, type Route } from './route.ts';

const INVALID_PASSWORD = 'Invalid password.';
const NO_CONTENT: () => ApiResponse = () => jsonResponse(204);

/** Reads `{uid, token, …}` as djoser's `UidAndTokenSerializer` does: every field's errors first. */
function uidAndToken<K extends string>(
  ctx: ViewContext,
  extra: Record<K, CharFieldSpec> = {} as Record<K, CharFieldSpec>,
) {
  const { values, errors } = readFields(ctx.data(), { uid: {}, token: {}, ...extra });
  raiseErrors(errors);
  return values as Record<'uid' | 'token' | K, string>;
}

/** `{email}`: djoser's `SendEmailResetSerializer` (a required, valid address). */
function emailBody(ctx: ViewContext): string {
  const { values, errors } = readFields(ctx.data(), { email: {} });
  const email = emailValue(values.email, 'email', errors);
  raiseErrors(errors);
  return email!;
}

/**
 * djoser's `UserViewSet` actions: activation and its resend, password reset
 * and its confirmation, set_password, set_username — and, a Gatehouse
 * addition, the confirmation of a new address (`users/email/confirm/`).
 */
export function userActionViews(gh: Gatehouse): Route[] {
  const action = (name: string, open: boolean, POST: (ctx: ViewContext) => Promise<ApiResponse>) =>
    gh.view({
      name,
      permissions: [open ? openFor('POST') : IsAuthenticated],
      headers: NO_STORE,
      handlers: { POST },
    });

  const activation = action('Activation', true, async (ctx) => {
    const { uid, token } = uidAndToken(ctx);
    await gh.accountFlows.activate(uid, token, ctx.req);
    return NO_CONTENT();
  });

  // 204 whatever the address: whether anyone waits for an activation link is nobody's business.
  const resendActivation = action('Resend Activation', true, async (ctx) => {
    await gh.accountFlows.requestActivation(ctx.req, emailBody(ctx));
    return NO_CONTENT();
  });

  // 204 whatever the address, in the same time: the mail goes out after the answer.
  const resetPassword = action('Reset Password', true, async (ctx) => {
    await gh.accountFlows.requestReset(ctx.req, emailBody(ctx));
    return NO_CONTENT();
  });

  const resetPasswordConfirm = action('Reset Password Confirm', true, async (ctx) => {
    const { uid, token, new_password } = uidAndToken(ctx, { new_password: { trim: false } });
    await gh.accountFlows.confirmReset(uid, token, new_password, ctx.req);
    return NO_CONTENT();
  });

  const emailConfirm = action('Email Confirm', true, async (ctx) => {
    const { uid, token } = uidAndToken(ctx);
    await gh.accountFlows.confirmEmailChange(uid, token, ctx.req);
    return NO_CONTENT();
  });

  // The current session continues under a new key; every other credential but API tokens ends.
  const setPassword = action('Set Password', false, async (ctx) => {
    const user = ctx.user!;
    const { values, errors } = readFields(ctx.data(), {
      new_password: { trim: false },
      current_password: { trim: false },
    });
    if (values.current_password !== undefined) {
      if (!(await currentPasswordValid(gh, ctx.req, user, values.current_password)))
        errors.current_password = [INVALID_PASSWORD];
    }
    raiseErrors(errors, ['new_password', 'current_password']);
    // API tokens survive, as in djoser; `end_tokens` (a Gatehouse addition) ends them too.
    const endTokens = booleanField(ctx.data(), 'end_tokens', false);
    const cookies = await gh.changePassword(ctx.req, user, values.new_password!, {
      field: 'new_password',
      endTokens,
    });
    return { status: 204, headers: {}, cookies };
  });

  const setUsername = action('Set Username', false, async (ctx) => {
    const user = ctx.user!;
    // djoser's SetUsernameSerializer lists current_password before new_username.
    const { values, errors } = readFields(ctx.data(), {
      current_password: { trim: false },
      new_username: {},
    });
    if (values.current_password !== undefined) {
      if (!(await currentPasswordValid(gh, ctx.req, user, values.current_password)))
        errors.current_password = [INVALID_PASSWORD];
    }
    if (values.new_username !== undefined) {
      const problems = usernameProblems(normalizeUsername(values.new_username));
      if (problems.length === 0 && (await gh.accounts.getByUsername(values.new_username)))
        problems.push('A user with that username already exists.');
      if (problems.length > 0) errors.new_username = problems;
    }
    raiseErrors(errors, ['current_password', 'new_username']);
    await gh.accounts.setUsername(user, values.new_username!, { origin: ctx.req });
    return NO_CONTENT();
  });

  const group = 'accounts';
  return [
    { name: 'user-activation', path: '/auth/users/activation/', view: activation, group },
    { name: 'user-resend-activation', path: '/auth/users/resend_activation/', view: resendActivation, group },
    { name: 'user-set-password', path: '/auth/users/set_password/', view: setPassword, group },
    { name: 'user-set-username', path: '/auth/users/set_username/', view: setUsername, group },
    { name: 'user-reset-password', path: '/auth/users/reset_password/', view: resetPassword, group },
    {
      name: 'user-reset-password-confirm',
      path: '/auth/users/reset_password_confirm/',
      view: resetPasswordConfirm,
      group,
    },
    { name: 'user-email-confirm', path: '/auth/users/email/confirm/', view: emailConfirm, group },
  ];
}
