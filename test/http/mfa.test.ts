/**
 * TOTP and recovery codes over HTTP (CONTRACT "Two-factor authentication and
 * passkeys"): every row of the table, every error string, literally, and the
 * rules beyond dj-rest-auth that govern a change of factors — a fresh proof
 * (`current_password` or `code`), and the user's other sessions ended.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import QRCode from 'qrcode';
import { type Client, makeApp, type Reply, type TestApp } from '../helpers/app.ts';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.ts';
import { enableTotp, PASSWORD, scan } from '../helpers/mfa.ts';

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$/;
const CODE = /^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/;

describe('TOTP and recovery codes (CONTRACT "Two-factor authentication and passkeys")', () => {
  let t: TestApp;
  let clock: FakeClock;
  let serial = 0;
  before(async () => {
    clock = createFakeClock(Date.UTC(2026, 10, 22, 12, 0, 0));
    t = await makeApp({ clock, env: { GATEHOUSE_LOGIN_ADDRESS_RATE: '10000/min' } });
  });
  after(() => t.close());

  /** A new user, logged in through the session login. */
  async function loggedIn(): Promise<{ c: Client; username: string }> {
    const username = `u${++serial}`;
    await t.user(username);
    const c = t.client();
    await c.login(username);
    return { c, username };
  }

  const post = (c: Client, path: string, json: unknown) => c.request('POST', path, { json, csrf: true });

  async function begin(c: Client): Promise<Reply> {
    const res = await c.request('GET', '/auth/mfa/totp/activate/');
    assert.equal(res.status, 200, res.body);
    return res;
  }

  describe('GET /auth/mfa/totp/activate/', () => {
    test('answers the secret, its otpauth:// URL, the QR code of that URL and an activation token', async () => {
      const { c, username } = await loggedIn();
      const res = await begin(c);
      assert.deepEqual(Object.keys(res.json), ['secret', 'totp_url', 'qr_code_data_uri', 'activation_token']);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.json.secret, /^[A-Z2-7]{32}$/);
      assert.equal(
        res.json.totp_url,
        `otpauth://totp/Gatehouse:${username}?secret=${res.json.secret}&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30`,
      );
      assert.equal(
        scan(res.json.totp_url).secret,
        res.json.secret,
        'an authenticator app reads the same secret',
      );
      // The image is the QR code of exactly that URL, drawn by the qrcode library.
      const expected = await QRCode.toString(res.json.totp_url, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 4,
      });
      assert.equal(
        res.json.qr_code_data_uri,
        `data:image/svg+xml;base64,${Buffer.from(expected).toString('base64')}`,
      );
      assert.ok(
        !res.json.activation_token.includes(res.json.secret),
        'the token does not carry the secret in clear',
      );
      const again = await begin(c);
      assert.notEqual(again.json.secret, res.json.secret, 'a new secret each time');
    });

    test('needs a logged-in user', async () => {
      const res = await t.client().request('GET', '/auth/mfa/totp/activate/');
      assert.equal(res.status, 403);
      assert.equal(res.body, '{"detail":"Authentication credentials were not provided."}');
    });
  });

  describe('POST /auth/mfa/totp/activate/', () => {
    test('the right code and password: 200 with ten recovery codes; status says on', async () => {
      const { c } = await loggedIn();
      const begun = await begin(c);
      const app = scan(begun.json.totp_url);
      const res = await post(c, '/auth/mfa/totp/activate/', {
        activation_token: begun.json.activation_token,
        code: app.code(clock.now()),
        current_password: PASSWORD,
      });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(Object.keys(res.json), ['recovery_codes']);
      assert.equal(res.json.recovery_codes.length, 10);
      for (const code of res.json.recovery_codes) assert.match(code, CODE);
      assert.equal(new Set(res.json.recovery_codes).size, 10);
      const status = await c.request('GET', '/auth/mfa/status/');
      assert.equal(
        status.body,
        '{"mfa_enabled":true,"created_at":"2026-11-22T12:00:00Z","last_used_at":null}',
      );
      clock.advance(30_000);
    });

    test("every error string, in dj-rest-auth's order", async () => {
      const { c } = await loggedIn();
      const begun = await begin(c);
      const app = scan(begun.json.totp_url);
      const token = begun.json.activation_token;
      const cases: [unknown, string][] = [
        [
          {},
          '{"activation_token":["This field is required."],"code":["This field is required."],"current_password":["This field is required."]}',
        ],
        [
          { activation_token: 'v1.AAAA.BBBB', code: '123456', current_password: PASSWORD },
          '{"activation_token":["Invalid or expired activation token."]}',
        ],
        [
          { activation_token: token, code: app.code(clock.now()), current_password: 'wrong-password' },
          '{"current_password":["Invalid password."]}',
        ],
        [
          { activation_token: token, code: app.code(clock.now() + 120_000), current_password: PASSWORD },
          '{"code":["Invalid code. Please check your authenticator app and try again."]}',
        ],
        [
          { activation_token: token, code: 'abcdef', current_password: PASSWORD },
          '{"code":["Invalid code. Please check your authenticator app and try again."]}',
        ],
      ];
      for (const [json, body] of cases) {
        const res = await post(c, '/auth/mfa/totp/activate/', json);
        assert.equal(res.status, 400, JSON.stringify(json));
        assert.equal(res.body, body);
      }
      assert.equal((await c.request('GET', '/auth/mfa/status/')).json.mfa_enabled, false);
    });

    test('an activation token of another user, or older than 300 s, is "Invalid or expired activation token."', async () => {
      const alice = await loggedIn();
      const bob = await loggedIn();
      const bobs = await begin(bob.c);
      const app = scan(bobs.json.totp_url);
      const stolen = await post(alice.c, '/auth/mfa/totp/activate/', {
        activation_token: bobs.json.activation_token,
        code: app.code(clock.now()),
        current_password: PASSWORD,
      });
      assert.equal(stolen.body, '{"activation_token":["Invalid or expired activation token."]}');
      clock.advance(300_000);
      const late = await post(bob.c, '/auth/mfa/totp/activate/', {
        activation_token: bobs.json.activation_token,
        code: app.code(clock.now()),
        current_password: PASSWORD,
      });
      assert.equal(late.body, '{"activation_token":["Invalid or expired activation token."]}');
    });

    test('already on: 400 {"detail":"MFA is already enabled. …"} before any field is read', async () => {
      const { c } = await loggedIn();
      await enableTotp(c, clock);
      const res = await post(c, '/auth/mfa/totp/activate/', {});
      assert.equal(res.status, 400);
      assert.equal(res.body, '{"detail":"MFA is already enabled. Deactivate it before activating again."}');
    });

    test("AUTH-09: a wrong current_password counts as a failed login (429 after the account's five)", async () => {
      const { c, username } = await loggedIn();
      const begun = await begin(c);
      for (let i = 0; i < 5; i++) {
        const res = await post(c, '/auth/mfa/totp/activate/', {
          activation_token: begun.json.activation_token,
          code: '123456',
          current_password: `wrong-${i}`,
        });
        assert.equal(res.body, '{"current_password":["Invalid password."]}');
      }
      const throttled = await post(c, '/auth/mfa/totp/activate/', {
        activation_token: begun.json.activation_token,
        code: '123456',
        current_password: PASSWORD,
      });
      assert.equal(throttled.status, 429);
      const login = await t
        .client()
        .request('POST', '/api/token/', { json: { username, password: PASSWORD } });
      assert.equal(login.status, 429, 'the login buckets are the same');
      clock.advance(60_000);
    });
  });

  describe('GET /auth/mfa/status/', () => {
    test('off: {"mfa_enabled":false,"created_at":null,"last_used_at":null}; last use follows logins', async () => {
      const { c, username } = await loggedIn();
      assert.equal(
        (await c.request('GET', '/auth/mfa/status/')).body,
        '{"mfa_enabled":false,"created_at":null,"last_used_at":null}',
      );
      const { app, recoveryCodes } = await enableTotp(c, clock);
      const created = (await c.request('GET', '/auth/mfa/status/')).json.created_at;
      assert.match(created, DATE);
      const other = t.client();
      const token = (await other.request('POST', '/api/token/', { json: { username, password: PASSWORD } }))
        .json.ephemeral_token;
      await other.request('POST', '/auth/mfa/verify/', {
        json: { ephemeral_token: token, code: app.code(clock.now()) },
      });
      const totpUse = clock.now();
      assert.equal(
        (await c.request('GET', '/auth/mfa/status/')).json.last_used_at,
        new Date(totpUse).toISOString().replace('.000Z', 'Z'),
      );
      clock.advance(45_000);
      const token2 = (await other.request('POST', '/api/token/', { json: { username, password: PASSWORD } }))
        .json.ephemeral_token;
      await other.request('POST', '/auth/mfa/verify/', {
        json: { ephemeral_token: token2, code: recoveryCodes[0] },
      });
      const status = (await c.request('GET', '/auth/mfa/status/')).json;
      assert.equal(status.last_used_at, new Date(clock.now()).toISOString().replace('.000Z', 'Z'));
      assert.equal(status.created_at, created);
    });
  });

  describe('recovery codes', () => {
    test('GET lists the unused ones in order; off: {"codes":[]}', async () => {
      const { c, username } = await loggedIn();
      assert.equal((await c.request('GET', '/auth/mfa/recovery-codes/')).body, '{"codes":[]}');
      const { recoveryCodes } = await enableTotp(c, clock);
      assert.deepEqual((await c.request('GET', '/auth/mfa/recovery-codes/')).json, { codes: recoveryCodes });
      const other = t.client();
      const token = (
        await other.request('POST', '/api-token-auth/', { json: { username, password: PASSWORD } })
      ).json.ephemeral_token;
      // Typed as people type: upper case, no dash.
      const typed = recoveryCodes[4].toUpperCase().replace('-', '');
      const used = await other.request('POST', '/auth/mfa/verify/', {
        json: { ephemeral_token: token, code: typed },
      });
      assert.equal(used.status, 200, used.body);
      assert.deepEqual(
        (await c.request('GET', '/auth/mfa/recovery-codes/')).json.codes,
        recoveryCodes.filter((_, i) => i !== 4),
      );
    });

    test('regenerate: ten new codes, the old set void; needs a proof; off: "MFA is not enabled."', async () => {
      const { c, username } = await loggedIn();
      const off = await post(c, '/auth/mfa/recovery-codes/regenerate/', { current_password: PASSWORD });
      assert.equal(off.status, 400);
      assert.equal(off.body, '{"detail":"MFA is not enabled."}');
      const { app, recoveryCodes } = await enableTotp(c, clock);
      assert.equal(
        (await post(c, '/auth/mfa/recovery-codes/regenerate/', {})).body,
        '{"current_password":["This field is required."]}',
      );
      assert.equal(
        (await post(c, '/auth/mfa/recovery-codes/regenerate/', { current_password: 'nope-nope' })).body,
        '{"current_password":["Invalid password."]}',
      );
      assert.equal(
        (await post(c, '/auth/mfa/recovery-codes/regenerate/', { code: '000000' })).body,
        '{"code":["Invalid code."]}',
      );
      const res = await post(c, '/auth/mfa/recovery-codes/regenerate/', { code: app.code(clock.now()) });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(Object.keys(res.json), ['codes']);
      assert.equal(res.json.codes.length, 10);
      assert.deepEqual((await c.request('GET', '/auth/mfa/recovery-codes/')).json.codes, res.json.codes);
      // The change ended every JWT issued up to its millisecond; a login a moment later is a new one.
      clock.advance(1);
      const other = t.client();
      const token = (await other.request('POST', '/api/token/', { json: { username, password: PASSWORD } }))
        .json.ephemeral_token;
      const old = await other.request('POST', '/auth/mfa/verify/', {
        json: { ephemeral_token: token, code: recoveryCodes[0] },
      });
      assert.equal(old.body, '{"code":["Invalid code."]}');
      const fresh = await other.request('POST', '/auth/mfa/verify/', {
        json: { ephemeral_token: token, code: res.json.codes[0] },
      });
      assert.equal(fresh.status, 200);
      clock.advance(30_000);
    });
  });

  describe('POST /auth/mfa/totp/deactivate/', () => {
    test('every error string; a recovery code is not a deactivation code', async () => {
      const { c } = await loggedIn();
      const off = await post(c, '/auth/mfa/totp/deactivate/', { code: '123456' });
      assert.equal(off.status, 400);
      assert.equal(off.body, '{"detail":"MFA is not enabled."}');
      const { recoveryCodes } = await enableTotp(c, clock);
      assert.equal(
        (await post(c, '/auth/mfa/totp/deactivate/', {})).body,
        '{"code":["This field is required."]}',
      );
      assert.equal(
        (await post(c, '/auth/mfa/totp/deactivate/', { code: '123456' })).body,
        '{"code":["Invalid code."]}',
      );
      assert.equal(
        (await post(c, '/auth/mfa/totp/deactivate/', { code: recoveryCodes[0] })).body,
        '{"code":["Invalid code."]}',
      );
      assert.equal(
        (await post(c, '/auth/mfa/totp/deactivate/', { current_password: 'not-it-at-all' })).body,
        '{"current_password":["Invalid password."]}',
      );
    });

    test('with a code: 200 {"detail":"TOTP has been deactivated."}; logins are one step again; codes gone', async () => {
      const { c, username } = await loggedIn();
      const { app } = await enableTotp(c, clock);
      const res = await post(c, '/auth/mfa/totp/deactivate/', { code: app.code(clock.now()) });
      assert.equal(res.status, 200);
      assert.equal(res.body, '{"detail":"TOTP has been deactivated."}');
      assert.equal(
        (await c.request('GET', '/auth/mfa/status/')).body,
        '{"mfa_enabled":false,"created_at":null,"last_used_at":null}',
      );
      assert.equal((await c.request('GET', '/auth/mfa/recovery-codes/')).body, '{"codes":[]}');
      clock.advance(1);
      const login = await t
        .client()
        .request('POST', '/api/token/', { json: { username, password: PASSWORD } });
      assert.deepEqual(Object.keys(login.json), ['refresh', 'access']);
      clock.advance(30_000);
    });

    test('with the current password instead of a code', async () => {
      const { c } = await loggedIn();
      await enableTotp(c, clock);
      const res = await post(c, '/auth/mfa/totp/deactivate/', { current_password: PASSWORD });
      assert.equal(res.body, '{"detail":"TOTP has been deactivated."}');
    });

    test('a code used to deactivate is spent: it cannot log in', async () => {
      const { c, username } = await loggedIn();
      const { app } = await enableTotp(c, clock);
      const code = app.code(clock.now());
      // Deactivate with the code, reactivate in the same window: the old code is void with the old secret anyway.
      const other = t.client();
      const startLogin = async () =>
        (await other.request('POST', '/api/token/', { json: { username, password: PASSWORD } })).json
          .ephemeral_token;
      const before = await startLogin();
      assert.equal((await post(c, '/auth/mfa/recovery-codes/regenerate/', { code })).status, 200);
      const verify = (ephemeral_token: string) =>
        other.request('POST', '/auth/mfa/verify/', { json: { ephemeral_token, code } });
      // The change of factors ended the login started before it; one started after cannot replay the code.
      assert.equal((await verify(before)).body, '{"ephemeral_token":["Invalid or expired token."]}');
      clock.advance(1);
      assert.equal((await verify(await startLogin())).body, '{"code":["Invalid code."]}');
      clock.advance(30_000);
    });
  });

  describe("a change of factors ends the user's other sessions (beyond dj-rest-auth)", () => {
    /**
     * Two more sessions of the user, a refresh token and an access JWT, and an
     * API token (which stays). With TOTP on, each login spends a recovery code.
     */
    async function elsewhere(username: string, codes: string[] = []) {
      const finish = async (c: Client, res: Reply) => {
        if (!res.json?.mfa_required) return res;
        const done = await c.request('POST', '/auth/mfa/verify/', {
          json: { ephemeral_token: res.json.ephemeral_token, code: codes.pop() },
          csrf: true,
        });
        assert.equal(done.status, 200, done.body);
        return done;
      };
      const sessions: Client[] = [];
      for (let i = 0; i < 2; i++) {
        const other = t.client();
        await finish(other, await other.login(username));
        sessions.push(other);
      }
      const j = t.client();
      const pair = (
        await finish(j, await j.request('POST', '/api/token/', { json: { username, password: PASSWORD } }))
      ).json;
      const k = t.client();
      const key = (
        await finish(
          k,
          await k.request('POST', '/api-token-auth/', { json: { username, password: PASSWORD } }),
        )
      ).json.token;
      for (const other of sessions)
        assert.equal((await other.request('GET', '/api/me/')).json.user.username, username);
      return { sessions, pair, key };
    }

    async function assertEnded(others: Awaited<ReturnType<typeof elsewhere>>, c: Client) {
      for (const other of others.sessions)
        assert.equal((await other.request('GET', '/api/me/')).body, '{"user":null}');
      const refreshed = await t
        .client()
        .request('POST', '/api/token/refresh/', { json: { refresh: others.pair.refresh } });
      assert.equal(refreshed.status, 401);
      const bearer = await t
        .client()
        .request('GET', '/api/profile/', { headers: { authorization: `Bearer ${others.pair.access}` } });
      assert.equal(bearer.status, 401);
      const token = await t
        .client()
        .request('GET', '/api/profile/', { headers: { authorization: `Token ${others.key}` } });
      assert.equal(token.status, 200, 'API tokens stay, as on a password change');
      assert.equal(
        (await c.request('GET', '/api/dashboard/')).status,
        200,
        'the session that made the change stays',
      );
    }

    test('turning TOTP on', async () => {
      const { c, username } = await loggedIn();
      const others = await elsewhere(username);
      clock.advance(1);
      await enableTotp(c, clock);
      await assertEnded(others, c);
    });

    test('turning TOTP off', async () => {
      const { c, username } = await loggedIn();
      const { app, recoveryCodes } = await enableTotp(c, clock);
      const others = await elsewhere(username, recoveryCodes);
      clock.advance(1);
      await post(c, '/auth/mfa/totp/deactivate/', { code: app.code(clock.now()) });
      await assertEnded(others, c);
    });

    test('regenerating the recovery codes', async () => {
      const { c, username } = await loggedIn();
      const { recoveryCodes } = await enableTotp(c, clock);
      const others = await elsewhere(username, recoveryCodes);
      clock.advance(1);
      assert.equal(
        (await post(c, '/auth/mfa/recovery-codes/regenerate/', { current_password: PASSWORD })).status,
        200,
      );
      await assertEnded(others, c);
    });

    test('a failed change ends nothing', async () => {
      const { c, username } = await loggedIn();
      const { recoveryCodes } = await enableTotp(c, clock);
      const others = await elsewhere(username, recoveryCodes);
      await post(c, '/auth/mfa/recovery-codes/regenerate/', { current_password: 'wrong-password!' });
      for (const other of others.sessions)
        assert.equal((await other.request('GET', '/api/me/')).json.user.username, username);
      const bearer = await t.client().request('GET', '/api/profile/', {
        headers: { authorization: `Bearer ${others.pair.access}` },
      });
      assert.equal(bearer.status, 200);
      clock.advance(60_000);
    });
  });

  test('session-authenticated changes are CSRF-checked', async () => {
    const { c } = await loggedIn();
    const res = await c.request('POST', '/auth/mfa/totp/deactivate/', {
      json: { current_password: PASSWORD },
    });
    assert.equal(res.status, 403);
    assert.equal(res.body, '{"detail":"CSRF Failed: CSRF token missing."}');
  });

  test('a token-authenticated client manages its factors too (no CSRF), and every path answers without its slash', async () => {
    const username = `u${++serial}`;
    await t.user(username);
    const key = (
      await t.client().request('POST', '/api-token-auth/', { json: { username, password: PASSWORD } })
    ).json.token;
    const auth = { authorization: `Token ${key}` };
    const c = t.client();
    const begun = await c.request('GET', '/auth/mfa/totp/activate', { headers: auth });
    assert.equal(begun.status, 200);
    const app = scan(begun.json.totp_url);
    const done = await c.request('POST', '/auth/mfa/totp/activate', {
      headers: auth,
      json: {
        activation_token: begun.json.activation_token,
        code: app.code(clock.now()),
        current_password: PASSWORD,
      },
    });
    assert.equal(done.status, 200, done.body);
    assert.equal((await c.request('GET', '/auth/mfa/status', { headers: auth })).json.mfa_enabled, true);
    assert.equal(
      (await c.request('GET', '/auth/mfa/recovery-codes', { headers: auth })).json.codes.length,
      10,
    );
    clock.advance(30_000);
  });

  test('LOG-01: each change and each second step writes its security event, never a code', async () => {
    const events: { event: string; reason?: string }[] = [];
    const own = await makeApp({ clock, securityLog: (e) => events.push(e) });
    try {
      await own.user('eve');
      const c = own.client();
      await c.login('eve');
      const { app, recoveryCodes } = await enableTotp(c, clock);
      const d = own.client();
      const token = (await d.login('eve')).json.ephemeral_token;
      await d.request('POST', '/auth/mfa/verify/', {
        json: { ephemeral_token: token, code: '999999' },
        csrf: true,
      });
      await d.request('POST', '/auth/mfa/verify/', {
        json: { ephemeral_token: token, code: app.code(clock.now()) },
        csrf: true,
      });
      await post(c, '/auth/mfa/recovery-codes/regenerate/', { current_password: PASSWORD });
      await post(c, '/auth/mfa/totp/deactivate/', { current_password: PASSWORD });
      const names = events
        .map((e) => e.event)
        .filter((e) => e.startsWith('mfa_') || e.startsWith('recovery'));
      assert.deepEqual(names, [
        'mfa_enabled',
        'mfa_challenged',
        'mfa_failed',
        'mfa_verified',
        'recovery_codes_regenerated',
        'mfa_disabled',
      ]);
      const text = JSON.stringify(events);
      for (const secret of [...recoveryCodes, token]) assert.ok(!text.includes(secret));
    } finally {
      await own.close();
    }
    clock.advance(30_000);
  });
});
