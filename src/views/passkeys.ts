import { ApiError, NotFound, ValidationError } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { charFields } from '../http/fields.ts';
import type { RelyingParty } from '../mfa/relying-party.ts';
import { AllowAny } from '../permissions/allow-any.ts';
import { IsAuthenticated } from '../permissions/is-authenticated.ts';
import type { AuthRequest } from '../request.ts';
import { type ApiResponse, jsonResponse } from '../response.ts';
import type { PasskeyRecord, User } from '../stores/types.ts';
import { ScopedRateThrottle } from '../throttling/rate-throttle.ts';
import type { ViewContext } from '../view.ts';
import { completeLogin, issueLogin } from './login.ts';
import { changeContext, requireProof } from './mfa-proof.ts';
import { NO_STORE, type Route } from './route.ts';
import { drfDate } from './serialize.ts';

const NAME_MAX_LENGTH = 255; // dj-rest-auth's WebAuthnCredential.name
const SESSION_ID = /^[0-9a-f]{32}$/;
const PK = /^[0-9]{1,15}$/;
// DRF 3.15's get_object_or_404 names dj-rest-auth's model.
const MISSING = 'No WebAuthnCredential matches the given query.';

/**
 * A passkey as its owner sees it (dj-rest-auth's list shape): public parts
 * only — the credential id is not a secret, the public key is not shown.
 *
 * ```ts
 * passkeyJson(p) // {"id":1,"name":"Passkey","credential_id":"…","created_at":"…","last_used_at":null,"transports":["internal"],"discoverable":true}
 * ```
 */

/** Passwordless logins begun per client address (each stores a challenge for 300 s). */
export const PASSKEY_BEGIN_RATE = '60/min';
export function passkeyJson(p: PasskeyRecord) {
  return {
    id: p.id,
    name: p.name,
    credential_id: p.credentialId,
    created_at: drfDate(p.createdAt),
    last_used_at: drfDate(p.lastUsedAt),
    transports: p.transports,
    discoverable: p.discoverable,
  };
}

function detail400(text: string): ApiResponse {
  return jsonResponse(400, { detail: text });
}

/** The request's relying party, or the 400 that says passkeys cannot be used from this host. */
function rp(gh: Gatehouse, req: AuthRequest): RelyingParty {
  const found = gh.relyingParty(req);
  if (found === null) throw new ApiError(400, 'Passkeys are not available on this host.', 'invalid');
  return found;
}

/** The `credential` field: the JSON object a browser's `PublicKeyCredential.toJSON()` gives. */
function credentialField(data: Record<string, unknown>, errors: Record<string, string[]>): unknown {
  if (data.credential === undefined || data.credential === null || data.credential === '') {
    errors.credential = ['This field is required.'];
    return undefined;
  }
  // Form bodies carry it as a JSON string.
  if (typeof data.credential === 'string' && data.credential.length <= 262_144) {
    try {
      return JSON.parse(data.credential);
    } catch {
      return data.credential;
    }
  }
  return data.credential;
}

/** `name`: optional, at most 255 characters, trimmed; blank means the default. */
function nameField(data: Record<string, unknown>): string {
  if (data.name === undefined || data.name === null) return '';
  return charFields(data, { name: { maxLength: NAME_MAX_LENGTH, allowBlank: true } }).name;
}

function asObject(ctx: ViewContext): Record<string, unknown> {
  const data = ctx.data();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    // charFields says what DRF says about a body that is not a dictionary.
    charFields(data, {});
  }
  return (data ?? {}) as Record<string, unknown>;
}

/**
 * The contract's passkey endpoints (dj-rest-auth's passkeys wire, under
 * `/auth/passkeys/`): registration by a logged-in user, the passwordless
 * login — which answers as `POST /api/login/` and needs no second factor —
 * and the user's list. Adding or removing a passkey needs a fresh proof
 * (`current_password` or `code`) and ends the user's other sessions.
 */
