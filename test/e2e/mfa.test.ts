/**
 * Two-factor authentication and passkeys in real Chromium, from the SPA's own
 * origin, against the reference server started as `npm start` would
 * (CONTRACT "Two-factor authentication and passkeys"; the "Done when"):
 * set up TOTP from the QR code's secret, log in with password and code, with
 * a recovery code once (a second use fails), register a passkey (Chrome's
 * virtual authenticator over the DevTools protocol), sign in with it alone,
 * remove it and no longer sign in with it.
 *
 * The SPA runs on http://localhost:PORT: WebAuthn needs a secure context
 * (localhost is one) and a domain as the relying party id (not 127.0.0.1).
 * Skipped when GATEHOUSE_TEST_CHROMIUM=0. GATEHOUSE_SCREENSHOT=1 also writes
 * docs/mfa-security.png and docs/mfa-login.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TOTP } from 'otpauth';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { CHROMIUM_SKIP, launchChromium } from '../helpers/chromium.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

const SCREENSHOT = process.env.GATEHOUSE_SCREENSHOT === '1';
const docs = (name: string) => fileURLToPath(new URL(`../../docs/${name}`, import.meta.url));
const PASSWORD = 'correct-horse-battery-staple';

describe('two-factor authentication and passkeys in Chromium', { skip: CHROMIUM_SKIP }, () => {
  let server: RunningServer;
  let browser: Browser;
  let app: string;

  before(
    async () => {
      const [started, launched] = await Promise.allSettled([startServer(), launchChromium()]);
      if (started.status === 'fulfilled') server = started.value;
      if (launched.status === 'fulfilled') browser = launched.value;
      for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;
      app = server.url.replace('127.0.0.1', 'localhost');
      await registerUser(app, 'alice', PASSWORD);
    },
    { timeout: 45_000 },
  );

  after(
    async () => {
      await Promise.allSettled([within(10_000, browser?.close()), server?.stop()]);
    },
    { timeout: 30_000 },
  );

  test('TOTP from the QR code, the code step, a recovery code once, a passkey alone, a removed passkey', {
    timeout: 60_000,
  }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const problems = watch(page);
    // Chrome's virtual authenticator: a platform authenticator with resident keys and user verification.
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    try {
      await page.goto(`${app}/`);
      await heading(page, 'Log in');
      await logIn(page, 'alice', PASSWORD);
      await heading(page, 'Dashboard');

      // Security: set up TOTP with the secret shown beside the QR code.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
      await heading(page, 'Security');
      const twoFactor = page.getByRole('region', { name: 'Two-factor authentication' });
      await twoFactor.getByText('Your password alone logs you in.').waitFor();
      await twoFactor.getByRole('button', { name: 'Set up two-factor authentication' }).click();
      const qr = twoFactor.getByRole('img', { name: /QR code/ });
      await qr.waitFor();
      assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
      assert.ok(
        await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
        'the QR code is drawn',
      );
      const secret = (await twoFactor.getByLabel('Secret key').textContent()) ?? '';
      assert.match(secret, /^[A-Z2-7]{32}$/);
      const totp = new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 });
      const setup = page.getByRole('form', { name: 'Turn on two-factor authentication' });
      await setup.getByLabel('Code from the app').fill(totp.generate());
      await setup.getByLabel('Current password').fill(PASSWORD);
      if (SCREENSHOT) await shot(page, 'mfa-setup.png');
      await setup.getByRole('button', { name: 'Turn on' }).click();
      const codes = page.getByRole('list', { name: 'Recovery codes' });
      await codes.waitFor();
      const recoveryCodes = (await codes.getByRole('listitem').allTextContents()).map((c) => c.trim());
      assert.equal(recoveryCodes.length, 10);
      for (const code of recoveryCodes) assert.match(code, /^[0-9a-z]{4}-[0-9a-z]{4}$/);
      await page.getByRole('status').getByText('Two-factor authentication is on.').waitFor();

      // Log out, log in with password and code. The activating code is spent: the app's next one
      // (one step ahead, inside the ±1 window) is what a user waiting a moment would type.
      await logOut(page);
      await logIn(page, 'alice', PASSWORD);
      const step = page.getByRole('form', { name: 'Two-factor authentication' });
      await step.waitFor();
      if (SCREENSHOT) await shot(page, 'mfa-login.png');
      await step.getByLabel('Code').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
      await step.getByRole('button', { name: 'Verify' }).click();
      await heading(page, 'Dashboard');

      // A recovery code logs in once; the second use is refused.
      await logOut(page);
      await logIn(page, 'alice', PASSWORD);
      await step.getByLabel('Code').fill(recoveryCodes[0]);
      await step.getByRole('button', { name: 'Verify' }).click();
      await heading(page, 'Dashboard');
      await logOut(page);
      await logIn(page, 'alice', PASSWORD);
      await step.getByLabel('Code').fill(recoveryCodes[0]);
      await step.getByRole('button', { name: 'Verify' }).click();
      await step.getByText('Invalid code.').waitFor();
      await step.getByLabel('Code').fill(recoveryCodes[1]);
      await step.getByRole('button', { name: 'Verify' }).click();
      await heading(page, 'Dashboard');

      // Register a passkey, rename it.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
      await heading(page, 'Security');
      const add = page.getByRole('form', { name: 'Add a passkey' });
      await add.getByLabel('Passkey name').fill('Laptop');
      await add.getByLabel('Current password').fill(PASSWORD);
      await add.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByRole('status').getByText('Added the passkey “Laptop”.').waitFor();
      const passkeys = page.getByRole('list', { name: 'Your passkeys' });
      await passkeys.getByText('Laptop').waitFor();
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      assert.equal(credentials.length, 1);
      assert.equal(credentials[0].isResidentCredential, true);
      await passkeys.getByRole('button', { name: 'Rename passkey “Laptop”' }).click();
      const rename = page.getByRole('form', { name: 'Rename passkey “Laptop”' });
      await rename.getByLabel('Passkey name').fill('Work laptop');
      await rename.getByRole('button', { name: 'Save' }).click();
      await passkeys.getByText('Work laptop').waitFor();
      await page.getByRole('region', { name: 'Two-factor authentication' }).getByText(/Since/).waitFor();
      if (SCREENSHOT) {
        await page.getByRole('button', { name: 'Show recovery codes' }).click();
        await page.getByRole('list', { name: 'Recovery codes' }).waitFor();
        await shot(page, 'mfa-security.png');
      }

      // Log out; sign in with the passkey alone: no password, no code.
      await logOut(page);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await heading(page, 'Dashboard');
      assert.equal((await whoAmI(page)).user?.username, 'alice');

      // Remove it: it no longer signs in (the authenticator still holds it; the server does not).
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
      await passkeys.getByRole('button', { name: 'Remove passkey “Work laptop”' }).click();
      const remove = page.getByRole('form', { name: 'Remove passkey “Work laptop”' });
      await remove.getByLabel('Current password').fill(PASSWORD);
      await remove.getByRole('button', { name: 'Remove passkey' }).click();
      await page.getByRole('status').getByText('Removed the passkey “Work laptop”.').waitFor();
      await page.getByText('No passkeys yet.').waitFor();
      await logOut(page);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page
        .getByRole('region', { name: 'Passkey' })
        .getByRole('alert')
        .getByText('Authentication verification failed: Credential not found')
        .waitFor();
      assert.equal((await whoAmI(page)).user, null);

      // Turn two-factor authentication off: the password alone logs in again.
      await logIn(page, 'alice', PASSWORD);
      await step.getByLabel('Code').fill(recoveryCodes[2]);
      await step.getByRole('button', { name: 'Verify' }).click();
      await heading(page, 'Dashboard');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
      const turnOff = page.getByRole('group').filter({ hasText: 'Turn off two-factor authentication' });
      await turnOff.getByText('Turn off two-factor authentication').first().click();
      const off = page.getByRole('form', { name: 'Turn off two-factor authentication' });
      await off.getByLabel('Current password').fill(PASSWORD);
      await off.getByRole('button', { name: 'Turn off two-factor authentication' }).click();
      await page.getByRole('status').getByText('Two-factor authentication is off.').waitFor();
      await logOut(page);
      await logIn(page, 'alice', PASSWORD);
      await heading(page, 'Dashboard');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

async function heading(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** Fills the log-in form and submits it; the caller waits for what comes next. */
async function logIn(page: Page, username: string, password: string): Promise<void> {
  await heading(page, 'Log in');
  const form = page.getByRole('form', { name: 'Log in' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Log in' }).click();
}

async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await heading(page, 'Log in');
}

/** `GET /api/me/` with the page's cookies. */
async function whoAmI(page: Page): Promise<{ user: { username: string } | null }> {
  return page.evaluate(async () =>
    (await fetch('/api/me/', { headers: { accept: 'application/json' } })).json(),
  );
}

async function registerUser(app: string, username: string, password: string): Promise<void> {
  const csrf = await fetch(`${app}/api/csrf/`);
  const cookies = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${app}/api/register/`, {
    method: 'POST',
    headers: { cookie: cookies, 'x-csrftoken': csrfToken, 'content-type': 'application/json', origin: app },
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
    if (message.text().startsWith('Failed to load resource')) return;
    problems.push(`console: ${message.text()}`);
  });
  return problems;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: docs(name), fullPage: true });
}

function within<T>(ms: number, promise: Promise<T> | undefined): Promise<T | undefined> {
  let cancel = () => {};
  const timeout = new Promise<undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    cancel = () => clearTimeout(timer);
  });
  return Promise.race([promise, timeout]).finally(cancel);
}
