/**
 * The browser app and the session/CSRF contract in real Chromium, against the
 * reference server started as `npm start` would (test/helpers/server.ts).
 *
 * Skipped when GATEHOUSE_TEST_CHROMIUM=0 (scripts/test.ts sets it when no
 * Chromium is installed). GATEHOUSE_SCREENSHOT=1 also writes docs/screenshot.png.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import { CHROMIUM_SKIP, launchChromium } from '../helpers/chromium.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

const SCREENSHOT = process.env.GATEHOUSE_SCREENSHOT === '1';
const SCREENSHOT_PATH = fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url));
const TOKEN_KEY = /^gth_[A-Za-z0-9]{38}$/;
const PASSWORD = 'correct-horse-battery-staple';

describe('the browser app in Chromium', { skip: CHROMIUM_SKIP }, () => {
  let server: RunningServer;
  let browser: Browser;
  let attacker: Attacker;
  /** The app's origin; the attacker's "same-site" page shares its host (127.0.0.1) on another port. */
  let app: string;

  before(
    async () => {
      // Keep whatever did start, so `after` can stop it even when another part failed.
      const [started, launched, listening] = await Promise.allSettled([
        startServer(),
        launchChromium(),
        startAttacker(),
      ]);
      if (started.status === 'fulfilled') server = started.value;
      if (launched.status === 'fulfilled') browser = launched.value;
      if (listening.status === 'fulfilled') attacker = listening.value;
      for (const result of [started, launched, listening])
        if (result.status === 'rejected') throw result.reason;
      app = server.url;
    },
    { timeout: 45_000 },
  );

  after(
    async () => {
      // A wedged Chromium must not hold the suite open: give it 10 s, then move on.
      await Promise.allSettled([within(10_000, browser?.close()), server?.stop(), attacker?.close()]);
    },
    { timeout: 30_000 },
  );

  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    context.setDefaultTimeout(10_000);
    return context;
  }

  test('register, log in, dashboard, articles, API tokens, sessions, browsable API, log out', {
    timeout: 30_000,
  }, async () => {
    const context = await newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app });
    const page = await context.newPage();
    const problems = watch(page);
    const unsafe = unsafeRequests(page);
    try {
      await page.goto(`${app}/`);
      await heading(page, 'Log in');
      const nav = page.getByRole('navigation', { name: 'Main' });

      // Register: the server's password validators show under the field.
      await nav.getByRole('link', { name: 'Register' }).click();
      await heading(page, 'Register');
      const registerForm = page.getByRole('form', { name: 'Register' });
      await registerForm.getByLabel('Username').fill('alice');
      await registerForm.getByLabel('Email').fill('alice@example.com');
      await registerForm.getByLabel('Password').fill('12345678');
      await registerForm.getByRole('button', { name: 'Register' }).click();
      await registerForm.getByText('This password is entirely numeric.').waitFor();
      await registerForm.getByLabel('Password').fill(PASSWORD);
      await registerForm.getByRole('button', { name: 'Register' }).click();

      // Registering does not log in; a wrong password shows the API's error.
      await heading(page, 'Log in');
      await page.getByRole('status').getByText('Account alice created. Log in to continue.').waitFor();
      const loginForm = page.getByRole('form', { name: 'Log in' });
      assert.equal(await loginForm.getByLabel('Username').inputValue(), 'alice');
      await loginForm.getByLabel('Password').fill('not-the-password');
      await loginForm.getByRole('button', { name: 'Log in' }).click();
      await loginForm.getByRole('alert').getByText('Invalid credentials').waitFor();

      const csrfBefore = await cookie(context, 'csrftoken');
      assert.match(csrfBefore ?? '', /^[A-Za-z0-9]{32}$/, 'the app fetched /api/csrf/ on start');
      await loginForm.getByLabel('Password').fill(PASSWORD);
      await loginForm.getByRole('button', { name: 'Log in' }).click();

      // Dashboard: the message of /api/dashboard/.
      await heading(page, 'Dashboard');
      await page.getByText('Hello alice, welcome to your dashboard').waitFor();
      const csrfAfter = await cookie(context, 'csrftoken');
      assert.ok(csrfAfter && csrfAfter !== csrfBefore, 'login rotates the CSRF cookie');
      assert.ok(await cookie(context, 'sessionid'), 'login sets sessionid');
      assert.doesNotMatch(await page.evaluate(() => document.cookie), /sessionid/, 'sessionid is HttpOnly');

      // Articles: create, edit, delete (every unsafe request carries X-CSRFToken).
      await nav.getByRole('link', { name: 'Articles' }).click();
      await heading(page, 'Articles');
      const compose = page.getByRole('form', { name: 'New article' });
      await compose.getByLabel('Title').fill('Hello from Chromium');
      await compose.getByLabel('Body').fill('Written through the session API.');
      await compose.getByRole('button', { name: 'Create article' }).click();
      const item = articleItem(page, 'Hello from Chromium');
      await item.waitFor();
      assert.equal(await compose.getByLabel('Title').inputValue(), '', 'the form is cleared after creating');
      const [created] = await getJson<Article[]>(`${app}/api/articles/`);
      assert.deepEqual(
        { title: created.title, body: created.body, author: created.author },
        { title: 'Hello from Chromium', body: 'Written through the session API.', author: 'alice' },
      );

      await item.getByRole('button', { name: 'Edit' }).click();
      const editForm = page.getByRole('form', { name: 'Edit “Hello from Chromium”' });
      await editForm.getByLabel('Title').fill('Hello from Chromium, edited');
      await editForm.getByLabel('Body').fill('Edited in place with PUT /api/articles/<id>/.');
      await editForm.getByRole('button', { name: 'Save' }).click();
      const edited = articleItem(page, 'Hello from Chromium, edited');
      await edited.getByText('Edited in place with PUT /api/articles/<id>/.').waitFor();
      const afterEdit = await getJson<Article>(`${app}/api/articles/${created.id}/`);
      assert.equal(afterEdit.title, 'Hello from Chromium, edited');
      assert.equal(afterEdit.body, 'Edited in place with PUT /api/articles/<id>/.');

      // Every value is escaped: markup in a title or body stays text and runs nothing.
      await compose.getByLabel('Title').fill('<img src=x onerror="window.__pwned=1">');
      await compose.getByLabel('Body').fill('<b>bold?</b>');
      await compose.getByRole('button', { name: 'Create article' }).click();
      const markup = articleItem(page, '<img src=x onerror="window.__pwned=1">');
      await markup.getByText('<b>bold?</b>').waitFor();
      assert.equal(await page.locator('#content img, #content b').count(), 0);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      await markup.getByRole('button', { name: 'Delete' }).click();
      await markup.waitFor({ state: 'detached' });

      if (SCREENSHOT) await takeScreenshot(page, compose);

      await edited.getByRole('button', { name: 'Delete' }).click();
      await edited.waitFor({ state: 'detached' });
      await page.getByRole('status').getByText('Deleted “Hello from Chromium, edited”.').waitFor();
      const remaining = await getJson<Article[]>(`${app}/api/articles/`);
      assert.ok(!remaining.some((a) => a.id === created.id), 'the article is gone from the API');

      // API tokens: the key is shown once, works as `Authorization: Token`, and dies on revoke.
      await nav.getByRole('link', { name: 'API tokens' }).click();
      await heading(page, 'API tokens');
      const tokenForm = page.getByRole('form', { name: 'New API token' });
      await tokenForm.getByLabel('Token name').fill('backup script');
      await tokenForm.getByLabel('Expires').selectOption({ label: '30 days' });
      await tokenForm.getByRole('button', { name: 'Create token' }).click();
      const keyField = page.getByLabel('Token key');
      await keyField.waitFor();
      const key = await keyField.inputValue();
      assert.match(key, TOKEN_KEY);
      await page.getByRole('button', { name: 'Copy' }).click();
      await page.getByText('Copied to the clipboard.').waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
      const row = page.getByRole('row').filter({ hasText: 'backup script' });
      await row.waitFor();

      const profile = await fetch(`${app}/api/profile/`, { headers: { authorization: `Token ${key}` } });
      assert.equal(profile.status, 200);
      assert.deepEqual(await profile.json(), { username: 'alice', email: 'alice@example.com' });
      const listed = await page.evaluate(() => fetch('/api/tokens/').then((r) => r.text()));
      assert.ok(!listed.includes(key), 'GET /api/tokens/ never returns a key');

      await page.getByRole('button', { name: 'Done' }).click();
      await keyField.waitFor({ state: 'detached' });
      await nav.getByRole('link', { name: 'Dashboard' }).click();
      await nav.getByRole('link', { name: 'API tokens' }).click();
      await row.waitFor();
      assert.ok(!(await page.content()).includes(key), 'the key is shown only once');

      await row.getByRole('button', { name: 'Revoke' }).click();
      await page.getByText('No API tokens yet.').waitFor();
      const revoked = await fetch(`${app}/api/profile/`, { headers: { authorization: `Token ${key}` } });
      assert.equal(revoked.status, 401);
      assert.deepEqual(await revoked.json(), { detail: 'Invalid token.' });

      // A second browser (a second session) is listed, and revoking it from here logs it out.
      const other = await newContext();
      try {
        const otherPage = await other.newPage();
        const otherProblems = watch(otherPage);
        await otherPage.goto(`${app}/`);
        await logIn(otherPage, 'alice', PASSWORD);
        await otherPage.getByText('Hello alice, welcome to your dashboard').waitFor();

        await nav.getByRole('link', { name: 'Sessions' }).click();
        await heading(page, 'Sessions');
        const sessionRows = page.getByRole('row').filter({ has: page.getByRole('cell') });
        await page.getByRole('button', { name: 'Revoke' }).waitFor();
        assert.equal(await sessionRows.count(), 2);
        const current = sessionRows.filter({ hasText: 'This session' });
        assert.equal(await current.count(), 1);
        assert.equal(
          await current.getByRole('button').count(),
          0,
          'the current session has no Revoke button',
        );
        await page.getByRole('button', { name: 'Revoke' }).click();
        await page.getByRole('status').getByText('Revoked the session').waitFor();
        await page.getByRole('button', { name: 'Revoke' }).waitFor({ state: 'detached' });
        assert.equal(await sessionRows.count(), 1);

        assert.deepEqual(await otherPage.evaluate(() => fetch('/api/me/').then((r) => r.json())), {
          user: null,
        });
        // The revoked browser's next authenticated call sends it back to the login screen.
        await otherPage
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Sessions' })
          .click();
        await heading(otherPage, 'Log in');
        await otherPage.getByText('Your session has ended. Please log in again.').waitFor();
        assert.deepEqual(otherProblems, []);
      } finally {
        await other.close();
      }

      // The browsable API: a browser's GET of /api/profile/ renders HTML with the user and the JSON.
      const response = await page.goto(`${app}/api/profile/`);
      assert.equal(response?.status(), 200);
      assert.match(response?.headers()['content-type'] ?? '', /^text\/html/);
      await heading(page, 'Profile');
      await page.locator('header').getByText('alice', { exact: true }).waitFor();
      const shown = (await page.locator('pre').textContent()) ?? '';
      assert.match(shown, /HTTP 200 OK/);
      assert.match(shown, /"username": "alice"/);
      assert.match(shown, /"email": "alice@example.com"/);

      // Log out: the session dies on the server and the app returns to the login screen.
      await page.goto(`${app}/#/dashboard`);
      await heading(page, 'Dashboard');
      await page.getByRole('button', { name: 'Log out' }).click();
      await heading(page, 'Log in');
      await page.getByRole('status').getByText('You have been logged out.').waitFor();
      assert.equal(await cookie(context, 'sessionid'), null);
      assert.deepEqual(await page.evaluate(() => fetch('/api/me/').then((r) => r.json())), { user: null });
      assert.deepEqual(problems, []);

      // Every unsafe request the app sent was same-origin, credentialed by the cookie, with
      // X-CSRFToken and a JSON body type (register ×2, login ×2, articles ×5, tokens ×2, sessions, logout).
      assert.ok(unsafe.length >= 13, `saw ${unsafe.length} unsafe requests`);
      for (const request of unsafe) {
        assert.match(request.csrf, /^[A-Za-z0-9]{32}([A-Za-z0-9]{32})?$/, `${request.line} sent X-CSRFToken`);
        assert.equal(request.contentType, 'application/json', `${request.line} sent Content-Type`);
      }
    } finally {
      await context.close();
    }
  });

  test('AUTH-04, AUTH-06: the log-in form shows the API’s 429 message once the account is throttled', {
    timeout: 30_000,
  }, async () => {
    const throttled = await startServer({ GATEHOUSE_LOGIN_RATE: '2/min' });
    const context = await newContext();
    try {
      await registerUser(throttled.url, 'dave', PASSWORD);
      const page = await context.newPage();
      const problems = watch(page);
      await page.goto(`${throttled.url}/`);
      const form = page.getByRole('form', { name: 'Log in' });
      const alert = form.getByRole('alert');
      await form.getByLabel('Username').fill('dave');
      for (let attempt = 0; attempt < 2; attempt++) {
        await form.getByLabel('Password').fill('not-the-password');
        await form.getByRole('button', { name: 'Log in' }).click();
        await alert.getByText('Invalid credentials').waitFor();
      }
      // The right password does not get through either while the bucket is full.
      await form.getByLabel('Password').fill(PASSWORD);
      await form.getByRole('button', { name: 'Log in' }).click();
      await alert.getByText('Request was throttled.').waitFor();
      assert.match(
        (await alert.textContent()) ?? '',
        /^Request was throttled\. Expected available in \d+ seconds?\.$/,
      );
      assert.equal(await cookie(context, 'sessionid'), null);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
      await throttled.stop();
    }
  });

  test('CSRF-01, CSRF-06: a page on another origin cannot post to the API with the user’s cookies', {
    timeout: 30_000,
  }, async () => {
    await registerUser(app, 'bob', PASSWORD);
    const context = await newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${app}/`);
      await logIn(page, 'bob', PASSWORD);
      await page.getByText('Hello bob, welcome to your dashboard').waitFor();

      // Same site (127.0.0.1, another port): SameSite=Lax cookies do go along, so only the
      // CSRF check stands between the page and the API — even after the page has tossed
      // its own csrftoken cookie (cookies ignore ports) and sends the matching form field.
      const sameSite = await attack(
        page,
        attacker,
        attacker.sameSite,
        '/api/articles/',
        { title: 'pwned' },
        true,
      );
      assert.equal(sameSite.form.status, 403);
      assert.ok(sameSite.form.sentSession, 'the same-site form POST carried the session cookie');
      assert.match(
        sameSite.formPage,
        /CSRF Failed: Origin checking failed - http:\/\/127\.0\.0\.1:\d+ does not match any trusted origins\./,
      );
      assert.ok(sameSite.simpleFetch, 'the no-cors fetch reached the server');
      assert.ok(
        [403, 415].includes(sameSite.simpleFetch.status),
        `simple fetch answered ${sameSite.simpleFetch.status}`,
      );
      assert.match(
        sameSite.script.jsonFetch,
        /^TypeError/,
        'a JSON fetch needs a CORS preflight, which fails',
      );

      // Cross site (localhost vs 127.0.0.1): the browser does not even send the Lax cookies.
      const crossSite = await attack(
        page,
        attacker,
        attacker.crossSite,
        '/api/articles/',
        { title: 'pwned' },
        false,
      );
      assert.equal(crossSite.form.status, 403);
      assert.equal(crossSite.form.sentSession, false);
      assert.match(
        crossSite.formPage,
        /Authentication credentials were not provided\./,
        'the server saw no session',
      );
      assert.match(crossSite.script.jsonFetch, /^TypeError/);

      const articles = await getJson<Article[]>(`${app}/api/articles/`);
      assert.deepEqual(
        articles.filter((a) => a.author === 'bob' || a.title === 'pwned'),
        [],
        'no article was created',
      );
      await page.goto(`${app}/`);
      await page.getByText('Hello bob, welcome to your dashboard').waitFor();
      assert.deepEqual(
        (await page.evaluate(() => fetch('/api/me/').then((r) => r.json()))).user.username,
        'bob',
      );
    } finally {
      await context.close();
    }
  });

  test('CSRF-11: a page on another origin cannot log the browser in or out (login CSRF)', {
    timeout: 30_000,
  }, async () => {
    await registerUser(app, 'mallory', PASSWORD);
    await registerUser(app, 'carol', PASSWORD);
    const context = await newContext();
    const page = await context.newPage();
    try {
      // An anonymous victim who has the app open (and so a csrftoken cookie).
      await page.goto(`${app}/`);
      await heading(page, 'Log in');
      for (const path of ['/api/login/', '/api-auth/login/']) {
        const result = await attack(
          page,
          attacker,
          attacker.sameSite,
          path,
          { username: 'mallory', password: PASSWORD },
          true,
        );
        assert.equal(result.form.status, 403, `${path} answered ${result.form.status}`);
        assert.equal(await cookie(context, 'sessionid'), null, `${path} set no session`);
      }
      // (The page now shows an API response, whose CSP lets it fetch nothing: ask with the context's cookies.)
      assert.deepEqual(await whoAmI(context, app), { user: null });

      // Nor can it log a logged-in victim out (forced logout).
      await page.goto(`${app}/`);
      await logIn(page, 'carol', PASSWORD);
      await page.getByText('Hello carol, welcome to your dashboard').waitFor();
      const session = await cookie(context, 'sessionid');
      for (const path of ['/api/logout/', '/api-auth/logout/']) {
        const result = await attack(page, attacker, attacker.sameSite, path, {}, true);
        assert.equal(result.form.status, 403, `${path} answered ${result.form.status}`);
        assert.equal(await cookie(context, 'sessionid'), session);
      }
      assert.equal((await whoAmI(context, app)).user?.username, 'carol');
    } finally {
      await context.close();
    }
  });
});

interface Article {
  id: number;
  title: string;
  body: string;
  author: string;
  created: string;
}

function within<T>(ms: number, promise: Promise<T> | undefined): Promise<T | undefined> {
  let cancel = () => {};
  const timeout = new Promise<undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    cancel = () => clearTimeout(timer);
  });
  return Promise.race([promise, timeout]).finally(cancel);
}

async function heading(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

function articleItem(page: Page, title: string): Locator {
  return page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 2, name: title, exact: true }) });
}

async function logIn(page: Page, username: string, password: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Log in' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Log in' }).click();
  await heading(page, 'Dashboard');
}

async function cookie(context: BrowserContext, name: string): Promise<string | null> {
  return (await context.cookies()).find((c) => c.name === name)?.value ?? null;
}

/** `GET /api/me/` with the browser context's cookies, whatever page it shows. */
async function whoAmI(context: BrowserContext, app: string): Promise<{ user: { username: string } | null }> {
  const res = await context.request.get(`${app}/api/me/`, { headers: { accept: 'application/json' } });
  return res.json();
}

async function getJson<T = unknown>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  assert.equal(res.status, 200, `GET ${url}`);
  return (await res.json()) as T;
}

/** Registers a user the way any client would: a CSRF token from /api/csrf/, then POST /api/register/. */
async function registerUser(app: string, username: string, password: string): Promise<void> {
  const csrf = await fetch(`${app}/api/csrf/`);
  const cookies = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${app}/api/register/`, {
    method: 'POST',
    headers: { cookie: cookies, 'x-csrftoken': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 201, await res.text());
}

/** Page errors, CSP violations and console errors other than HTTP error statuses the app handles. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs every non-2xx fetch (400, 401, …) and the favicon's 404; the app shows those itself.
    if (message.text().startsWith('Failed to load resource')) return;
    problems.push(`console: ${message.text()}`);
  });
  return problems;
}

/** The app's own POST, PUT, PATCH and DELETE requests, with their CSRF header. */
function unsafeRequests(page: Page): { line: string; csrf: string; contentType: string }[] {
  const seen: { line: string; csrf: string; contentType: string }[] = [];
  page.on('request', (request) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method()) || request.resourceType() !== 'fetch') return;
    const headers = request.headers();
    seen.push({
      line: `${request.method()} ${new URL(request.url()).pathname}`,
      csrf: headers['x-csrftoken'] ?? '',
      contentType: headers['content-type'] ?? '',
    });
  });
  return seen;
}

