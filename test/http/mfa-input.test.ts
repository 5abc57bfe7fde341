/**
 * Bad input on the MFA and passkey endpoints (CONTRACT "Conventions": bad
 * input never yields 5xx; issues 8.1 and 8.7): a NUL, a lone surrogate, a
 * value of the wrong type and a near-1 MiB value in every field, and in the
 * path parameter, each answer 4xx — on SQLite and on PostgreSQL, whose text
 * columns refuse NUL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { enableTotp, PASSWORD } from '../helpers/mfa.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/pg-database.ts';

const BAD_VALUES: [string, unknown][] = [
  ['a NUL', 'a\u0000b'],
  ['a lone surrogate', 'a\ud800b'],
  ['a number', 123456],
  ['an object', { a: 1 }],
  ['a list', ['x']],
  ['1 MB of text', 'x'.repeat(1_000_000)],
];

/** Each endpoint, how it is reached, and a valid body whose fields are spoiled one at a time. */
const ENDPOINTS: {
  method: string;
  path: string;
  auth: 'token' | 'session' | 'csrf' | 'none';
  body: Record<string, unknown>;
}[] = [
  {
    method: 'POST',
    path: '/auth/mfa/verify/',
    auth: 'none',
    body: { ephemeral_token: 'A'.repeat(43), code: '123456' },
  },
  {
    method: 'POST',
    path: '/auth/mfa/totp/activate/',
    auth: 'session',
    body: { activation_token: 'v1.x.y', code: '123456', current_password: PASSWORD },
  },
  {
    method: 'POST',
    path: '/auth/mfa/totp/deactivate/',
    auth: 'token',
    body: { code: '123456', current_password: PASSWORD },
  },
  {
    method: 'POST',
    path: '/auth/mfa/recovery-codes/regenerate/',
    auth: 'token',
    body: { code: '123456', current_password: PASSWORD },
  },
  { method: 'POST', path: '/auth/passkeys/register/begin/', auth: 'token', body: { name: 'Laptop' } },
  {
    method: 'POST',
    path: '/auth/passkeys/register/complete/',
    auth: 'token',
    body: {
      credential: { id: 'AA', rawId: 'AA', type: 'public-key', response: {} },
      name: 'x',
      current_password: PASSWORD,
    },
  },
  { method: 'POST', path: '/auth/passkeys/login/begin/', auth: 'none', body: { username: 'alice' } },
  {
    method: 'POST',
    path: '/auth/passkeys/login/complete/',
    auth: 'csrf',
    body: {
      credential: { id: 'AA', rawId: 'AA', type: 'public-key', response: {} },
      session_id: 'f'.repeat(32),
    },
  },
  { method: 'PATCH', path: '/auth/passkeys/1/', auth: 'token', body: { name: 'Phone' } },
  { method: 'DELETE', path: '/auth/passkeys/1/', auth: 'token', body: { current_password: PASSWORD } },
];

function suite(name: string, env: () => Promise<{ env: Record<string, string>; done(): Promise<void> }>) {
  describe(`bad input on the MFA and passkey endpoints: ${name}`, () => {
    let t: TestApp;
    let done: () => Promise<void>;
    let token: string;
    before(async () => {
      const setup = await env();
      done = setup.done;
      const clock = createFakeClock();
      t = await makeApp({
        clock,
        env: { ...setup.env, GATEHOUSE_LOGIN_RATE: '100000/min', GATEHOUSE_LOGIN_ADDRESS_RATE: '100000/min' },
      });
      // alice has TOTP (so deactivation and regeneration read their fields); bob has not (so activation does).
      await t.user('alice');
      await t.user('bob');
      const c = t.client();
      await c.login('alice');
      const { recoveryCodes } = await enableTotp(c, clock);
      const started = await t.client().request('POST', '/api-token-auth/', {
        json: { username: 'alice', password: PASSWORD },
      });
      const done2 = await t.client().request('POST', '/auth/mfa/verify/', {
        json: { ephemeral_token: started.json.ephemeral_token, code: recoveryCodes[0] },
      });
      token = done2.json.token;
      assert.match(token, /^gth_/);
    });
    after(async () => {
      await t?.close();
      await done?.();
    });

    for (const endpoint of ENDPOINTS) {
      test(`${endpoint.method} ${endpoint.path}: every field spoiled answers 4xx, never 5xx`, async () => {
        for (const field of Object.keys(endpoint.body)) {
          for (const [label, value] of BAD_VALUES) {
            const c = t.client();
            const headers: Record<string, string> = {};
            if (endpoint.auth === 'token') headers.authorization = `Token ${token}`;
            if (endpoint.auth === 'session') await c.login('bob');
            if (endpoint.auth === 'csrf') await c.primeCsrf();
            const res = await c.request(endpoint.method, endpoint.path, {
              json: { ...endpoint.body, [field]: value },
              headers,
              csrf: endpoint.auth === 'csrf' || endpoint.auth === 'session',
            });
            // DRF's CharField takes a number as its string; everything else here is refused.
            const ok = typeof value === 'number' ? res.status < 500 : res.status >= 400 && res.status < 500;
            assert.ok(ok, `${field} = ${label}: ${res.status} ${res.body.slice(0, 200)}`);
          }
        }
      });
    }

    test('the passkey id in the path: a NUL, a surrogate, a huge number answer 404', async () => {
      for (const id of ['%00', '%ED%A0%80', '9'.repeat(40), '1e3', '-1']) {
        const res = await t
          .client()
          .request('GET', `/auth/passkeys/${id}/`, { headers: { authorization: `Token ${token}` } });
        assert.equal(res.status, 404, id);
      }
    });
  });
}

suite('SQLite', async () => ({ env: {}, done: async () => {} }));

const skip = await postgresSkipReason();
if (skip) test('bad input on the MFA and passkey endpoints: PostgreSQL', { skip }, () => {});
else
  suite('PostgreSQL', async () => {
    const db = await createTestDatabase();
    return { env: { DATABASE_URL: db.url }, done: () => db.drop() };
  });
