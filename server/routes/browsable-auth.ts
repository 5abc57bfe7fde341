import {
  AllowAny,
  type ApiResponse,
  type AuthRequest,
  charFields,
  clearBindingCookie,
  escapeHtml,
  type Gatehouse,
  iriToUri,
  isSafeRedirect,
  type Route,
  requestBinding,
  type SetCookie,
  startSecondStep,
  Throttled,
  type User,
  ValidationError,
  type View,
} from '../../src/index.ts';

const NEVER_CACHE = { 'cache-control': 'max-age=0, no-cache, no-store, must-revalidate, private' };
const BAD_LOGIN =
  'Please enter a correct username and password. Note that both fields may be case-sensitive.';

/**
 * Where to go after log-in or log-out, as a `Location` value: `next` when it is
 * a local path (Django's url_has_allowed_host_and_scheme), else `/`, encoded
 * as Django's HttpResponseRedirect does (iri_to_uri): `/中` → `/%E4%B8%AD`.
 */
export function redirectTarget(req: AuthRequest, next: unknown): string {
  if (typeof next !== 'string' || next === '') return '/';
  return isSafeRedirect(next, { allowedHosts: [], requireHttps: req.secure }) ? iriToUri(next) : '/';
}

type FieldErrors = Partial<Record<'username' | 'password', string[]>>;
type LoginForm = { valid: true; username: string; password: string } | { valid: false; errors: FieldErrors };

/**
 * The login form's fields, validated as every other credential field is
 * (charFields: a NUL or a lone surrogate never reaches the store), with
 * Django's form wording for an empty field. Django's AuthenticationForm caps
 * the username at the model's 150 characters.
 */