export function passkeyViews(gh: Gatehouse): Route[] {
  const registerBegin = gh.view({
    name: 'Passkey Register Begin',
    permissions: [IsAuthenticated],
    gate: null,
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        nameField(asObject(ctx));
        return jsonResponse(200, await gh.passkeys.registrationOptions(ctx.user, rp(gh, ctx.req)));
      },
    },
  });

  const registerComplete = gh.view({
    name: 'Passkey Register Complete',
    permissions: [IsAuthenticated],
    gate: null,
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        const data = asObject(ctx);
        const errors: Record<string, string[]> = {};
        const credential = credentialField(data, errors);
        let name = '';
        try {
          name = nameField(data);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          Object.assign(errors, error.body);
        }
        if (Object.keys(errors).length > 0) throw new ValidationError(errors);
        const party = rp(gh, ctx.req);
        await requireProof(gh, ctx, { codeAllowed: true, missing: 'current_password' });
        const result = await gh.passkeys.register(ctx.user, { credential, name }, party, changeContext(ctx));
        if (!result.ok) return detail400(result.detail);
        return jsonResponse(201, passkeyJson(result.value));
      },
    },
  });

  const loginBegin = gh.view({
    name: 'Passkey Login Begin',
    authenticators: [],
    permissions: [AllowAny],
    // Each begin stores a challenge for 300 s: an anonymous client may not fill the table.
    throttles: [
      new ScopedRateThrottle({
        scope: 'passkey_login_begin',
        rate: PASSKEY_BEGIN_RATE,
        counters: gh.stores.counters,
        clock: gh.clock,
      }),
    ],
    gate: null,
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        const data = asObject(ctx);
        const given = data.username !== undefined && data.username !== null && data.username !== '';
        const username = given ? charFields(data, { username: { maxLength: 150 } }).username : null;
        const { options, sessionId } = await gh.passkeys.loginOptions(username, rp(gh, ctx.req));
        return jsonResponse(200, { ...options, session_id: sessionId });
      },
    },
  });

  const loginComplete = gh.view({
    name: 'Passkey Login Complete',
    permissions: [AllowAny],
    // A login: Django's login CSRF check, whatever session the browser has.
    alwaysCheckCsrf: true,
    gate: null,
    headers: NO_STORE,
    handlers: {
      POST: async (ctx) => {
        const data = asObject(ctx);
        const errors: Record<string, string[]> = {};
        const credential = credentialField(data, errors);
        const sessionId = data.session_id;
        if (sessionId === undefined || sessionId === null || sessionId === '')
          errors.session_id = ['This field is required.'];
        else if (typeof sessionId !== 'string' || sessionId.length !== 32 || !SESSION_ID.test(sessionId))
          errors.session_id = ['This value does not match the required pattern.'];
        if (Object.keys(errors).length > 0) throw new ValidationError(errors);
        const result = await gh.passkeys.login(credential, sessionId as string, rp(gh, ctx.req), ctx.req);
        if (!result.ok) return detail400(result.detail);
        const { user, userVerified } = result.value;
        // Without user verification the key is one factor: an MFA user still gives the code.
        return userVerified
          ? issueLogin(gh, ctx.req, user, 'session')
          : completeLogin(gh, ctx.req, user, 'session');
      },
    },
  });

  const list = gh.view({
    name: 'Passkey List',
    permissions: [IsAuthenticated],
    gate: null,
    headers: NO_STORE,
    handlers: {
      GET: async (ctx) => jsonResponse(200, (await gh.passkeys.list(ctx.user.id)).map(passkeyJson)),
    },
  });

  const detail = gh.view({
    name: 'Passkey Instance',
    permissions: [IsAuthenticated],
    headers: NO_STORE,
    handlers: {
      GET: async (ctx) => jsonResponse(200, passkeyJson(await owned(ctx))),
      PATCH: async (ctx) => {
        const found = await owned(ctx);
        const { name } = charFields(asObject(ctx), { name: { maxLength: NAME_MAX_LENGTH } });
        const renamed = await gh.passkeys.rename(ctx.user.id, found.id, name);
        if (renamed === null) throw new NotFound(MISSING);
        return jsonResponse(200, { name: renamed.name });
      },
      DELETE: async (ctx) => {
        const found = await owned(ctx);
        await requireProof(gh, ctx, { codeAllowed: true, missing: 'current_password' });
        if ((await gh.passkeys.remove(ctx.user, found.id, changeContext(ctx))) === null)
          throw new NotFound(MISSING);
        return jsonResponse(204);
      },
    },
  });

  /** The user's passkey named by the path; another user's answers exactly as a missing one. */
  async function owned(ctx: ViewContext<User>): Promise<PasskeyRecord> {
    const id = ctx.params.id ?? '';
    const found = PK.test(id) ? await gh.passkeys.get(ctx.user.id, Number(id)) : null;
    if (found === null) throw new NotFound(MISSING);
    return found;
  }

  const group = 'passkeys';
  const slashOptional = true;
  return [
    {
      name: 'passkey-register-begin',
      path: '/auth/passkeys/register/begin/',
      view: registerBegin,
      group,
      slashOptional,
    },
    {
      name: 'passkey-register-complete',
      path: '/auth/passkeys/register/complete/',
      view: registerComplete,
      group,
      slashOptional,
    },
    {
      name: 'passkey-login-begin',
      path: '/auth/passkeys/login/begin/',
      view: loginBegin,
      group,
      slashOptional,
    },
    {
      name: 'passkey-login-complete',
      path: '/auth/passkeys/login/complete/',
      view: loginComplete,
      group,
      slashOptional,
    },
    { name: 'passkey-list', path: '/auth/passkeys/', view: list, group, slashOptional },
    { name: 'passkey-detail', path: '/auth/passkeys/:id/', view: detail, group, slashOptional },
  ];
}