async function takeScreenshot(page: Page, compose: Locator): Promise<void> {
  for (const [title, body] of [
    [
      'Session authentication, as Django does it',
      'A sessionid cookie (HttpOnly, SameSite=Lax) and X-CSRFToken on every unsafe request.',
    ],
    ['Tokens for scripts', 'Create one under API tokens; the key is shown once and stored only as a hash.'],
  ]) {
    await compose.getByLabel('Title').fill(title);
    await compose.getByLabel('Body').fill(body);
    await compose.getByRole('button', { name: 'Create article' }).click();
    await articleItem(page, title).waitFor();
  }
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: SCREENSHOT_PATH });
}

// ---------------------------------------------------------------------------
// The attacker: a plain node:http server on another port of 127.0.0.1.

interface Attacker {
  /** `http://127.0.0.1:<port>`: the app's site (same host), another origin. */
  sameSite: string;
  /** `http://localhost:<port>`: another site altogether. */
  crossSite: string;
  serve(path: string, html: string): void;
  /** What the page at `path` reported (it POSTs to `/report<path>` on its own origin). */
  report(path: string): string | undefined;
  close(): Promise<void>;
}

async function startAttacker(): Promise<Attacker> {
  const pages = new Map<string, string>();
  const reports = new Map<string, string>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://attacker').pathname;
    if (req.method === 'POST' && path.startsWith('/report/')) {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        reports.set(path.slice('/report'.length), body);
        res.writeHead(204).end();
      });
      return;
    }
    const html = pages.get(path);
    if (html === undefined) res.writeHead(404).end();
    else
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    sameSite: `http://127.0.0.1:${port}`,
    crossSite: `http://localhost:${port}`,
    serve: (path, html) => pages.set(path, html),
    report: (path) => reports.get(path),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Observed {
  status: number;
  sentSession: boolean;
}

