/**
 * `GATEHOUSE_MFA_REQUIRED=staff` (CONTRACT "Two-factor authentication and
 * passkeys", beyond dj-rest-auth): a staff account without a second factor
 * answers 403 `Two-factor authentication must be enabled for this account.`
 * everywhere except the MFA setup endpoints, whatever credential it uses;
 * and the configuration of MFA and passkeys fails at start-up, in one line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigurationError, loadConfig } from '#gatehouse';
import { type Client, makeApp, type TestApp } from '../helpers/app.ts';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.ts';
import { enableTotp, PASSWORD } from '../helpers/mfa.ts';

const REQUIRED = '{"detail":"Two-factor authentication must be enabled for this account."}';

describe('GATEHOUSE_MFA_REQUIRED=staff', () => {
  let t: TestApp;
  let clock: FakeClock;
  before(async () => {
    clock = createFakeClock();
    t = await makeApp({ clock, env: { GATEHOUSE_MFA_REQUIRED: 'staff' } });
    await t.user('boss', PASSWORD, { isStaff: true });
    await t.user('root', PASSWORD);
    await t.gh.stores.users.update((await t.gh.accounts.getByUsername('root'))!.id, { isSuperuser: true });
    await t.user('worker');
  });
  after(() => t.close());

  async function session(username: string): Promise<Client> {
    const c = t.client();
    const res = await c.login(username);
    assert.equal(res.status, 200, 'logging in is allowed: it is how the factor gets set up');
    return c;
  }

  test('a staff session reaches only the setup endpoints; everything else is 403', async () => {
    const c = await session('boss');
    for (const path of [
      '/api/me/',
      '/api/dashboard/',
      '/api/profile/',
      '/api/sessions/',
      '/api/tokens/',
      '/api/admin/users/',
      '/auth/mfa/recovery-codes/',
    ]) {
      const res = await c.request('GET', path);
      assert.equal(res.status, 403, path);
      assert.equal(res.body, REQUIRED, path);
    }
    const create = await c.request('POST', '/api/tokens/', { json: { name: 'x' }, csrf: true });
    assert.equal(create.body, REQUIRED);
    const deactivate = await c.request('POST', '/auth/mfa/totp/deactivate/', {
      json: { code: '1' },
      csrf: true,
    });
    assert.equal(deactivate.body, REQUIRED);
    // The setup endpoints, the CSRF cookie, and logging out answer.
    assert.equal(
      (await c.request('GET', '/auth/mfa/status/')).body,
      '{"mfa_enabled":false,"created_at":null,"last_used_at":null}',
    );
    assert.equal((await c.request('GET', '/auth/mfa/totp/activate/')).status, 200);
    assert.equal((await c.request('GET', '/auth/passkeys/')).body, '[]');
    assert.equal(
      (await c.request('POST', '/auth/passkeys/register/begin/', { json: {}, csrf: true })).status,
      200,
    );
    assert.equal((await c.request('GET', '/api/csrf/')).status, 200);
    assert.equal((await c.request('POST', '/api/logout/', { csrf: true })).status, 200);
  });

  test('a staff token or JWT is refused alike, with 403 (not 401): the credential is good, the account is not ready', async () => {
    const key = (
      await t.client().request('POST', '/api-token-auth/', { json: { username: 'boss', password: PASSWORD } })
    ).json.token;
    const { access } = (
      await t.client().request('POST', '/api/token/', { json: { username: 'boss', password: PASSWORD } })
    ).json;
    for (const authorization of [`Token ${key}`, `Bearer ${access}`]) {
      const res = await t.client().request('GET', '/api/profile/', { headers: { authorization } });
      assert.equal(res.status, 403, authorization);
      assert.equal(res.body, REQUIRED);
      assert.equal(res.headers['www-authenticate'], undefined);
      const status = await t.client().request('GET', '/auth/mfa/status/', { headers: { authorization } });
      assert.equal(status.status, 200);
    }
  });

  test('a superuser counts as staff', async () => {
    const c = await session('root');
    assert.equal((await c.request('GET', '/api/me/')).body, REQUIRED);
  });

  test('other accounts are not affected', async () => {
    const c = await session('worker');
    assert.equal((await c.request('GET', '/api/dashboard/')).status, 200);
  });

  test('once TOTP is on, the same session reaches everything; logins ask for the code', async () => {
    await t.user('chief', PASSWORD, { isStaff: true });
    const c = await session('chief');
    assert.equal((await c.request('GET', '/api/dashboard/')).body, REQUIRED);
    const { app } = await enableTotp(c, clock);
    assert.equal(
      (await c.request('GET', '/api/dashboard/')).body,
      '{"message":"Hello chief, welcome to your dashboard"}',
    );
    const other = t.client();
    const started = await other.login('chief');
    assert.equal(started.json.mfa_required, true);
    await other.request('POST', '/auth/mfa/verify/', {
      json: { ephemeral_token: started.json.ephemeral_token, code: app.code(clock.now()) },
      csrf: true,
    });
    assert.equal((await other.request('GET', '/api/admin/users/')).status, 200);
  });

  test('the browsable API renders the refusal as a page, with its status', async () => {
    const c = await session('boss');
    const page = await c.request('GET', '/api/dashboard/', { headers: { accept: 'text/html' } });
    assert.equal(page.status, 403);
    assert.match(page.body, /Two-factor authentication must be enabled for this account\./);
  });
});

test('without GATEHOUSE_MFA_REQUIRED a staff account without a factor reaches everything', async () => {
  const t = await makeApp();
  try {
    await t.user('boss', PASSWORD, { isStaff: true });
    const c = t.client();
    await c.login('boss');
    assert.equal((await c.request('GET', '/api/admin/users/')).status, 200);
  } finally {
    await t.close();
  }
});

describe('configuration of MFA and passkeys (one-line errors at start-up)', () => {
  const env = (extra: Record<string, string>) => ({
    SECRET_KEY: 'k'.repeat(40),
    DATABASE_URL: 'sqlite:x.db',
    ...extra,
  });

  test("defaults: off, the request's host and origin, RP name Gatehouse", () => {
    const config = loadConfig(env({}), '/tmp');
    assert.equal(config.mfaRequired, 'off');
    assert.equal(config.webauthnRpId, null);
    assert.equal(config.webauthnRpName, 'Gatehouse');
    assert.deepEqual(config.webauthnOrigins, []);
  });

  test('values are read', () => {
    const config = loadConfig(
      env({
        GATEHOUSE_MFA_REQUIRED: 'staff',
        GATEHOUSE_WEBAUTHN_RP_ID: 'example.com',
        GATEHOUSE_WEBAUTHN_RP_NAME: 'Example Corp',
        GATEHOUSE_WEBAUTHN_ORIGINS: 'https://example.com, https://app.example.com:8443',
      }),
      '/tmp',
    );
    assert.equal(config.mfaRequired, 'staff');
    assert.equal(config.webauthnRpId, 'example.com');
    assert.equal(config.webauthnRpName, 'Example Corp');
    assert.deepEqual(config.webauthnOrigins, ['https://example.com', 'https://app.example.com:8443']);
  });

  for (const [name, value, message] of [
    ['GATEHOUSE_MFA_REQUIRED', 'yes', 'GATEHOUSE_MFA_REQUIRED: expected one of off, staff, all, got "yes"'],
    [
      'GATEHOUSE_WEBAUTHN_RP_ID',
      'https://example.com',
      'GATEHOUSE_WEBAUTHN_RP_ID: expected a domain such as example.com (no scheme, port or path), got "https://example.com"',
    ],
    [
      'GATEHOUSE_WEBAUTHN_RP_ID',
      'example.com:8000',
      'GATEHOUSE_WEBAUTHN_RP_ID: expected a domain such as example.com (no scheme, port or path), got "example.com:8000"',
    ],
    [
      'GATEHOUSE_WEBAUTHN_RP_NAME',
      'Acme: Admin',
      `GATEHOUSE_WEBAUTHN_RP_NAME: at most 64 printable characters and no ':' (it is also the TOTP issuer), got "Acme: Admin"`,
    ],
    [
      'GATEHOUSE_WEBAUTHN_ORIGINS',
      'https://example.com/',
      'GATEHOUSE_WEBAUTHN_ORIGINS: expected origins such as https://example.com (scheme, host, optional port; no path or trailing slash), got "https://example.com/"',
    ],
    [
      'GATEHOUSE_WEBAUTHN_ORIGINS',
      'example.com',
      'GATEHOUSE_WEBAUTHN_ORIGINS: expected origins such as https://example.com (scheme, host, optional port; no path or trailing slash), got "example.com"',
    ],
  ]) {
    test(`${name}=${value}`, () => {
      assert.throws(
        () => loadConfig(env({ [name]: value }), '/tmp'),
        (error: unknown) =>
          error instanceof ConfigurationError && error.message === message && !message.includes('\n'),
      );
    });
  }
});
