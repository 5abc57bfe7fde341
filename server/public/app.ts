/**
 * The Gatehouse single-page app: register, log in (with a second factor or a
 * passkey), dashboard, articles, sessions, API tokens, security (TOTP,
 * recovery codes, passkeys), log out, and the account's life (the links the
 * account mails carry, forgotten passwords, changing one's e-mail, username
 * and password, closing the account) — a same-origin client of the reference
 * server using session authentication with Django's CSRF protocol.
 *
 * One file on purpose: the server strips the types once at start-up
 * (`node:module` stripTypeScriptTypes) and serves it as `/app.js`, so it may
 * use only erasable TypeScript and browser APIs — no imports, no bundler.
 * Every value from the server reaches the page through `textContent`,
 * `append(string)` or `setAttribute`, never through HTML parsing.
 */

interface User {
  id: number;
  username: string;
  email: string;
}

/** A user as djoser's `/auth/users/me/` answers it. */
interface AccountUser {
  email: string;
  id: number;
  username: string;
}

interface Article {
  id: number;
  title: string;
  body: string;
  author: string;
  created: string;
}

interface SessionInfo {
  id: string;
  created: string;
  last_seen: string;
  ip: string;
  user_agent: string;
  current: boolean;
}

interface TokenInfo {
  id: string;
  name: string;
  created: string;
  last_used: string | null;
  expires: string | null;
}

interface CreatedToken {
  id: string;
  name: string;
  token: string;
  expires: string | null;
}

type Notice = { kind: 'success' | 'error' | 'info'; text: string };

// ---------------------------------------------------------------------------
// The API client: session cookie + X-CSRFToken on every unsafe request.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** A non-2xx answer (or no answer) from the API, with its JSON body. */
class ApiError extends Error {
  status: number;
  data: unknown;
  retryAfter: string | null;

  constructor(status: number, data: unknown, retryAfter: string | null = null) {
    super(`HTTP ${status}`);
    this.status = status;
    this.data = data;
    this.retryAfter = retryAfter;
  }
}

/** The masked token from the last `GET /api/csrf/`. */
let csrfToken: string | null = null;

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

async function refreshCsrfToken(): Promise<string> {
  const res = await fetch('/api/csrf/', {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  const data = (await res.json()) as { csrfToken: string };
  csrfToken = data.csrfToken;
  return csrfToken;
}

/**
 * The value for `X-CSRFToken`. Login and logout rotate the `csrftoken`
 * cookie, so the cookie (readable by design, as Django's) is the freshest
 * source; the masked token from the last `/api/csrf/` is the fallback when
 * the cookie cannot be read.
 */
async function currentCsrfToken(): Promise<string> {
  return readCookie('csrftoken') ?? csrfToken ?? (await refreshCsrfToken());
}

function isCsrfFailure(data: unknown): boolean {
  const detail = (data as { detail?: unknown } | null)?.detail;
  return typeof detail === 'string' && detail.startsWith('CSRF Failed');
}

async function api<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (!SAFE_METHODS.has(method)) {
    headers['X-CSRFToken'] = await currentCsrfToken();
    headers['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, {
      detail: 'The server could not be reached. Check your connection and try again.',
    });
  }
  const data: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.ok) return data as T;
  // The CSRF cookie was missing or replaced (cleared cookies, a login in another tab):
  // fetch a fresh token and cookie, and try once more — a CSRF failure changed nothing.
  if (res.status === 403 && isCsrfFailure(data) && !retried) {
    await refreshCsrfToken();
    return api<T>(method, path, body, true);
  }
  throw new ApiError(res.status, data, res.headers.get('Retry-After'));
}

/** The sentence to show for an error that no single form field owns. */
function errorSummary(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  const data = error.data as Record<string, unknown> | null;
  if (data && typeof data.error === 'string') return data.error;
  if (data && typeof data.detail === 'string') {
    if (error.status === 429 && error.retryAfter && !/\d/.test(data.detail)) {
      return `${data.detail} Try again in ${error.retryAfter} seconds.`;
    }
    return data.detail;
  }
  if (data && Array.isArray(data.non_field_errors)) return data.non_field_errors.join(' ');
  if (error.status >= 500) return `The server failed (HTTP ${error.status}). Please try again later.`;
  return `The request failed (HTTP ${error.status}).`;
}

// ---------------------------------------------------------------------------
// DOM helpers: text goes in as text nodes; attributes through setAttribute.

type Child = Node | string | null | undefined | false;
type Props = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key === 'className' ? 'class' : key, value === true ? '' : String(value));
  }
  for (const child of children)
    if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

let uid = 0;
const nextId = (prefix: string) => `${prefix}-${++uid}`;

function formatDate(iso: string | null, empty = 'Never'): Node {
  if (!iso) return document.createTextNode(empty);
  const date = new Date(iso);
  const text = date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return h('time', { datetime: iso, title: date.toISOString() }, text);
}

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/Firefox\//, 'Firefox'],
  [/HeadlessChrome\//, 'Headless Chrome'],
  [/Chrome\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/^curl\//, 'curl'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome on Linux" from a User-Agent string; the full string stays in the title. */
function describeAgent(ua: string): string {
  if (!ua) return 'Unknown device';
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1] ?? ua.split(/[\s/]/)[0];
  const os = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  return os ? `${browser} on ${os}` : browser;
}

interface FieldOptions {
  type?: string;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  value?: string;
  maxlength?: number;
  multiline?: boolean;
}

interface Field {
  name: string;
  wrapper: HTMLElement;
  control: HTMLInputElement | HTMLTextAreaElement;
  error: HTMLElement;
}

function field(label: string, name: string, options: FieldOptions = {}): Field {
  const id = nextId(name);
  const hintId = options.hint ? `${id}-hint` : undefined;
  const errorId = `${id}-error`;
  const common = {
    id,
    name,
    required: options.required,
    autocomplete: options.autocomplete,
    maxlength: options.maxlength,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
  };
  const control = options.multiline
    ? h('textarea', { ...common, rows: 5 })
    : h('input', { ...common, type: options.type ?? 'text' });
  control.value = options.value ?? '';
  const error = h('p', { id: errorId, className: 'field-error', hidden: true });
  const wrapper = h(
    'div',
    { className: 'field' },
    h('label', { for: id }, label),
    options.hint ? h('p', { id: hintId, className: 'hint' }, options.hint) : null,
    control,
    error,
  );
  return { name, wrapper, control, error };
}

interface FormHandle {
  form: HTMLFormElement;
  values(): Record<string, string>;
  reset(): void;
}

/**
 * A form that submits through `onSubmit`, shows 400 field errors under their
 * fields and every other error (401, 403, 429, 5xx) in an alert above them.
 */
function apiForm(opts: {
  label: string;
  fields: Field[];
  submit: string;
  /** A destructive action: the submit button says so. */
  danger?: boolean;
  extra?: Child[];
  actions?: Child[];
  onSubmit: (values: Record<string, string>) => Promise<void>;
}): FormHandle {
  const alert = h('div', { className: 'alert alert-error', role: 'alert', hidden: true });
  const button = h(
    'button',
    { type: 'submit', className: opts.danger ? 'btn btn-danger' : 'btn btn-primary' },
    opts.submit,
  );
  const form = h(
    'form',
    { className: 'form', 'aria-label': opts.label },
    alert,
    ...opts.fields.map((f) => f.wrapper),
    ...(opts.extra ?? []),
    h('div', { className: 'form-actions' }, button, ...(opts.actions ?? [])),
  );
  const values = () => {
    const data = new FormData(form);
    const out: Record<string, string> = {};
    for (const [key, value] of data) out[key] = String(value);
    return out;
  };
  const clearErrors = () => {
    alert.hidden = true;
    alert.textContent = '';
    for (const f of opts.fields) {
      f.error.hidden = true;
      f.error.textContent = '';
      f.control.removeAttribute('aria-invalid');
    }
  };
  const showError = (error: unknown) => {
    const data = error instanceof ApiError ? (error.data as Record<string, unknown> | null) : null;
    let placed = false;
    if (error instanceof ApiError && error.status === 400 && data && typeof data === 'object') {
      const rest: string[] = [];
      for (const [key, messages] of Object.entries(data)) {
        const text = Array.isArray(messages) ? messages.map(String).join(' ') : String(messages);
        const target = opts.fields.find((f) => f.name === key);
        if (target) {
          target.error.textContent = text;
          target.error.hidden = false;
          target.control.setAttribute('aria-invalid', 'true');
          if (!placed) target.control.focus();
          placed = true;
        } else rest.push(text);
      }
      if (rest.length > 0) {
        alert.textContent = rest.join(' ');
        alert.hidden = false;
      }
      if (placed || rest.length > 0) return;
    }
    alert.textContent = errorSummary(error);
    alert.hidden = false;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    clearErrors();
    form.setAttribute('aria-busy', 'true');
    button.disabled = true;
    try {
      await opts.onSubmit(values());
    } catch (error) {
      if (!(await sessionEnded(error))) showError(error);
    } finally {
      form.removeAttribute('aria-busy');
      button.disabled = false;
    }
  });
  return {
    form,
    values,
    reset: () => {
      form.reset();
      clearErrors();
    },
  };
}