interface AttackResult {
  /** The auto-submitted form POST (a top-level navigation). */
  form: Observed;
  /** What the browser rendered for the form POST's answer. */
  formPage: string;
  /** The `mode: 'no-cors'` text/plain fetch, when it reached the server (Chromium reports no cookies for it). */
  simpleFetch: { status: number } | null;
  /** What the attacker's script saw. */
  script: { simpleFetch: string; jsonFetch: string };
}

let attackCount = 0;

/**
 * Opens an attacker page that (1) tosses a csrftoken cookie and uses it as
 * the form token, when asked, (2) fires a credentialed no-cors text/plain
 * fetch and a credentialed JSON fetch at `path`, then (3) auto-submits a
 * form POST there. Reports what reached the app server and what it answered.
 */
async function attack(
  page: Page,
  attacker: Attacker,
  origin: string,
  path: string,
  fields: Record<string, string>,
  tossCookie: boolean,
): Promise<AttackResult> {
  const app = new URL(page.url()).origin;
  const target = `${app}${path}`;
  const tossed = 'AttackerChosenCsrfSecret00000000'.slice(0, 32);
  const form = { ...fields, ...(tossCookie ? { csrfmiddlewaretoken: tossed } : {}) };
  const pagePath = `/attack-${++attackCount}`;
  const script = `
    (async () => {
      const target = ${JSON.stringify(target)};
      const results = {};
      ${tossCookie ? `document.cookie = 'csrftoken=${tossed}; path=/; SameSite=Lax';` : ''}
      const body = ${JSON.stringify(JSON.stringify(fields))};
      try {
        await fetch(target, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body });
        results.simpleFetch = 'sent';
      } catch (error) { results.simpleFetch = String(error); }
      try {
        const res = await fetch(target, { method: 'POST', credentials: 'include',
          headers: { 'Content-Type': 'application/json', 'X-CSRFToken': ${JSON.stringify(tossed)} }, body });
        results.jsonFetch = 'status ' + res.status;
      } catch (error) { results.jsonFetch = String(error); }
      await fetch('/report${pagePath}', { method: 'POST', body: JSON.stringify(results) });
      document.getElementById('f').submit();
    })();`;
  const inputs = Object.entries(form)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
    .join('');
  attacker.serve(
    pagePath,
    `<!DOCTYPE html><title>Win a prize</title><form id="f" method="POST" action="${target}">${inputs}</form><script>${script}</script>`,
  );

  const seen: { form: Observed | null; simpleFetch: { status: number } | null } = {
    form: null,
    simpleFetch: null,
  };
  const pending: Promise<void>[] = [];
  const onResponse = (response: Response) => {
    const request = response.request();
    if (request.method() !== 'POST' || request.url() !== target) return;
    if (request.resourceType() === 'fetch') seen.simpleFetch ??= { status: response.status() };
    if (request.resourceType() !== 'document') return;
    // allHeaders() carries the Cookie header Chromium actually sent for a navigation.
    pending.push(
      request.allHeaders().then((headers) => {
        seen.form = {
          status: response.status(),
          sentSession: /(^|;\s*)sessionid=/.test(headers.cookie ?? ''),
        };
      }),
    );
  };
  page.on('response', onResponse);
  try {
    await page.goto(`${origin}${pagePath}`);
    await page.waitForURL(target, { waitUntil: 'load' });
    await Promise.all(pending);
    const formPage = (await page.locator('body').textContent()) ?? '';
    assert.ok(seen.form, `the form POST to ${path} was observed`);
    return {
      form: seen.form,
      formPage,
      simpleFetch: seen.simpleFetch,
      script: JSON.parse(attacker.report(pagePath) ?? '{}'),
    };
  } finally {
    page.off('response', onResponse);
  }
}