function loginForm(data: unknown): LoginForm {
  try {
    return { valid: true, ...charFields(data, { username: { maxLength: 150 }, password: { trim: false } }) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const errors = error.body as FieldErrors;
    for (const messages of Object.values(errors)) {
      for (const [i, message] of messages.entries()) {
        if (message === 'This field may not be blank.') messages[i] = 'This field is required.';
      }
    }
    return { valid: false, errors };
  }
}

function page(
  status: number,
  body: string,
  extra: Partial<ApiResponse> & { title?: string } = {},
): ApiResponse {
  return {
    status,
    // Django's never_cache: Cache-Control and an Expires of now.
    headers: {
      'content-type': 'text/html; charset=utf-8',
      ...NEVER_CACHE,
      expires: new Date().toUTCString(),
      ...extra.headers,
    },
    cookies: extra.cookies ?? [],
    text: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${extra.title ?? 'Log in'} – Gatehouse</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto}label,input,button{display:block;margin:.4rem 0}input{width:100%;padding:.4rem}.error{color:#b00}</style>
</head><body>${body}</body></html>\n`,
  };
}

function form(token: string, next: string, error?: string, fieldErrors: FieldErrors = {}): string {
  // As DRF's login template: each field's errors under it.
  const errorsOf = (field: keyof FieldErrors) =>
    fieldErrors[field] ? `<p class="error">${escapeHtml(fieldErrors[field].join(' '))}</p>` : '';
  return `<h1>Gatehouse REST framework</h1>${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/api-auth/login/">
<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(token)}">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="id_username">Username</label><input type="text" name="username" id="id_username" autocomplete="username" required>${errorsOf('username')}
<label for="id_password">Password</label><input type="password" name="password" id="id_password" autocomplete="current-password" required>${errorsOf('password')}
<button type="submit">Log in</button></form>
<p><a href="/#/password/reset">Forgot your password?</a></p>`;
}

/**
 * The second step of the form, for a user with two-factor authentication:
 * the ephemeral token travels in a hidden field (bound to this browser by
 * the HttpOnly cookie set beside the form), the code in a visible one.
 */
function codeForm(token: string, next: string, ephemeralToken: string, error?: string): string {
  return `<h1>Gatehouse REST framework</h1><h2>Two-factor authentication</h2>${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/api-auth/login/">
<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(token)}">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<input type="hidden" name="ephemeral_token" value="${escapeHtml(ephemeralToken)}">
<p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
<label for="id_code">Code</label><input type="text" name="code" id="id_code" autocomplete="one-time-code" inputmode="text" maxlength="9" required autofocus>
<button type="submit">Verify</button></form>`;
}

/** DRF's browsable-API login and logout (`rest_framework.urls`), as HTML forms with `csrfmiddlewaretoken`. */
export function browsableAuthRoutes(gh: Gatehouse): Route[] {
  const login = gh.view({
    name: 'Log in',
    authenticators: [],
    permissions: [AllowAny],
    alwaysCheckCsrf: true,
    parsers: ['form', 'multipart'],
    handlers: {
      GET: (ctx) => {
        const { token, cookie } = gh.csrfFor(ctx.req);
        return page(200, form(token, ctx.req.query.get('next') ?? ''), { cookies: [cookie] });
      },
      POST: async (ctx) => {
        const data = ctx.data() as Record<string, string>;
        const next = data.next || ctx.req.query.get('next') || '';
        const retry = () => gh.csrfFor(ctx.req);
        if (data.ephemeral_token !== undefined) return secondStep(ctx.req, data, next);
        // Django's AuthenticationForm: an invalid field re-renders the form; nothing is looked up.
        const fields = loginForm(data);
        if (!fields.valid) {
          const { token, cookie } = retry();
          return page(200, form(token, next, undefined, fields.errors), { cookies: [cookie] });
        }
        let user = null;
        try {
          user = await gh.authenticateCredentials(ctx.req, fields.username, fields.password);
        } catch (error) {
          if (!(error instanceof Throttled)) throw error;
          const { token, cookie } = retry();
          return page(429, form(token, next, error.detail), { cookies: [cookie], headers: error.headers });
        }
        if (!user) {
          const { token, cookie } = retry();
          return page(200, form(token, next, BAD_LOGIN), { cookies: [cookie] });
        }
        if (await gh.mfa.isEnabled(user.id)) {
          // The password was right: no session yet, the code first.
          const started = await startSecondStep(gh, ctx.req, user, 'browsable');
          const { token, cookie } = retry();
          if (!started) return page(200, form(token, next, BAD_LOGIN), { cookies: [cookie] });
          return page(200, codeForm(token, next, started.token), {
            cookies: [cookie, ...started.cookies],
            title: 'Two-factor authentication',
          });
        }
        return loggedIn(ctx.req, user, next);
      },
    },
  });

  async function loggedIn(
    req: AuthRequest,
    user: User,
    next: string,
    extra: SetCookie[] = [],
  ): Promise<ApiResponse> {
    const { cookies } = await gh.login(req, user);
    return {
      status: 302,
      headers: { location: redirectTarget(req, next), 'content-length': '0' },
      cookies: [...cookies, ...extra],
      text: '',
    };
  }

  /**
   * The code step: the contract's `Invalid code.` (or a field error) keeps the
   * form; a dead token, or one of a token or JWT login, starts over.
   */
  async function secondStep(req: AuthRequest, data: unknown, next: string): Promise<ApiResponse> {
    const { token, cookie } = gh.csrfFor(req);
    const startOver = () =>
      page(200, form(token, next, 'Invalid or expired token. Log in again.'), { cookies: [cookie] });
    const codeStep = (ephemeral: string, error: string, status = 200, headers: Record<string, string> = {}) =>
      page(status, codeForm(token, next, ephemeral, error), {
        cookies: [cookie],
        headers,
        title: 'Two-factor authentication',
      });
    let ephemeral: string;
    try {
      ephemeral = charFields(data, { ephemeral_token: { maxLength: 64 } }).ephemeral_token;
    } catch (error) {
      if (error instanceof ValidationError) return startOver();
      throw error;
    }
    const record = await gh.mfa.pendingLogin(ephemeral, (kind) => requestBinding(req, kind));
    // Only a session login is finished here: a token or JWT login is finished by /auth/mfa/verify/ alone.
    if (record === null || (record.kind !== 'browsable' && record.kind !== 'session')) return startOver();
    let code: string;
    try {
      code = charFields(data, { code: { maxLength: 9 } }).code;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return codeStep(ephemeral, ((error.body as Record<string, string[]>).code ?? []).join(' '));
    }
    let outcome: Awaited<ReturnType<typeof gh.mfa.completeLogin>>;
    try {
      outcome = await gh.mfa.completeLogin({ record, code, origin: req });
    } catch (error) {
      if (!(error instanceof Throttled)) throw error;
      return codeStep(ephemeral, error.detail ?? '', 429, error.headers);
    }
    if (outcome.ok) return loggedIn(req, outcome.user, next, [clearBindingCookie(gh)]);
    return outcome.error === 'code' ? codeStep(ephemeral, 'Invalid code.') : startOver();
  }

  const logout = gh.view({
    name: 'Log out',
    authenticators: [],
    permissions: [AllowAny],
    alwaysCheckCsrf: true,
    parsers: ['form', 'multipart'],
    handlers: {
      POST: async (ctx) => {
        const cookie = await gh.logout(ctx.req);
        // Django's LogoutView reads `next` from the POST body first, then the query string.
        const body = ctx.data() as Record<string, unknown>;
        const next =
          typeof body.next === 'string' && body.next !== '' ? body.next : ctx.req.query.get('next');
        return {
          status: 302,
          headers: { location: redirectTarget(ctx.req, next), 'content-length': '0' },
          cookies: [cookie],
          text: '',
        };
      },
    },
  });

  return [
    { name: 'browsable-login', path: '/api-auth/login/', view: htmlErrors(login), group: 'pages' },
    { name: 'browsable-logout', path: '/api-auth/logout/', view: htmlErrors(logout), group: 'pages' },
  ];
}

/**
 * Django's form views answer in HTML: a CSRF failure with its 403 page, a
 * wrong method with an empty 405 (`Allow` kept).
 */
function htmlErrors(view: View): View {
  return {
    ...view,
    async handle(req, params) {
      const res = await view.handle(req, params);
      if (res.status === 405) {
        return {
          ...res,
          headers: { ...res.headers, 'content-type': 'text/html; charset=utf-8' },
          data: undefined,
          text: '',
        };
      }
      const detail = (res.data as { detail?: unknown } | undefined)?.detail;
      if (res.status !== 403 || typeof detail !== 'string' || !detail.startsWith('CSRF Failed: ')) return res;
      const cookieMissing = detail === 'CSRF Failed: CSRF cookie not set.';
      return page(
        403,
        '<h1>Forbidden <span>(403)</span></h1><p>CSRF verification failed. Request aborted.</p>' +
          (cookieMissing
            ? '<p>You are seeing this message because this site requires a CSRF cookie when submitting forms. ' +
              'This cookie is required for security reasons, to ensure that your browser is not being hijacked by third parties.</p>'
            : ''),
        { headers: res.headers, cookies: res.cookies, title: '403 Forbidden' },
      );
    },
  };
}