/** A button whose click runs an API call; failures show in `report`. */
function actionButton(
  label: string,
  options: { className?: string; ariaLabel?: string },
  run: () => Promise<void>,
  report: (error: unknown) => void,
) {
  const button = h(
    'button',
    { type: 'button', className: options.className ?? 'btn', 'aria-label': options.ariaLabel },
    label,
  );
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await run();
    } catch (error) {
      if (!(await sessionEnded(error))) report(error);
    } finally {
      if (button.isConnected) button.disabled = false;
    }
  });
  return button;
}

// ---------------------------------------------------------------------------
// App state and routing (hash routes keep the server's one `/` route enough).

const state: { user: User | null; notice: Notice | null; lastUsername: string } = {
  user: null,
  notice: null,
  lastUsername: '',
};

const root = document.getElementById('app')!;

interface Screen {
  title: string;
  auth: 'user' | 'anonymous' | 'any';
  /** `params`: what a link's route carries (a uid and a token). */
  render: (params: string[]) => Node[];
}

const screens: Record<string, Screen> = {
  login: { title: 'Log in', auth: 'anonymous', render: loginScreen },
  register: { title: 'Register', auth: 'anonymous', render: registerScreen },
  dashboard: { title: 'Dashboard', auth: 'user', render: dashboardScreen },
  articles: { title: 'Articles', auth: 'any', render: articlesScreen },
  sessions: { title: 'Sessions', auth: 'user', render: sessionsScreen },
  tokens: { title: 'API tokens', auth: 'user', render: tokensScreen },
  account: { title: 'Account', auth: 'user', render: accountScreen },
  forgot: { title: 'Forgot your password?', auth: 'any', render: forgotScreen },
  resetConfirm: { title: 'Choose a new password', auth: 'any', render: resetConfirmScreen },
  activate: { title: 'Activate your account', auth: 'any', render: activateScreen },
  emailConfirm: { title: 'Confirm your new email address', auth: 'any', render: emailConfirmScreen },
  security: { title: 'Security', auth: 'user', render: securityScreen },
};

/** The routes the account mails link to (djoser's ACTIVATION_URL, PASSWORD_RESET_CONFIRM_URL), and the form that asks for one. */
const LINK_ROUTES: [RegExp, string][] = [
  [/^password\/reset$/, 'forgot'],
  [/^password\/reset\/confirm\/([A-Za-z0-9_-]{1,512})\/([A-Za-z0-9_-]{1,512})$/, 'resetConfirm'],
  [/^activate\/([A-Za-z0-9_-]{1,512})\/([A-Za-z0-9_-]{1,512})$/, 'activate'],
  [/^email\/confirm\/([A-Za-z0-9_-]{1,512})\/([A-Za-z0-9_-]{1,512})$/, 'emailConfirm'],
];

