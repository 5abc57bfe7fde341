/**
 * The account's life in the browser app, in real Chromium, against the
 * reference server started as `npm start` would, mailing through a real SMTP
 * server started here: register, read the activation mail, follow its link,
 * log in; forget the password, follow the reset link, log in with the new
 * one; change the e-mail address (by its link), the username and the
 * password; delete the account.
 *
 * Skipped when GATEHOUSE_TEST_CHROMIUM=0. GATEHOUSE_SCREENSHOT=1 also writes
 * docs/accounts-activate.png, docs/accounts-reset-confirm.png and docs/accounts-account.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_SKIP, launchChromium } from '../helpers/chromium.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';
import { type ReceivedMail, type RunningSmtpServer, startSmtpServer } from '../helpers/smtp.ts';

const SCREENSHOT = process.env.GATEHOUSE_SCREENSHOT === '1';
const docs = (name: string) => fileURLToPath(new URL(`../../docs/${name}`, import.meta.url));
const PASSWORD = 'correct-horse-battery-staple';
const NEW_PASSWORD = 'a-brand-new-passphrase';

describe('the account flows in Chromium, through a real mailbox', { skip: CHROMIUM_SKIP }, () => {
  let server: RunningServer;
  let smtp: RunningSmtpServer;
  let browser: Browser;
  let app: string;

  before(
    async () => {
      smtp = await startSmtpServer({ starttls: false });
      const [started, launched] = await Promise.allSettled([
        startServer({
          GATEHOUSE_EMAIL_URL: `smtp://127.0.0.1:${smtp.port}`,
          GATEHOUSE_EMAIL_FROM: 'Gatehouse <noreply@example.com>',
          GATEHOUSE_SEND_ACTIVATION_EMAIL: '1',
          // Both tests mail from 127.0.0.1: more than the default three an hour.
          GATEHOUSE_EMAIL_RATE: '20/hour',
          GATEHOUSE_SECURITY_LOG: 'off',
        }),
        launchChromium(),
      ]);
      if (started.status === 'fulfilled') server = started.value;
      if (launched.status === 'fulfilled') browser = launched.value;
      for (const result of [started, launched]) if (result.status === 'rejected') throw result.reason;
      app = server.url;
    },
    { timeout: 45_000 },
  );

  after(
    async () => {
      await Promise.allSettled([within(10_000, browser?.close()), server?.stop(), smtp?.stop()]);
    },
    { timeout: 30_000 },
  );

  async function newPage(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        problems.push(`console: ${message.text()}`);
    });
    return { context, page, problems };
  }

  /** The next mail to `to` with `subject`, once the server has sent it (the reset mail follows the answer). */
  async function mailTo(to: string, subject: string, after = 0): Promise<ReceivedMail> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = smtp.messages.slice(after).find((m) => m.rcptTo.includes(to) && m.subject === subject);
      if (found) return found;
      assert.ok(Date.now() < deadline, `no mail "${subject}" to ${to} within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The one link in a mail's text part that opens the app. */
  function linkIn(mail: ReceivedMail): string {
    const match = new RegExp(`^${app.replace(/[.]/g, '\\.')}/#/\\S+$`, 'm').exec(mail.text);
    assert.ok(match, `no link to ${app} in:\n${mail.text}`);
    return match[0];
  }

  test('register, activate from the mailed link, log in; forget the password, reset it from the mailed link, log in', {
    timeout: 60_000,
  }, async () => {
    const { context, page, problems } = await newPage();
    try {
      await page.goto(`${app}/`);
      await heading(page, 'Log in');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Register' }).click();
      const register = page.getByRole('form', { name: 'Register' });
      await register.getByLabel('Username').fill('alice');
      await register.getByLabel('Email').fill('alice@example.com');
      await register.getByLabel('Password').fill(PASSWORD);
      await register.getByRole('button', { name: 'Register' }).click();
      await heading(page, 'Log in');
      await page
        .getByRole('status')
        .getByText(
          'Account alice created. We have sent an activation link to alice@example.com: follow it, then log in.',
        )
        .waitFor();

      // Not active yet: the password alone does not log in.
      const login = page.getByRole('form', { name: 'Log in' });
      await login.getByLabel('Password').fill(PASSWORD);
      await login.getByRole('button', { name: 'Log in' }).click();
      await login.getByRole('alert').getByText('Invalid credentials').waitFor();

      // The activation mail, as alice receives it, and its link.
      const activation = await mailTo('alice@example.com', `Account activation on 127.0.0.1:${server.port}`);
      assert.equal(activation.headers.from, 'Gatehouse <noreply@example.com>');
      const activationLink = linkIn(activation);
      assert.match(activationLink, /\/#\/activate\/[\w-]+\/[\w-]+$/);
      await page.goto(activationLink);
      await heading(page, 'Activate your account');
      if (SCREENSHOT) await screenshot(page, 'accounts-activate.png');
      await page.getByRole('button', { name: 'Activate account' }).click();
      await heading(page, 'Log in');
      await page.getByRole('status').getByText('Your account is active. Log in to continue.').waitFor();
      await logIn(page, 'alice', PASSWORD);
      await page.getByText('Hello alice, welcome to your dashboard').waitFor();

      // The same link again: used.
      await page.goto(activationLink);
      await page.getByRole('button', { name: 'Activate account' }).click();
      await page
        .getByRole('alert')
        .getByText('This link has already been used. Log in, or ask the site for help.')
        .waitFor();

      // Log out, then "Forgot your password?" from the log-in screen.
      await page.goto(`${app}/#/dashboard`);
      await page.getByRole('button', { name: 'Log out' }).click();
      await heading(page, 'Log in');
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await heading(page, 'Forgot your password?');
      const before = smtp.messages.length;
      const forgot = page.getByRole('form', { name: 'Reset your password' });
      await forgot.getByLabel('Email').fill('alice@example.com');
      await forgot.getByRole('button', { name: 'Send reset link' }).click();
      await page
        .getByRole('status')
        .getByText(
          'If an account uses alice@example.com, we have sent it a link to choose a new password. The link works once.',
        )
        .waitFor();
      const reset = await mailTo('alice@example.com', `Password reset on 127.0.0.1:${server.port}`, before);
      assert.match(reset.text, /^Your username, in case you've forgotten: alice$/m);
      const resetLink = linkIn(reset);
      assert.match(resetLink, /\/#\/password\/reset\/confirm\/[\w-]+\/[\w-]+$/);
      await page.goto(resetLink);
      await heading(page, 'Choose a new password');
      const choose = page.getByRole('form', { name: 'Choose a new password' });
      await choose.getByLabel('New password').fill('alice123x');
      await choose.getByRole('button', { name: 'Set new password' }).click();
      await choose.getByText('The password is too similar to the username.').waitFor();
      await choose.getByLabel('New password').fill(NEW_PASSWORD);
      if (SCREENSHOT) await screenshot(page, 'accounts-reset-confirm.png');
      await choose.getByRole('button', { name: 'Set new password' }).click();
      await heading(page, 'Log in');
      await page
        .getByRole('status')
        .getByText('Your password has been changed. Log in with the new one.')
        .waitFor();

      const loginAgain = page.getByRole('form', { name: 'Log in' });
      await loginAgain.getByLabel('Username').fill('alice');
      await loginAgain.getByLabel('Password').fill(PASSWORD);
      await loginAgain.getByRole('button', { name: 'Log in' }).click();
      await loginAgain.getByRole('alert').getByText('Invalid credentials').waitFor();
      await logIn(page, 'alice', NEW_PASSWORD);

      // The reset link is spent.
      await page.goto(`${app}/#/dashboard`);
      await page.getByRole('button', { name: 'Log out' }).click();
      await heading(page, 'Log in');
      await page.goto(resetLink);
      const spent = page.getByRole('form', { name: 'Choose a new password' });
      await spent.getByLabel('New password').fill('yet-another-passphrase');
      await spent.getByRole('button', { name: 'Set new password' }).click();
      await spent
        .getByRole('alert')
        .getByText('This link is invalid or has expired. Ask for a new one with “Forgot your password?”.')
        .waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the account screen: change the e-mail address by its link, the username and the password; delete the account', {
    timeout: 60_000,
  }, async () => {
    const { context, page, problems } = await newPage();
    try {
      // An account made and activated over the API, as another client would.
      const created = await fetch(`${app}/auth/users/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bob', password: PASSWORD, email: 'bob@example.com' }),
      });
      assert.equal(created.status, 201);
      const activation = linkIn(
        await mailTo('bob@example.com', `Account activation on 127.0.0.1:${server.port}`),
      );
      const [, uid, token] = /#\/activate\/([\w-]+)\/([\w-]+)$/.exec(activation)!;
      const activated = await fetch(`${app}/auth/users/activation/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ uid, token }),
      });
      assert.equal(activated.status, 204);

      await page.goto(`${app}/`);
      await logIn(page, 'bob', PASSWORD);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
      await heading(page, 'Account');
      if (SCREENSHOT) await screenshot(page, 'accounts-account.png', { fullPage: true });

      // E-mail: a link to the new address; the old one stays until it is followed.
      const before = smtp.messages.length;
      const emailForm = page.getByRole('form', { name: 'Change email' });
      assert.equal(await emailForm.getByLabel('Email').inputValue(), 'bob@example.com');
      await emailForm.getByLabel('Email').fill('robert@example.com');
      await emailForm.getByRole('button', { name: 'Change email' }).click();
      await page
        .getByRole('status')
        .getByText(
          'We have sent a confirmation link to robert@example.com. Your address changes once you follow it; until then it stays bob@example.com.',
        )
        .waitFor();
      const confirm = await mailTo(
        'robert@example.com',
        `Confirm your new email address on 127.0.0.1:${server.port}`,
        before,
      );
      await page.goto(linkIn(confirm));
      await heading(page, 'Confirm your new email address');
      await page.getByRole('button', { name: 'Confirm email address' }).click();
      await heading(page, 'Account');
      await page.getByRole('status').getByText('Your email address is now robert@example.com.').waitFor();

      // Username: a wrong current password is refused under its field.
      const usernameForm = page.getByRole('form', { name: 'Change username' });
      await usernameForm.getByLabel('New username').fill('robert');
      await usernameForm.getByLabel('Current password').fill('not-my-password');
      await usernameForm.getByRole('button', { name: 'Change username' }).click();
      await usernameForm.getByText('Invalid password.').waitFor();
      await usernameForm.getByLabel('Current password').fill(PASSWORD);
      await usernameForm.getByRole('button', { name: 'Change username' }).click();
      await page.getByRole('status').getByText('Your username is now robert.').waitFor();
      await page.getByText('Signed in as robert').waitFor();

      // Password: this session stays; the API tokens too, unless the box says otherwise (issue 8.10).
      const passwordForm = page.getByRole('form', { name: 'Change password' });
      await passwordForm.getByText('Your API tokens keep working after a password change').waitFor();
      assert.equal(await passwordForm.getByLabel('Also end my API tokens').isChecked(), false);
      await passwordForm.getByLabel('Current password').fill(PASSWORD);
      await passwordForm.getByLabel('New password').fill(NEW_PASSWORD);
      await passwordForm.getByRole('button', { name: 'Change password' }).click();
      await page
        .getByRole('status')
        .getByText(
          'Your password has been changed. Your other sessions have ended; your API tokens still work.',
        )
        .waitFor();
      const me = await context.request.get(`${app}/auth/users/me/`, {
        headers: { accept: 'application/json' },
      });
      assert.deepEqual(
        { status: me.status(), username: (await me.json()).username },
        { status: 200, username: 'robert' },
      );

      // Delete: with the current password, and then nobody is logged in.
      const deleteForm = page.getByRole('form', { name: 'Delete account' });
      await deleteForm.getByLabel('Current password').fill(NEW_PASSWORD);
      await deleteForm.getByRole('button', { name: 'Delete account' }).click();
      await heading(page, 'Log in');
      await page.getByRole('status').getByText('The account robert has been deleted.').waitFor();
      const gone = await fetch(`${app}/auth/token/login/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'robert', password: NEW_PASSWORD }),
      });
      assert.equal(gone.status, 400);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

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

async function logIn(page: Page, username: string, password: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Log in' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Log in' }).click();
  await heading(page, 'Dashboard');
}

async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: docs(name), ...options });
}
