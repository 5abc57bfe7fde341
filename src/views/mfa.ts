import { ValidationError } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { bodyKind } from '../http/body.ts';
import { charFields } from '../http/fields.ts';
import { AllowAny } from '../permissions/allow-any.ts';
import { IsAuthenticated } from '../permissions/is-authenticated.ts';
import { type ApiResponse, jsonResponse } from '../response.ts';
import type { ViewContext } from '../view.ts';
import { clearBindingCookie, issueLogin, requestBinding } from './login.ts';
import { CODE_MAX_LENGTH, changeContext, requireProof } from './mfa-proof.ts';
import { NO_STORE, type Route } from './route.ts';
import { drfDate } from './serialize.ts';

const INVALID_TOKEN = { ephemeral_token: ['Invalid or expired token.'] };
const INVALID_CODE = { code: ['Invalid code.'] };
const ALREADY_ENABLED = 'MFA is already enabled. Deactivate it before activating again.';
const NOT_ENABLED = 'MFA is not enabled.';

/** dj-rest-auth answers these with a plain `{"detail": …}` (a view's Response, not a serializer error). */
function detail400(text: string): ApiResponse {
  return jsonResponse(400, { detail: text });
}

/** The `csrfmiddlewaretoken` of a form body, as Django's CSRF check reads it. */
function formToken(ctx: ViewContext): string | undefined {
  const kind = bodyKind(ctx.req);
  if (kind !== 'form' && kind !== 'multipart') return undefined;
  const value = (ctx.data() as Record<string, unknown>).csrfmiddlewaretoken;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The contract's two-factor endpoints (dj-rest-auth's MFA wire, under
 * `/auth/mfa/`): the second step of every login, TOTP activation and
 * deactivation, status, and the recovery codes. Every change of factors
 * needs a fresh proof (`current_password` or `code`) and ends the user's
 * other sessions. Trailing slashes are optional, as dj-rest-auth's `re_path`s.
 */
export function mfaViews(gh: Gatehouse): Route[] {
  const verify = gh.view({
    name: 'MFA Verify',
    // Anyone may finish a login they started; the pending login says which, and CSRF applies to a session one.
    authenticators: [],
    permissions: [AllowAny],
    gate: null,
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        const fields = charFields(ctx.data(), { ephemeral_token: {}, code: { maxLength: CODE_MAX_LENGTH } });
        const record = await gh.mfa.pendingLogin(fields.ephemeral_token, (kind) =>
          requestBinding(ctx.req, kind),
        );
        if (record === null) throw new ValidationError(INVALID_TOKEN);
        const session = record.kind === 'session' || record.kind === 'browsable';
        // Finishing a session login is a login: Django's login CSRF check, before any attempt is spent.
        if (session) gh.csrf.check(ctx.req, formToken(ctx));
        const outcome = await gh.mfa.completeLogin({ record, code: fields.code, origin: ctx.req });
        if (!outcome.ok) throw new ValidationError(outcome.error === 'code' ? INVALID_CODE : INVALID_TOKEN);
        const res = await issueLogin(
          gh,
          ctx.req,
          outcome.user,
          session ? 'session' : (outcome.kind as 'token'),
        );
        if (session) res.cookies.push(clearBindingCookie(gh));
        return res;
      },
    },
  });

  const activate = gh.view({
    name: 'TOTP Activate',
    permissions: [IsAuthenticated],
    gate: null,
    headers: NO_STORE,
    handlers: {
      GET: async (ctx) => {
        const a = await gh.mfa.beginActivation(ctx.user);
        return jsonResponse(200, {
          secret: a.secret,
          totp_url: a.totpUrl,
          qr_code_data_uri: a.qrCodeDataUri,
          activation_token: a.activationToken,
        });
      },
      POST: async (ctx) => {
        // dj-rest-auth's order: "already enabled" before any field is looked at.
        if (await gh.mfa.isEnabled(ctx.user.id)) return detail400(ALREADY_ENABLED);
        const fields = charFields(ctx.data(), {
          activation_token: {},
          code: { maxLength: CODE_MAX_LENGTH },
          current_password: { trim: false },
        });
        const secret = gh.mfa.activationSecret(ctx.user, fields.activation_token);
        if (secret === null)
          throw new ValidationError({ activation_token: ['Invalid or expired activation token.'] });
        // The code proves the new app works; the password proves who is turning it on.
        await requireProof(gh, ctx, { codeAllowed: false, missing: 'current_password' });
        const result = await gh.mfa.activate(ctx.user, { secret, code: fields.code }, changeContext(ctx));
        if (result === 'enabled') return detail400(ALREADY_ENABLED);
        if (result === 'code')
          throw new ValidationError({
            code: ['Invalid code. Please check your authenticator app and try again.'],
          });
        return jsonResponse(200, { recovery_codes: result });
      },
    },
  });

  const deactivate = gh.view({
    name: 'TOTP Deactivate',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        if (!(await gh.mfa.isEnabled(ctx.user.id))) return detail400(NOT_ENABLED);
        await requireProof(gh, ctx, { codeAllowed: true, missing: 'code' });
        if (!(await gh.mfa.deactivate(ctx.user, changeContext(ctx)))) return detail400(NOT_ENABLED);
        return jsonResponse(200, { detail: 'TOTP has been deactivated.' });
      },
    },
  });

  const status = gh.view({
    name: 'MFA Status',
    permissions: [IsAuthenticated],
    gate: null,
    headers: NO_STORE,
    handlers: {
      GET: async (ctx) => {
        const s = await gh.mfa.status(ctx.user.id);
        return jsonResponse(200, {
          mfa_enabled: s.enabled,
          created_at: drfDate(s.createdAt),
          last_used_at: drfDate(s.lastUsedAt),
        });
      },
    },
  });

  const recoveryCodes = gh.view({
    name: 'Recovery Codes',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      GET: async (ctx) => jsonResponse(200, { codes: await gh.mfa.recoveryCodes(ctx.user.id) }),
    },
  });

  const regenerate = gh.view({
    name: 'Recovery Codes Regenerate',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        if (!(await gh.mfa.isEnabled(ctx.user.id))) return detail400(NOT_ENABLED);
        await requireProof(gh, ctx, { codeAllowed: true, missing: 'current_password' });
        const codes = await gh.mfa.regenerateRecoveryCodes(ctx.user, changeContext(ctx));
        if (codes === null) return detail400(NOT_ENABLED);
        return jsonResponse(200, { codes });
      },
    },
  });

  const group = 'mfa';
  const slashOptional = true;
  return [
    { name: 'mfa-verify', path: '/auth/mfa/verify/', view: verify, group, slashOptional },
    { name: 'mfa-totp-activate', path: '/auth/mfa/totp/activate/', view: activate, group, slashOptional },
    {
      name: 'mfa-totp-deactivate',
      path: '/auth/mfa/totp/deactivate/',
      view: deactivate,
      group,
      slashOptional,
    },
    { name: 'mfa-status', path: '/auth/mfa/status/', view: status, group, slashOptional },
    {
      name: 'mfa-recovery-codes',
      path: '/auth/mfa/recovery-codes/',
      view: recoveryCodes,
      group,
      slashOptional,
    },
    {
      name: 'mfa-recovery-codes-regenerate',
      path: '/auth/mfa/recovery-codes/regenerate/',
      view: regenerate,
      group,
      slashOptional,
    },
  ];
}