/** The screen for the current hash: its name, the hash path to show, and a link's parameters. */
function currentRoute(): { name: string; path: string; params: string[] } {
  const path = location.hash.replace(/^#\/?/, '');
  for (const [pattern, name] of LINK_ROUTES) {
    const match = pattern.exec(path);
    if (match) return { name, path, params: match.slice(1) };
  }
  const screen =
    Object.hasOwn(screens, path) && !LINK_ROUTES.some(([, n]) => n === path) ? screens[path] : undefined;
  const fallback = state.user ? 'dashboard' : 'login';
  const name = !screen
    ? fallback
    : screen.auth === 'user' && !state.user
      ? 'login'
      : screen.auth === 'anonymous' && state.user
        ? 'dashboard'
        : path;
  return { name, path: name, params: [] };
}

function navigate(name: string, notice: Notice | null = null): void {
  state.notice = notice;
  if (location.hash === `#/${name}`) render(true);
  else location.hash = `#/${name}`;
}

function render(moveFocus: boolean): void {
  const { name, path, params } = currentRoute();
  if (location.hash !== `#/${path}`) history.replaceState(null, '', `#/${path}`);
  const screen = screens[name];
  document.title = `${screen.title} – Gatehouse`;
  const heading = h('h1', { tabindex: -1 }, screen.title);
  const notice = state.notice;
  state.notice = null;
  const main = h(
    'main',
    { id: 'content', className: `screen screen-${name}` },
    heading,
    notice
      ? h(
          'div',
          { className: `alert alert-${notice.kind}`, role: notice.kind === 'error' ? 'alert' : 'status' },
          notice.text,
        )
      : null,
    ...screen.render(params),
  );
  root.replaceChildren(header(name), main);
  if (moveFocus) heading.focus();
}

function header(active: string): HTMLElement {
  const link = (name: string, label: string) =>
    h('a', { href: `#/${name}`, 'aria-current': name === active ? 'page' : undefined }, label);
  const items = state.user
    ? [
        link('dashboard', 'Dashboard'),
        link('articles', 'Articles'),
        link('sessions', 'Sessions'),
        link('tokens', 'API tokens'),
        link('account', 'Account'),
        link('security', 'Security'),
      ]
    : [link('articles', 'Articles'), link('login', 'Log in'), link('register', 'Register')];
  const account = state.user
    ? h(
        'div',
        { className: 'account' },
        h('span', { className: 'whoami' }, 'Signed in as ', h('strong', {}, state.user.username)),
        actionButton(
          'Log out',
          { className: 'btn btn-secondary btn-small' },
          async () => {
            await api('POST', '/api/logout/');
            state.user = null;
            await refreshCsrfToken();
            navigate('login', { kind: 'success', text: 'You have been logged out.' });
          },
          (error) => {
            state.notice = { kind: 'error', text: errorSummary(error) };
            render(false);
          },
        ),
      )
    : null;
  return h(
    'header',
    { className: 'topbar' },
    h(
      'div',
      { className: 'topbar-inner' },
      h(
        'a',
        { className: 'brand', href: '#/' },
        h('span', { className: 'brand-mark', 'aria-hidden': 'true' }),
        'Gatehouse',
      ),
      h('nav', { 'aria-label': 'Main' }, ...items),
      account,
    ),
  );
}

/**
 * A 401/403 "not provided" while we think we are logged in means the session
 * was revoked or expired elsewhere: ask the server, and send the user to log in.
 */
async function sessionEnded(error: unknown): Promise<boolean> {
  if (!(error instanceof ApiError) || !state.user) return false;
  if (error.status !== 401 && error.status !== 403) return false;
  const me = await api<{ user: User | null }>('GET', '/api/me/').catch(() => null);
  if (!me || me.user) return false;
  state.user = null;
  navigate('login', { kind: 'info', text: 'Your session has ended. Please log in again.' });
  return true;
}

/** A region filled by an API call, with a loading line and an error line. */
function loader<T>(label: string, load: () => Promise<T>, fill: (data: T, slot: HTMLElement) => void) {
  const slot = h(
    'div',
    { className: 'slot', 'aria-live': 'polite', 'aria-busy': 'true' },
    h('p', { className: 'muted' }, `Loading ${label}…`),
  );
  const reload = async () => {
    slot.setAttribute('aria-busy', 'true');
    try {
      const data = await load();
      slot.replaceChildren();
      fill(data, slot);
    } catch (error) {
      if (await sessionEnded(error)) return;
      slot.replaceChildren(h('div', { className: 'alert alert-error', role: 'alert' }, errorSummary(error)));
    } finally {
      slot.removeAttribute('aria-busy');
    }
  };
  void reload();
  return { slot, reload };
}

function flash(region: HTMLElement, notice: Notice): void {
  region.className = `alert alert-${notice.kind}`;
  region.setAttribute('role', notice.kind === 'error' ? 'alert' : 'status');
  region.textContent = notice.text;
  region.hidden = false;
}

// ---------------------------------------------------------------------------
// Screens.

function loginScreen(): Node[] {
  const username = field('Username', 'username', {
    required: true,
    autocomplete: 'username',
    value: state.lastUsername,
  });
  const password = field('Password', 'password', {
    type: 'password',
    required: true,
    autocomplete: 'current-password',
  });
  const card = h('section', { className: 'card narrow' });
  const { form } = apiForm({
    label: 'Log in',
    fields: [username, password],
    submit: 'Log in',
    onSubmit: async (values) => {
      const data = await api<LoginAnswer>('POST', '/api/login/', {
        username: values.username,
        password: values.password,
      });
      // A user with two-factor authentication: the password was right, the code comes next.
      if ('mfa_required' in data) {
        card.replaceChildren(codeStep(data.ephemeral_token, () => card.replaceChildren(form)));
        return;
      }
      await loggedIn(data.user);
    },
  });
  card.append(form);
  return [
    h('p', { className: 'lead' }, 'Log in to manage your articles, sessions and API tokens.'),
    card,
    h('p', { className: 'muted' }, h('a', { href: '#/password/reset' }, 'Forgot your password?')),
    passkeySignInPanel(),
    h('p', { className: 'muted' }, 'No account yet? ', h('a', { href: '#/register' }, 'Register')),
  ];
}

/** Whether new accounts wait for their activation link (the server says so in a meta tag of the page). */
function activationRequired(): boolean {
  return (
    document.querySelector('meta[name="gatehouse-send-activation-email"]')?.getAttribute('content') === '1'
  );
}

/** After any login: the user, the rotated CSRF token, and the dashboard (or the setup a policy asks for). */
async function loggedIn(user: User): Promise<void> {
  state.user = user;
  state.lastUsername = user.username;
  // Login rotates the CSRF secret; fetch the new token as the contract says.
  await refreshCsrfToken();
  const refused = await api('GET', '/api/me/').then(
    () => null,
    (error: unknown) => error,
  );
  if (refused instanceof ApiError && (refused.data as { detail?: unknown } | null)?.detail === MFA_REQUIRED) {
    navigate('security', { kind: 'info', text: `${MFA_REQUIRED} Set it up below to continue.` });
    return;
  }
  navigate('dashboard');
}

function registerScreen(): Node[] {
  const activation = activationRequired();
  const username = field('Username', 'username', {
    required: true,
    autocomplete: 'username',
    maxlength: 150,
  });
  const email = field('Email', 'email', {
    type: 'email',
    autocomplete: 'email',
    required: activation,
    hint: activation ? 'We send you a link to activate your account.' : 'Optional.',
  });
  const password = field('Password', 'password', {
    type: 'password',
    required: true,
    autocomplete: 'new-password',
    hint: 'At least 8 characters, not a common password, not only digits.',
  });
  const { form } = apiForm({
    label: 'Register',
    fields: [username, email, password],
    submit: 'Register',
    onSubmit: async (values) => {
      const data = await api<{ user: User }>('POST', '/api/register/', values);
      state.lastUsername = data.user.username;
      navigate('login', {
        kind: 'success',
        text: activation
          ? `Account ${data.user.username} created. We have sent an activation link to ${data.user.email}: follow it, then log in.`
          : `Account ${data.user.username} created. Log in to continue.`,
      });
    },
  });
  return [
    h('p', { className: 'lead' }, 'Create an account. Registering does not log you in.'),
    h('section', { className: 'card narrow' }, form),
    h('p', { className: 'muted' }, 'Already registered? ', h('a', { href: '#/login' }, 'Log in')),
  ];
}

function dashboardScreen(): Node[] {
  const { slot } = loader(
    'your dashboard',
    () => api<{ message: string }>('GET', '/api/dashboard/'),
    (data, into) => into.append(h('p', { className: 'welcome' }, data.message)),
  );
  const tile = (name: string, title: string, text: string) =>
    h('a', { className: 'tile', href: `#/${name}` }, h('strong', {}, title), h('span', {}, text));
  return [
    h('section', { className: 'card hero', 'aria-label': 'Welcome' }, slot),
    h(
      'div',
      { className: 'tiles' },
      tile('articles', 'Articles', 'Write, edit and delete your articles.'),
      tile('sessions', 'Sessions', 'See where you are logged in and end other sessions.'),
      tile('tokens', 'API tokens', 'Keys for scripts and mobile apps (Authorization: Token …).'),
    ),
  ];
}

function articlesScreen(): Node[] {
  const status = h('div', { hidden: true });
  const list = loader(
    'articles',
    () => api<Article[]>('GET', '/api/articles/'),
    (articles, into) => {
      if (articles.length === 0) {
        into.append(h('p', { className: 'empty' }, 'No articles yet.'));
        return;
      }
      into.append(h('ul', { className: 'articles', 'aria-label': 'Articles' }, ...articles.map(articleItem)));
    },
  );

  function articleItem(initial: Article): HTMLElement {
    let article = initial;
    const item = h('li', { className: 'card article' });
    const headingId = nextId('article');
    const show = () => {
      const mine = state.user?.username === article.author;
      item.setAttribute('aria-labelledby', headingId);
      item.replaceChildren(
        h('h2', { id: headingId }, article.title),
        h(
          'p',
          { className: 'meta' },
          'by ',
          h('strong', {}, article.author),
          ' · ',
          formatDate(article.created),
        ),
        article.body
          ? h('p', { className: 'body' }, article.body)
          : h('p', { className: 'body muted' }, 'No body.'),
        mine
          ? h(
              'div',
              { className: 'item-actions' },
              h(
                'button',
                { type: 'button', className: 'btn btn-secondary btn-small', onclick: edit },
                'Edit',
              ),
              actionButton(
                'Delete',
                { className: 'btn btn-danger btn-small', ariaLabel: `Delete “${article.title}”` },
                async () => {
                  await api('DELETE', `/api/articles/${article.id}/`);
                  flash(status, { kind: 'success', text: `Deleted “${article.title}”.` });
                  await list.reload();
                },
                (error) => flash(status, { kind: 'error', text: errorSummary(error) }),
              ),
            )
          : '',
      );
    };
    const edit = () => {
      const title = field('Title', 'title', { required: true, maxlength: 200, value: article.title });
      const body = field('Body', 'body', { multiline: true, value: article.body });
      const cancel = h('button', { type: 'button', className: 'btn btn-secondary', onclick: show }, 'Cancel');
      const { form } = apiForm({
        label: `Edit “${article.title}”`,
        fields: [title, body],
        submit: 'Save',
        actions: [cancel],
        onSubmit: async (values) => {
          article = await api<Article>('PUT', `/api/articles/${article.id}/`, {
            title: values.title,
            body: values.body,
          });
          flash(status, { kind: 'success', text: `Saved “${article.title}”.` });
          show();
        },
      });
      item.removeAttribute('aria-labelledby');
      item.replaceChildren(h('h2', {}, 'Edit article'), form);
      title.control.focus();
    };
    show();
    return item;
  }

  let aside: Node;
  if (state.user) {
    const title = field('Title', 'title', { required: true, maxlength: 200 });
    const body = field('Body', 'body', { multiline: true });
    const create = apiForm({
      label: 'New article',
      fields: [title, body],
      submit: 'Create article',
      onSubmit: async (values) => {
        const article = await api<Article>('POST', '/api/articles/', {
          title: values.title,
          body: values.body,
        });
        create.reset();
        flash(status, { kind: 'success', text: `Created “${article.title}”.` });
        await list.reload();
      },
    });
    aside = h('section', { className: 'card compose' }, h('h2', {}, 'New article'), create.form);
  } else {
    aside = h(
      'p',
      { className: 'card compose muted' },
      h('a', { href: '#/login' }, 'Log in'),
      ' to write articles.',
    );
  }
  // The form comes first in reading order; on wide screens it sits beside the list.
  return [
    status,
    h(
      'div',
      { className: 'articles-layout' },
      aside,
      h(
        'section',
        { className: 'article-list', 'aria-label': 'All articles' },
        h('h2', { className: 'visually-hidden' }, 'All articles'),
        list.slot,
      ),
    ),
  ];
}

function sessionsScreen(): Node[] {
  const status = h('div', { hidden: true });
  const list = loader(
    'sessions',
    () => api<SessionInfo[]>('GET', '/api/sessions/'),
    (sessions, into) => {
      const rows = sessions.map((s) => {
        const device = describeAgent(s.user_agent);
        return h(
          'tr',
          { className: s.current ? 'current' : undefined },
          h(
            'td',
            {},
            h('span', { title: s.user_agent }, device),
            s.current ? h('span', { className: 'badge' }, 'This session') : null,
          ),
          h('td', {}, s.ip || '—'),
          h('td', {}, formatDate(s.created)),
          h('td', {}, formatDate(s.last_seen)),
          h(
            'td',
            { className: 'actions' },
            s.current
              ? ''
              : actionButton(
                  'Revoke',
                  {
                    className: 'btn btn-danger btn-small',
                    ariaLabel: `Revoke session: ${device}, ${s.ip}, signed in ${s.created}`,
                  },
                  async () => {
                    await api('DELETE', `/api/sessions/${encodeURIComponent(s.id)}/`);
                    flash(status, { kind: 'success', text: `Revoked the session on ${device}.` });
                    await list.reload();
                  },
                  (error) => flash(status, { kind: 'error', text: errorSummary(error) }),
                ),
          ),
        );
      });
      into.append(
        h(
          'div',
          { className: 'table-wrap' },
          h(
            'table',
            {},
            h('caption', { className: 'visually-hidden' }, 'Your sessions'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Device', 'IP address', 'Signed in', 'Last seen', 'Action'].map((c) =>
                  h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            h('tbody', {}, ...rows),
          ),
        ),
      );
    },
  );
  return [
    h(
      'p',
      { className: 'lead' },
      'Everywhere you are logged in. Revoking a session logs that browser out at once.',
    ),
    status,
    h('section', { className: 'card', 'aria-label': 'Your sessions' }, list.slot),
  ];
}

const EXPIRY_CHOICES: [string, string][] = [
  ['', 'Never'],
  ['3600', '1 hour'],
  ['86400', '1 day'],
  ['2592000', '30 days'],
  ['7776000', '90 days'],
  ['31536000', '1 year'],
];

function tokensScreen(): Node[] {
  const status = h('div', { hidden: true });
  const reveal = h('div', { className: 'reveal-slot' });
  const list = loader(
    'tokens',
    () => api<TokenInfo[]>('GET', '/api/tokens/'),
    (tokens, into) => {
      if (tokens.length === 0) {
        into.append(h('p', { className: 'empty' }, 'No API tokens yet.'));
        return;
      }
      const now = Date.now();
      const rows = tokens.map((t) =>
        h(
          'tr',
          {},
          h('td', {}, h('strong', {}, t.name)),
          h('td', {}, formatDate(t.created)),
          h('td', {}, formatDate(t.last_used)),
          h(
            'td',
            {},
            formatDate(t.expires),
            t.expires && Date.parse(t.expires) <= now
              ? h('span', { className: 'badge badge-warn' }, 'Expired')
              : null,
          ),
          h(
            'td',
            { className: 'actions' },
            actionButton(
              'Revoke',
              { className: 'btn btn-danger btn-small', ariaLabel: `Revoke token “${t.name}”` },
              async () => {
                await api('DELETE', `/api/tokens/${encodeURIComponent(t.id)}/`);
                flash(status, { kind: 'success', text: `Revoked the token “${t.name}”.` });
                await list.reload();
              },
              (error) => flash(status, { kind: 'error', text: errorSummary(error) }),
            ),
          ),
        ),
      );
      into.append(
        h(
          'div',
          { className: 'table-wrap' },
          h(
            'table',
            {},
            h('caption', { className: 'visually-hidden' }, 'Your API tokens'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Name', 'Created', 'Last used', 'Expires', 'Action'].map((c) =>
                  h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            h('tbody', {}, ...rows),
          ),
        ),
      );
    },
  );

  const name = field('Token name', 'name', {
    required: true,
    maxlength: 100,
    hint: 'What will use it, e.g. “backup script”.',
  });
  const expiresId = nextId('expires_in');
  const expiresError = h('p', { id: `${expiresId}-error`, className: 'field-error', hidden: true });
  const expires = h(
    'select',
    { id: expiresId, name: 'expires_in', 'aria-describedby': `${expiresId}-error` },
    ...EXPIRY_CHOICES.map(([value, label]) => h('option', { value }, label)),
  );
  const create = apiForm({
    label: 'New API token',
    fields: [name],
    extra: [
      h('div', { className: 'field' }, h('label', { for: expiresId }, 'Expires'), expires, expiresError),
    ],
    submit: 'Create token',
    onSubmit: async (values) => {
      const body: { name: string; expires_in?: number } = { name: values.name };
      if (values.expires_in) body.expires_in = Number(values.expires_in);
      const created = await api<CreatedToken>('POST', '/api/tokens/', body);
      create.reset();
      reveal.replaceChildren(revealPanel(created));
      await list.reload();
    },
  });

  /** The key, shown this once: it lives only in this panel's DOM, never in app state. */
  function revealPanel(created: CreatedToken): HTMLElement {
    const keyId = nextId('token-key');
    const key = h('input', {
      id: keyId,
      className: 'token-key',
      readonly: true,
      spellcheck: 'false',
      autocomplete: 'off',
    });
    key.value = created.token;
    const copied = h('p', { className: 'copy-status', role: 'status' });
    const copy = h('button', { type: 'button', className: 'btn btn-primary' }, 'Copy');
    copy.addEventListener('click', async () => {
      try {
        if (!navigator.clipboard) throw new Error('no clipboard');
        await navigator.clipboard.writeText(key.value);
        copied.textContent = 'Copied to the clipboard.';
      } catch {
        key.focus();
        key.select();
        copied.textContent = 'Could not copy automatically. The key is selected: press Ctrl+C (⌘C on a Mac).';
      }
    });
    const done = h('button', { type: 'button', className: 'btn btn-secondary' }, 'Done');
    const panel = h(
      'section',
      { className: 'card reveal', 'aria-labelledby': `${keyId}-title` },
      h('h2', { id: `${keyId}-title` }, `Token “${created.name}” created`),
      h('p', {}, 'Copy the key now. It is shown only this once; Gatehouse stores only its hash.'),
      h('label', { for: keyId }, 'Token key'),
      h('div', { className: 'key-row' }, key, copy),
      copied,
      h(
        'p',
        { className: 'muted' },
        created.expires ? h('span', {}, 'Expires ', formatDate(created.expires), '. ') : 'Never expires. ',
        'Use it as ',
        h('code', {}, 'Authorization: Token <key>'),
        '.',
      ),
      h('div', { className: 'form-actions' }, done),
    );
    done.addEventListener('click', () => {
      reveal.replaceChildren();
      name.control.focus();
    });
    queueMicrotask(() => key.select());
    return panel;
  }

  return [
    h(
      'p',
      { className: 'lead' },
      'Tokens let scripts and mobile apps call the API without your password. Revoke one and it stops working at once.',
    ),
    status,
    reveal,
    h('section', { className: 'card' }, h('h2', {}, 'New API token'), create.form),
    h(
      'section',
      { 'aria-label': 'Your API tokens' },
      h('h2', { className: 'section-title' }, 'Your tokens'),
      list.slot,
    ),
  ];
}

// ---------------------------------------------------------------------------
// The account's life: the links the account mails carry, and the account screen.

/** A link's uid or token that no longer works: say so in words, and what to do. */
function linkFailure(error: unknown, again: string): unknown {
  if (!(error instanceof ApiError) || error.status !== 400) return error;
  const data = error.data as Record<string, unknown> | null;
  if (!data || !('uid' in data || 'token' in data)) return error;
  return new ApiError(400, { detail: `This link is invalid or has expired. ${again}` });
}

function forgotScreen(): Node[] {
  const email = field('Email', 'email', { type: 'email', required: true, autocomplete: 'email' });
  const sent = h('div', { hidden: true });
  const { form } = apiForm({
    label: 'Reset your password',
    fields: [email],
    submit: 'Send reset link',
    onSubmit: async (values) => {
      await api('POST', '/auth/users/reset_password/', { email: values.email });
      flash(sent, {
        kind: 'success',
        text: `If an account uses ${values.email}, we have sent it a link to choose a new password. The link works once.`,
      });
      form.replaceWith(sent);
    },
  });
  return [
    h(
      'p',
      { className: 'lead' },
      'Enter the email address of your account, and we will send you a link to choose a new password.',
    ),
    h('section', { className: 'card narrow' }, sent, form),
    h('p', { className: 'muted' }, 'Remembered it? ', h('a', { href: '#/login' }, 'Log in')),
  ];
}

function resetConfirmScreen([uid, token]: string[]): Node[] {
  const password = field('New password', 'new_password', {
    type: 'password',
    required: true,
    autocomplete: 'new-password',
    hint: 'At least 8 characters, not a common password, not only digits.',
  });
  const { form } = apiForm({
    label: 'Choose a new password',
    fields: [password],
    submit: 'Set new password',
    onSubmit: async (values) => {
      try {
        await api('POST', '/auth/users/reset_password_confirm/', {
          uid,
          token,
          new_password: values.new_password,
        });
      } catch (error) {
        throw linkFailure(error, 'Ask for a new one with “Forgot your password?”.');
      }
      // Every session of the account has ended, this browser's too.
      state.user = null;
      await refreshCsrfToken();
      navigate('login', {
        kind: 'success',
        text: 'Your password has been changed. Log in with the new one.',
      });
    },
  });
  return [
    h(
      'p',
      { className: 'lead' },
      'Choose the new password for your account. Every device logged in to it will be logged out.',
    ),
    h('section', { className: 'card narrow' }, form),
  ];
}

/** A screen whose one button follows a mailed link (a button, so a mail scanner opening the link changes nothing). */
function linkScreen(opts: { lead: string; button: string; run: () => Promise<void> }): Node[] {
  const { form } = apiForm({ label: opts.button, fields: [], submit: opts.button, onSubmit: opts.run });
  return [h('p', { className: 'lead' }, opts.lead), h('section', { className: 'card narrow' }, form)];
}

function activateScreen([uid, token]: string[]): Node[] {
  return linkScreen({
    lead: 'One step left: activate your account, then log in.',
    button: 'Activate account',
    run: async () => {
      try {
        await api('POST', '/auth/users/activation/', { uid, token });
      } catch (error) {
        if (error instanceof ApiError && error.status === 403)
          throw new ApiError(403, {
            detail: 'This link has already been used. Log in, or ask the site for help.',
          });
        throw linkFailure(error, 'Register again, or ask the site for a new one.');
      }
      navigate(state.user ? 'dashboard' : 'login', {
        kind: 'success',
        text: 'Your account is active. Log in to continue.',
      });
    },
  });
}

function emailConfirmScreen([uid, token]: string[]): Node[] {
  return linkScreen({
    lead: 'Confirm that this address is the new address of your account.',
    button: 'Confirm email address',
    run: async () => {
      try {
        await api('POST', '/auth/users/email/confirm/', { uid, token });
      } catch (error) {
        throw linkFailure(error, 'Change your address again from your account.');
      }
      if (state.user) {
        const me = await api<AccountUser>('GET', '/auth/users/me/');
        state.user = { ...state.user, email: me.email };
        navigate('account', { kind: 'success', text: `Your email address is now ${me.email}.` });
      } else navigate('login', { kind: 'success', text: 'Your email address has been changed.' });
    },
  });
}

function accountScreen(): Node[] {
  const user = state.user!;
  const status = h('div', { hidden: true });

  const email = field('Email', 'email', { type: 'email', autocomplete: 'email', value: user.email });
  const emailForm = apiForm({
    label: 'Change email',
    fields: [email],
    submit: 'Change email',
    onSubmit: async (values) => {
      const me = await api<AccountUser>('PATCH', '/auth/users/me/', { email: values.email });
      state.user = { ...user, email: me.email };
      if (me.email.toLowerCase() === values.email.toLowerCase())
        flash(status, {
          kind: 'success',
          text: me.email
            ? `Your email address is now ${me.email}.`
            : 'Your account has no email address now.',
        });
      else
        flash(status, {
          kind: 'info',
          text: `We have sent a confirmation link to ${values.email}. Your address changes once you follow it; until then it stays ${me.email || 'empty'}.`,
        });
    },
  });

  const newUsername = field('New username', 'new_username', {
    required: true,
    autocomplete: 'username',
    maxlength: 150,
  });
  const usernamePassword = field('Current password', 'current_password', {
    type: 'password',
    required: true,
    autocomplete: 'current-password',
  });
  const usernameForm = apiForm({
    label: 'Change username',
    fields: [newUsername, usernamePassword],
    submit: 'Change username',
    onSubmit: async (values) => {
      await api('POST', '/auth/users/set_username/', values);
      const me = await api<AccountUser>('GET', '/auth/users/me/');
      state.user = { ...user, username: me.username };
      state.lastUsername = me.username;
      navigate('account', { kind: 'success', text: `Your username is now ${me.username}.` });
    },
  });

  const currentPassword = field('Current password', 'current_password', {
    type: 'password',
    required: true,
    autocomplete: 'current-password',
  });
  const newPassword = field('New password', 'new_password', {
    type: 'password',
    required: true,
    autocomplete: 'new-password',
    hint: 'Every other device logged in to your account will be logged out; this one stays.',
  });
  // API tokens survive a password change (as in DRF): a script keeps working. Say so, and offer to end them.
  const endTokensId = nextId('end_tokens');
  const endTokens = h('input', { type: 'checkbox', id: endTokensId, name: 'end_tokens' }) as HTMLInputElement;
  const endTokensField = h(
    'div',
    { className: 'field field-check' },
    endTokens,
    h('label', { for: endTokensId }, 'Also end my API tokens'),
    h(
      'p',
      { className: 'hint' },
      'Your API tokens keep working after a password change unless you tick this (or end them on the API tokens screen).',
    ),
  );
  const passwordForm = apiForm({
    label: 'Change password',
    fields: [currentPassword, newPassword],
    submit: 'Change password',
    onSubmit: async (values) => {
      const ending = endTokens.checked;
      await api('POST', '/auth/users/set_password/', { ...values, end_tokens: ending });
      passwordForm.reset();
      endTokens.checked = false;
      flash(status, {
        kind: 'success',
        text: ending
          ? 'Your password has been changed. Your other sessions and your API tokens have ended.'
          : 'Your password has been changed. Your other sessions have ended; your API tokens still work.',
      });
    },
  });
  passwordForm.form.insertBefore(endTokensField, passwordForm.form.querySelector('.form-actions'));

  const deletePassword = field('Current password', 'current_password', {
    type: 'password',
    required: true,
    autocomplete: 'current-password',
    hint: 'Your articles, sessions and API tokens go with your account. This cannot be undone.',
  });
  const deleteForm = apiForm({
    label: 'Delete account',
    fields: [deletePassword],
    submit: 'Delete account',
    danger: true,
    onSubmit: async (values) => {
      await api('DELETE', '/auth/users/me/', values);
      state.user = null;
      await refreshCsrfToken();
      navigate('login', { kind: 'success', text: `The account ${user.username} has been deleted.` });
    },
  });

  const section = (title: string, ...children: Child[]) =>
    h('section', { className: 'card', 'aria-label': title }, h('h2', {}, title), ...children);
  return [
    h('p', { className: 'lead' }, 'Your email address, username and password, and closing your account.'),
    status,
    section('Email address', emailForm.form),
    section(
      'Username',
      h('p', { className: 'muted' }, 'You are ', h('strong', {}, user.username), '.'),
      usernameForm.form,
    ),
    section('Password', passwordForm.form),
    section('Delete account', deleteForm.form),
  ];
}

// ---------------------------------------------------------------------------
// Two-factor authentication and passkeys (docs/mfa.md): the code step of the
// log-in screen, "Sign in with a passkey", and the Security screen. Kept
// together, apart from the rest, so the other screens stay as they were.

interface MfaStatus {
  mfa_enabled: boolean;
  created_at: string | null;
  last_used_at: string | null;
}

interface TotpActivation {
  secret: string;
  totp_url: string;
  qr_code_data_uri: string;
  activation_token: string;
}

interface PasskeyInfo {
  id: number;
  name: string;
  credential_id: string;
  created_at: string;
  last_used_at: string | null;
  transports: string[];
  discoverable: boolean | null;
}

type LoginAnswer = { user: User } | { ephemeral_token: string; mfa_required: true };

const MFA_REQUIRED = 'Two-factor authentication must be enabled for this account.';

/** The second step of a login: a TOTP code or a recovery code for the ephemeral token. */
function codeStep(ephemeralToken: string, startOver: () => void): HTMLElement {
  const code = field('Code', 'code', {
    required: true,
    autocomplete: 'one-time-code',
    maxlength: 9,
    hint: 'The 6-digit code from your authenticator app, or one of your recovery codes.',
  });
  const back = h(
    'button',
    { type: 'button', className: 'btn btn-secondary', onclick: startOver },
    'Start over',
  );
  const { form } = apiForm({
    label: 'Two-factor authentication',
    fields: [code],
    submit: 'Verify',
    actions: [back],
    onSubmit: async (values) => {
      const data = await api<{ user: User }>('POST', '/auth/mfa/verify/', {
        ephemeral_token: ephemeralToken,
        code: values.code,
      });
      await loggedIn(data.user);
    },
  });
  queueMicrotask(() => code.control.focus());
  return h('div', {}, h('h2', {}, 'Two-factor authentication'), form);
}

// WebAuthn speaks ArrayBuffers; the API speaks base64url (the JSON forms of the options and credentials).

function fromBase64url(text: string): ArrayBuffer {
  const base64 = text.replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function toBase64url(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

type CredentialDescriptorJson = { id: string; type: 'public-key'; transports?: AuthenticatorTransport[] };

function descriptors(list: CredentialDescriptorJson[] | undefined): PublicKeyCredentialDescriptor[] {
  return (list ?? []).map((c) => ({ type: c.type, id: fromBase64url(c.id), transports: c.transports }));
}

/** What `navigator.credentials` refused, in words, as an error the forms show. */
function webauthnFailure(error: unknown): ApiError {
  const name = error instanceof DOMException ? error.name : '';
  const text =
    name === 'NotAllowedError'
      ? 'The passkey request was cancelled or timed out.'
      : name === 'InvalidStateError'
        ? 'This authenticator already holds a passkey for this account.'
        : 'Your browser could not use a passkey here.';
  return new ApiError(0, { detail: text });
}

/** `navigator.credentials.create()` from the server's creation options, answered as the JSON the server reads. */
async function createPasskey(options: Record<string, unknown>): Promise<unknown> {
  const json = options as {
    challenge: string;
    user: { id: string; name: string; displayName: string };
    excludeCredentials?: CredentialDescriptorJson[];
  } & Record<string, unknown>;
  let credential: PublicKeyCredential;
  try {
    credential = (await navigator.credentials.create({
      publicKey: {
        ...(json as unknown as PublicKeyCredentialCreationOptions),
        challenge: fromBase64url(json.challenge),
        user: { ...json.user, id: fromBase64url(json.user.id) },
        excludeCredentials: descriptors(json.excludeCredentials),
      },
    })) as PublicKeyCredential;
  } catch (error) {
    throw webauthnFailure(error);
  }
  const response = credential.response as AuthenticatorAttestationResponse;
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment,
    response: {
      clientDataJSON: toBase64url(response.clientDataJSON),
      attestationObject: toBase64url(response.attestationObject),
      transports: response.getTransports ? response.getTransports() : [],
    },
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

/** `navigator.credentials.get()` from the server's request options, answered as the JSON the server reads. */
async function getPasskey(options: Record<string, unknown>): Promise<unknown> {
  const json = options as { challenge: string; allowCredentials?: CredentialDescriptorJson[] } & Record<
    string,
    unknown
  >;
  let credential: PublicKeyCredential;
  try {
    credential = (await navigator.credentials.get({
      publicKey: {
        ...(json as unknown as PublicKeyCredentialRequestOptions),
        challenge: fromBase64url(json.challenge),
        allowCredentials: descriptors(json.allowCredentials),
      },
    })) as PublicKeyCredential;
  } catch (error) {
    throw webauthnFailure(error);
  }
  const response = credential.response as AuthenticatorAssertionResponse;
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment,
    response: {
      clientDataJSON: toBase64url(response.clientDataJSON),
      authenticatorData: toBase64url(response.authenticatorData),
      signature: toBase64url(response.signature),
      userHandle: response.userHandle ? toBase64url(response.userHandle) : null,
    },
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

const passkeysSupported = () => typeof window.PublicKeyCredential === 'function';

/** "Sign in with a passkey": the discoverable flow, no username asked, no second step after it. */
function passkeySignInPanel(): Node {
  if (!passkeysSupported())
    return h('p', { className: 'muted' }, 'This browser cannot sign in with a passkey.');
  const status = h('div', { hidden: true });
  const button = actionButton(
    'Sign in with a passkey',
    { className: 'btn btn-secondary' },
    async () => {
      status.hidden = true;
      const { session_id, ...options } = await api<{ session_id: string } & Record<string, unknown>>(
        'POST',
        '/auth/passkeys/login/begin/',
        {},
      );
      const credential = await getPasskey(options);
      const data = await api<{ user: User }>('POST', '/auth/passkeys/login/complete/', {
        credential,
        session_id,
      });
      await loggedIn(data.user);
    },
    (error) => flash(status, { kind: 'error', text: errorSummary(error) }),
  );
  return h(
    'section',
    { className: 'card narrow passkey-signin', 'aria-label': 'Passkey' },
    status,
    h('p', {}, 'Have a passkey on this device or your phone? No password needed.'),
    button,
  );
}

function securityScreen(): Node[] {
  const status = h('div', { hidden: true });
  return [
    h(
      'p',
      { className: 'lead' },
      'Protect your account with a code from an authenticator app, and sign in with passkeys. ' +
        'Each change here asks for your password and logs out your other sessions.',
    ),
    status,
    twoFactorSection(status),
    passkeysSection(status),
  ];
}

/** The TOTP part of the Security screen: its state, setting it up, the recovery codes, turning it off. */
function twoFactorSection(status: HTMLElement): HTMLElement {
  const body = h('div', {});
  const section = h(
    'section',
    { className: 'card', 'aria-labelledby': 'two-factor-title' },
    h('h2', { id: 'two-factor-title' }, 'Two-factor authentication'),
    body,
  );
  const report = (error: unknown) => flash(status, { kind: 'error', text: errorSummary(error) });
  const { slot, reload } = loader(
    'two-factor status',
    () => api<MfaStatus>('GET', '/auth/mfa/status/'),
    (s, into) => {
      if (!s.mfa_enabled) {
        const setup = h('div', {});
        const begin = actionButton(
          'Set up two-factor authentication',
          { className: 'btn btn-primary' },
          async () => {
            const activation = await api<TotpActivation>('GET', '/auth/mfa/totp/activate/');
            setup.replaceChildren(setupPanel(activation));
            begin.hidden = true;
          },
          report,
        );
        into.append(
          h(
            'p',
            {},
            h('span', { className: 'badge badge-warn' }, 'Off'),
            ' Your password alone logs you in.',
          ),
          setup,
          begin,
        );
        return;
      }
      const codes = h('div', {});
      into.append(
        h(
          'p',
          {},
          h('span', { className: 'badge' }, 'On'),
          ' Since ',
          formatDate(s.created_at),
          '. Last used: ',
          formatDate(s.last_used_at),
          '.',
        ),
        codes,
        h(
          'div',
          { className: 'item-actions' },
          actionButton(
            'Show recovery codes',
            { className: 'btn btn-secondary' },
            async () => {
              const data = await api<{ codes: string[] }>('GET', '/auth/mfa/recovery-codes/');
              codes.replaceChildren(recoveryCodesPanel(data.codes, 'Your unused recovery codes'));
            },
            report,
          ),
        ),
        passwordForm(
          'New recovery codes',
          'Regenerate recovery codes',
          'The old codes stop working.',
          async (password) => {
            const data = await api<{ codes: string[] }>('POST', '/auth/mfa/recovery-codes/regenerate/', {
              current_password: password,
            });
            codes.replaceChildren(recoveryCodesPanel(data.codes, 'Your new recovery codes'));
          },
        ),
        passwordForm(
          'Turn off two-factor authentication',
          'Turn off two-factor authentication',
          'Your password alone will log you in again; your recovery codes are deleted.',
          async (password) => {
            await api('POST', '/auth/mfa/totp/deactivate/', { current_password: password });
            flash(status, { kind: 'success', text: 'Two-factor authentication is off.' });
            await reload();
          },
          'btn btn-danger',
        ),
      );
    },
  );

  /** Scan the QR code (or type the key), then confirm with a code and the password. */
  function setupPanel(activation: TotpActivation): HTMLElement {
    const code = field('Code from the app', 'code', {
      required: true,
      autocomplete: 'one-time-code',
      maxlength: 9,
      hint: 'The 6-digit code your app shows for Gatehouse.',
    });
    const password = field('Current password', 'current_password', {
      type: 'password',
      required: true,
      autocomplete: 'current-password',
    });
    const panel = h('div', { className: 'totp-setup' });
    const { form } = apiForm({
      label: 'Turn on two-factor authentication',
      fields: [code, password],
      submit: 'Turn on',
      onSubmit: async (values) => {
        const data = await api<{ recovery_codes: string[] }>('POST', '/auth/mfa/totp/activate/', {
          activation_token: activation.activation_token,
          code: values.code,
          current_password: values.current_password,
        });
        flash(status, { kind: 'success', text: 'Two-factor authentication is on.' });
        await reload();
        slot.prepend(recoveryCodesPanel(data.recovery_codes, 'Save your recovery codes'));
      },
    });
    panel.append(
      h('h3', {}, 'Scan this QR code with your authenticator app'),
      h('img', {
        className: 'qr-code',
        src: activation.qr_code_data_uri,
        alt: 'QR code of your two-factor secret, for an authenticator app',
        width: 200,
        height: 200,
      }),
      h(
        'p',
        {},
        'Cannot scan it? Enter this key: ',
        h('code', { className: 'totp-secret', 'aria-label': 'Secret key' }, activation.secret),
      ),
      form,
    );
    return panel;
  }

  body.append(slot);
  return section;
}

/** The recovery codes, shown after they are made (and on request): each works once. */
function recoveryCodesPanel(codes: string[], title: string): HTMLElement {
  const id = nextId('recovery');
  return h(
    'div',
    { className: 'reveal recovery', 'aria-labelledby': id },
    h('h3', { id }, title),
    h(
      'p',
      {},
      'Each code logs you in once if you lose your phone. Keep them somewhere safe, like a password manager.',
    ),
    codes.length === 0
      ? h('p', { className: 'empty' }, 'No unused recovery codes left. Regenerate them.')
      : h(
          'ul',
          { className: 'recovery-codes', 'aria-label': 'Recovery codes' },
          ...codes.map((c) => h('li', {}, h('code', {}, c))),
        ),
  );
}

/** A form with one "Current password" field, for the changes that need a fresh proof. */
function passwordForm(
  label: string,
  submit: string,
  hint: string,
  run: (password: string) => Promise<void>,
  className = 'btn btn-secondary',
): HTMLElement {
  const password = field('Current password', 'current_password', {
    type: 'password',
    required: true,
    autocomplete: 'current-password',
    hint,
  });
  const handle = apiForm({
    label,
    fields: [password],
    submit,
    onSubmit: async (values) => {
      await run(values.current_password);
      handle.reset();
    },
  });
  handle.form.querySelector('button[type="submit"]')?.setAttribute('class', className);
  return h('details', { className: 'sub-form' }, h('summary', {}, label), handle.form);
}

/** The passkeys part of the Security screen: add one, rename it, remove it. */
function passkeysSection(status: HTMLElement): HTMLElement {
  const list = loader(
    'passkeys',
    () => api<PasskeyInfo[]>('GET', '/auth/passkeys/'),
    (passkeys, into) => {
      if (passkeys.length === 0) {
        into.append(h('p', { className: 'empty' }, 'No passkeys yet.'));
        return;
      }
      into.append(h('ul', { className: 'passkeys', 'aria-label': 'Your passkeys' }, ...passkeys.map(item)));
    },
  );

  function item(p: PasskeyInfo): HTMLElement {
    const li = h('li', { className: 'passkey' });
    const show = () =>
      li.replaceChildren(
        h('strong', {}, p.name),
        h(
          'span',
          { className: 'meta' },
          ' · added ',
          formatDate(p.created_at),
          ' · last used ',
          formatDate(p.last_used_at),
        ),
        h(
          'div',
          { className: 'item-actions' },
          h(
            'button',
            {
              type: 'button',
              className: 'btn btn-secondary btn-small',
              'aria-label': `Rename passkey “${p.name}”`,
              onclick: rename,
            },
            'Rename',
          ),
          h(
            'button',
            {
              type: 'button',
              className: 'btn btn-danger btn-small',
              'aria-label': `Remove passkey “${p.name}”`,
              onclick: remove,
            },
            'Remove',
          ),
        ),
      );
    const cancel = () =>
      h('button', { type: 'button', className: 'btn btn-secondary', onclick: show }, 'Cancel');
    const rename = () => {
      const name = field('Passkey name', 'name', { required: true, maxlength: 255, value: p.name });
      const { form } = apiForm({
        label: `Rename passkey “${p.name}”`,
        fields: [name],
        submit: 'Save',
        actions: [cancel()],
        onSubmit: async (values) => {
          const data = await api<{ name: string }>('PATCH', `/auth/passkeys/${p.id}/`, { name: values.name });
          p = { ...p, name: data.name };
          flash(status, { kind: 'success', text: `Renamed the passkey to “${data.name}”.` });
          show();
        },
      });
      li.replaceChildren(form);
      name.control.focus();
    };
    const remove = () => {
      const password = field('Current password', 'current_password', {
        type: 'password',
        required: true,
        autocomplete: 'current-password',
        hint: `“${p.name}” will no longer sign you in.`,
      });
      const { form } = apiForm({
        label: `Remove passkey “${p.name}”`,
        fields: [password],
        submit: 'Remove passkey',
        actions: [cancel()],
        onSubmit: async (values) => {
          await api('DELETE', `/auth/passkeys/${p.id}/`, { current_password: values.current_password });
          flash(status, { kind: 'success', text: `Removed the passkey “${p.name}”.` });
          await list.reload();
        },
      });
      li.replaceChildren(form);
      password.control.focus();
    };
    show();
    return li;
  }

  const name = field('Passkey name', 'name', { maxlength: 255, hint: 'Optional, e.g. “Laptop”.' });
  const password = field('Current password', 'current_password', {
    type: 'password',
    required: true,
    autocomplete: 'current-password',
  });
  const add = apiForm({
    label: 'Add a passkey',
    fields: [name, password],
    submit: 'Add a passkey',
    onSubmit: async (values) => {
      const options = await api<Record<string, unknown>>('POST', '/auth/passkeys/register/begin/', {
        name: values.name,
      });
      const credential = await createPasskey(options);
      const created = await api<PasskeyInfo>('POST', '/auth/passkeys/register/complete/', {
        credential,
        name: values.name,
        current_password: values.current_password,
      });
      add.reset();
      flash(status, { kind: 'success', text: `Added the passkey “${created.name}”.` });
      await list.reload();
    },
  });
  return h(
    'section',
    { className: 'card', 'aria-labelledby': 'passkeys-title' },
    h('h2', { id: 'passkeys-title' }, 'Passkeys'),
    h(
      'p',
      { className: 'muted' },
      'A passkey signs you in with your fingerprint, face or device PIN — no password, no code.',
    ),
    list.slot,
    passkeysSupported()
      ? h('div', { className: 'sub-form' }, h('h3', {}, 'Add a passkey'), add.form)
      : h('p', { className: 'muted' }, 'This browser does not support passkeys.'),
  );
}

// ---------------------------------------------------------------------------
// Start: who am I, and a CSRF token for the first unsafe request.

async function start(): Promise<void> {
  try {
    const [me] = await Promise.all([api<{ user: User | null }>('GET', '/api/me/'), refreshCsrfToken()]);
    state.user = me.user;
  } catch (error) {
    state.notice = { kind: 'error', text: errorSummary(error) };
  }
  window.addEventListener('hashchange', () => render(true));
  render(false);
}

void start();
