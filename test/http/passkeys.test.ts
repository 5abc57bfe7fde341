/**
 * Passkeys over HTTP (CONTRACT "Two-factor authentication and passkeys"),
 * with a software authenticator playing the browser (test/helpers/soft-authenticator.ts):
 * registration, the passwordless login that answers as `POST /api/login/`,
 * the user's list; single-use, expiring challenges; every contract string.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Client, makeApp, type Reply, type TestApp } from '../helpers/app.ts';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.ts';
import { enableTotp, PASSWORD } from '../helpers/mfa.ts';
import { createSoftAuthenticator, type SoftAuthenticator } from '../helpers/soft-authenticator.ts';

const ORIGIN = 'http://localhost'; // the test client's Host is `localhost`: the request's own origin
const SESSION_COOKIE = /^sessionid=([a-z0-9]{32}); /;
const EXPIRED_REGISTRATION = '{"detail":"Registration challenge has expired. Please start over."}';
const EXPIRED_AUTHENTICATION = '{"detail":"Authentication challenge has expired. Please start over."}';
const MISSING = '{"detail":"No WebAuthnCredential matches the given query."}';

describe('passkeys (CONTRACT "Two-factor authentication and passkeys")', () => {
  let t: TestApp;
  let clock: FakeClock;
  let serial = 0;
  before(async () => {
    clock = createFakeClock(Date.UTC(2026, 10, 22, 12, 0, 0));
    t = await makeApp({ clock, env: { GATEHOUSE_LOGIN_ADDRESS_RATE: '10000/min' } });
  });
  after(() => t.close());

  async function loggedIn(): Promise<{ c: Client; username: string; id: number }> {
    const username = `p${++serial}`;
    await t.user(username);
    const c = t.client();
    const res = await c.login(username);
    return { c, username, id: res.json.user.id };
  }

  const post = (c: Client, path: string, json: unknown) => c.request('POST', path, { json, csrf: true });

  /** Begin and complete a registration as a browser would; returns the complete step's answer. */
  async function register(
    c: Client,
    authenticator: SoftAuthenticator,
    extra: Record<string, unknown> = { current_password: PASSWORD },
  ): Promise<Reply> {
    const begun = await post(c, '/auth/passkeys/register/begin/', {});
    assert.equal(begun.status, 200, begun.body);
    const credential = authenticator.create(begun.json);
    return post(c, '/auth/passkeys/register/complete/', { credential, ...extra });
  }

  /** The passwordless login: begin (optionally with a username) and complete, from a fresh browser. */
  async function signIn(
    authenticator: SoftAuthenticator,
    username?: string,
  ): Promise<{ c: Client; res: Reply }> {
    const c = t.client();
    await c.primeCsrf();
    const begun = await post(c, '/auth/passkeys/login/begin/', username ? { username } : {});
    assert.equal(begun.status, 200, begun.body);
    const { session_id, ...options } = begun.json;
    const credential = authenticator.get(options);
    return { c, res: await post(c, '/auth/passkeys/login/complete/', { credential, session_id }) };
  }

  describe('registration', () => {
    test('begin: WebAuthn creation options for the user, the relying party from the request', async () => {
      const { c, username, id } = await loggedIn();
      const res = await post(c, '/auth/passkeys/register/begin/', { name: 'Laptop' });
      assert.equal(res.status, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      const o = res.json;
      assert.deepEqual(o.rp, { name: 'Gatehouse', id: 'localhost' });
      assert.deepEqual(o.user, {
        id: Buffer.from(String(id)).toString('base64url'),
        name: username,
        displayName: username,
      });
      assert.match(o.challenge, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(o.timeout, 300000);
      assert.equal(o.attestation, 'none');
      assert.deepEqual(o.excludeCredentials, []);
      assert.deepEqual(o.authenticatorSelection, {
        residentKey: 'preferred',
        userVerification: 'preferred',
        requireResidentKey: false,
      });
      assert.deepEqual(
        o.pubKeyCredParams.map((p: { alg: number }) => p.alg),
        [-8, -7, -257],
      );
      const unauthenticated = await t
        .client()
        .request('POST', '/auth/passkeys/register/begin/', { json: {} });
      assert.equal(unauthenticated.status, 403);
      assert.equal(unauthenticated.body, '{"detail":"Authentication credentials were not provided."}');
    });

    test('complete: 201 with the passkey; the list shows it; a second begin excludes it', async () => {
      const { c } = await loggedIn();
      const authenticator = createSoftAuthenticator({ origin: ORIGIN });
      const res = await register(c, authenticator, { name: 'Laptop', current_password: PASSWORD });
      assert.equal(res.status, 201, res.body);
      assert.deepEqual(Object.keys(res.json), [
        'id',
        'name',
        'credential_id',
        'created_at',
        'last_used_at',
        'transports',
        'discoverable',
      ]);
      assert.equal(res.json.name, 'Laptop');
      assert.match(res.json.credential_id, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(res.json.created_at, '2026-11-22T12:00:00Z');
      assert.equal(res.json.last_used_at, null);
      assert.deepEqual(res.json.transports, ['internal', 'hybrid']);
      assert.equal(res.json.discoverable, true);
      assert.deepEqual((await c.request('GET', '/auth/passkeys/')).json, [res.json]);
      const again = await post(c, '/auth/passkeys/register/begin/', {});
      assert.deepEqual(again.json.excludeCredentials, [
        { id: res.json.credential_id, type: 'public-key', transports: ['internal', 'hybrid'] },
      ]);
    });

    test('a passkey without a name is called "Passkey"; one from a security key that is not discoverable says so', async () => {
      const { c } = await loggedIn();
      const res = await register(c, createSoftAuthenticator({ origin: ORIGIN, discoverable: false }));
      assert.equal(res.json.name, 'Passkey');
      assert.equal(res.json.discoverable, false);
    });

    test('every error string of complete', async () => {
      const { c } = await loggedIn();
      const authenticator = createSoftAuthenticator({ origin: ORIGIN });
      const begun = await post(c, '/auth/passkeys/register/begin/', {});
      const credential = authenticator.create(begun.json);
      const cases: [unknown, number, string][] = [
        [{}, 400, '{"credential":["This field is required."]}'],
        [
          { credential, name: 'x'.repeat(256) },
          400,
          '{"name":["Ensure this field has no more than 255 characters."]}',
        ],
        [{ credential }, 400, '{"current_password":["This field is required."]}'],
        [
          { credential, current_password: 'wrong-password' },
          400,
          '{"current_password":["Invalid password."]}',
        ],
        [{ credential, code: '123456' }, 400, '{"current_password":["This field is required."]}'],
      ];
      for (const [json, status, body] of cases) {
        const res = await post(c, '/auth/passkeys/register/complete/', json);
        assert.equal(res.status, status, JSON.stringify(json).slice(0, 80));
        assert.equal(res.body, body);
      }
      // The challenge survived the refused proofs; the first verification uses it up.
      const done = await post(c, '/auth/passkeys/register/complete/', {
        credential,
        current_password: PASSWORD,
      });
      assert.equal(done.status, 201);
      const replay = await post(c, '/auth/passkeys/register/complete/', {
        credential,
        current_password: PASSWORD,
      });
      assert.equal(replay.body, EXPIRED_REGISTRATION);
    });

    test('a registration challenge expires after 300 s, and serves one attempt', async () => {
      const { c } = await loggedIn();
      const authenticator = createSoftAuthenticator({ origin: ORIGIN });
      // Another user's challenge is not this user's: as if there were none.
      const theirs = await post((await loggedIn()).c, '/auth/passkeys/register/begin/', {});
      const none = await post(c, '/auth/passkeys/register/complete/', {
        credential: authenticator.create(theirs.json),
        current_password: PASSWORD,
      });
      assert.equal(none.body, EXPIRED_REGISTRATION, 'no begin at all');
      const begun = await post(c, '/auth/passkeys/register/begin/', {});
      clock.advance(300_000);
      const late = await post(c, '/auth/passkeys/register/complete/', {
        credential: authenticator.create(begun.json),
        current_password: PASSWORD,
      });
      assert.equal(late.body, EXPIRED_REGISTRATION);
    });

    test('a failed verification names its reason, and uses the challenge up', async () => {
      const { c } = await loggedIn();
      const phish = createSoftAuthenticator({ origin: 'https://evil.example' });
      const res = await register(c, phish);
      assert.equal(res.status, 400);
      assert.equal(
        res.body,
        '{"detail":"Registration verification failed: Unexpected response origin \\"https://evil.example\\", expected one of: http://localhost"}',
      );
      const begun = await post(c, '/auth/passkeys/register/begin/', {});
      const otherRp = createSoftAuthenticator({ origin: ORIGIN }).create(begun.json, {
        rpId: 'evil.example',
      });
      const wrongRp = await post(c, '/auth/passkeys/register/complete/', {
        credential: otherRp,
        current_password: PASSWORD,
      });
      assert.equal(wrongRp.body, '{"detail":"Registration verification failed: Unexpected RP ID hash"}');
      const begun2 = await post(c, '/auth/passkeys/register/begin/', {});
      const garbage = await post(c, '/auth/passkeys/register/complete/', {
        credential: 'not json',
        current_password: PASSWORD,
      });
      assert.equal(
        garbage.body,
        '{"detail":"Registration verification failed: Credential is not an object"}',
      );
      const after = await post(c, '/auth/passkeys/register/complete/', {
        credential: createSoftAuthenticator({ origin: ORIGIN }).create(begun2.json),
        current_password: PASSWORD,
      });
      assert.equal(after.body, EXPIRED_REGISTRATION);
    });

    test('a credential registered already (to anyone) is "This credential is already registered."', async () => {
      const alice = await loggedIn();
      const bob = await loggedIn();
      const first = await register(alice.c, createSoftAuthenticator({ origin: ORIGIN }));
      const begun = await post(bob.c, '/auth/passkeys/register/begin/', {});
      const copy = createSoftAuthenticator({ origin: ORIGIN }).create(begun.json, {
        credentialId: first.json.credential_id,
      });
      const res = await post(bob.c, '/auth/passkeys/register/complete/', {
        credential: copy,
        current_password: PASSWORD,
      });
      assert.equal(res.status, 400);
      assert.equal(res.body, '{"detail":"This credential is already registered."}');
      assert.equal((await bob.c.request('GET', '/auth/passkeys/')).body, '[]');
    });

    test('with TOTP on, a fresh code proves it as well as the password', async () => {
      const { c } = await loggedIn();
      const { app } = await enableTotp(c, clock);
      const res = await register(c, createSoftAuthenticator({ origin: ORIGIN }), {
        code: app.code(clock.now()),
      });
      assert.equal(res.status, 201, res.body);
      const replayed = await register(c, createSoftAuthenticator({ origin: ORIGIN }), {
        code: app.code(clock.now()),
      });
      assert.equal(replayed.body, '{"code":["Invalid code."]}');
      clock.advance(30_000);
    });
  });

  describe('the passwordless login', () => {
    test('begin without a username: the discoverable flow, nothing said about any account', async () => {
      const res = await post(t.client(), '/auth/passkeys/login/begin/', {});
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.json).sort(), [
        'allowCredentials',
        'challenge',
        'rpId',
        'session_id',
        'timeout',
        'userVerification',
      ]);
      assert.deepEqual(res.json.allowCredentials, []);
      assert.equal(res.json.rpId, 'localhost');
      assert.equal(res.json.userVerification, 'preferred');
      assert.equal(res.json.timeout, 300000);
      assert.match(res.json.session_id, /^[0-9a-f]{32}$/);
      assert.match(res.json.challenge, /^[A-Za-z0-9_-]{43}$/);
    });

    test('begin with a username: its passkeys, else one stand-in id, the same each time (no enumeration)', async () => {
      const { c, username } = await loggedIn();
      const registered = (await register(c, createSoftAuthenticator({ origin: ORIGIN }))).json;
      const ids = async (name: string) =>
        (await post(t.client(), '/auth/passkeys/login/begin/', { username: name })).json.allowCredentials;
      assert.deepEqual(await ids(username), [
        { id: registered.credential_id, type: 'public-key', transports: ['internal', 'hybrid'] },
      ]);
      const { username: without } = await loggedIn();
      for (const name of ['nobody-at-all', without]) {
        const first = await ids(name);
        assert.equal(first.length, 1);
        assert.deepEqual(Object.keys(first[0]).sort(), ['id', 'type']);
        assert.match(first[0].id, /^[A-Za-z0-9_-]{22}$/);
        assert.deepEqual(await ids(name), first, 'stable, so repeating the question tells nothing');
      }
      assert.notDeepEqual(await ids('nobody-at-all'), await ids(without));
    });

    test('complete answers as POST /api/login/: a new session, the user, a rotated CSRF cookie', async () => {
      const { c, username, id } = await loggedIn();
      const authenticator = createSoftAuthenticator({ origin: ORIGIN });
      await register(c, authenticator);
      const { c: browser, res } = await signIn(authenticator);
      assert.equal(res.status, 200, res.body);
      assert.equal(
        res.body,
        `{"user":{"id":${id},"username":"${username}","email":"${username}@example.com"}}`,
      );
      assert.match(res.setCookies[0], SESSION_COOKIE);
      assert.match(res.setCookies[1], /^csrftoken=/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal((await browser.request('GET', '/api/dashboard/')).status, 200);
      const listed = (await c.request('GET', '/auth/passkeys/')).json[0];
      assert.equal(listed.last_used_at, new Date(clock.now()).toISOString().replace('.000Z', 'Z'));
    });

    test('with a username, a non-discoverable passkey signs in too', async () => {
      const { c, username } = await loggedIn();
      const key = createSoftAuthenticator({ origin: ORIGIN, discoverable: false });
      await register(c, key);
      const { res } = await signIn(key, username);
      assert.equal(res.status, 200, res.body);
    });

    test('a user with TOTP needs no second step after a passkey', async () => {
      const { c, username } = await loggedIn();
      await enableTotp(c, clock);
      const authenticator = createSoftAuthenticator({ origin: ORIGIN });
      await register(c, authenticator, { current_password: PASSWORD });
      const { res } = await signIn(authenticator);
      assert.equal(res.json.user.username, username);
      assert.match(res.setCookies[0], SESSION_COOKIE);
    });

    test('review: a key without user verification is one factor — a user with TOTP still gives the code', async () => {
      const { c, username } = await loggedIn();
      const { app } = await enableTotp(c, clock);
      const key = createSoftAuthenticator({ origin: ORIGIN, discoverable: false, userVerification: false });
      await register(c, key, { current_password: PASSWORD });
      clock.advance(1); // adding the passkey ended every login started up to its millisecond
      const { c: browser, res } = await signIn(key, username);
      assert.equal(res.status, 200, res.body);
      assert.match(res.body, /^\{"ephemeral_token":"[A-Za-z0-9_-]{43}","mfa_required":true\}$/);
      assert.ok(!res.setCookies.some((l) => l.startsWith('sessionid=')), 'no session before the code');
      const done = await post(browser, '/auth/mfa/verify/', {
        ephemeral_token: res.json.ephemeral_token,
        code: app.code(clock.now()),
      });
      assert.equal(done.status, 200, done.body);
      assert.equal(done.json.user.username, username);
      assert.ok(done.setCookies.some((l) => SESSION_COOKIE.test(l)));
      clock.advance(30_000);
    });

    test('review: begin is throttled per client address (60 a minute): an anonymous client cannot fill the challenge table', async () => {
      const begin = () =>
        t.app.inject({
          method: 'POST',
          url: '/auth/passkeys/login/begin/',
          remoteAddress: '203.0.113.77',
          headers: { host: 'localhost', 'content-type': 'application/json' },
          payload: '{}',
        });
      for (let i = 0; i < 60; i++) assert.equal((await begin()).statusCode, 200, `begin ${i + 1}`);
      const refused = await begin();
      assert.equal(refused.statusCode, 429);
      assert.match(
        refused.body,
        /^\{"detail":"Request was throttled\. Expected available in \d+ seconds\."\}$/,
      );
      clock.advance(60_000);
      assert.equal((await begin()).statusCode, 200, 'the next minute');
    });

    test('complete is CSRF-checked as login is', async () => {
      const { c } = await loggedIn();
      const authenticator = createSoftAuthenticator({ origin: ORIGIN });
      await register(c, authenticator);
      const browser = t.client();
      await browser.primeCsrf();
      const { session_id, ...options } = (await post(browser, '/auth/passkeys/login/begin/', {})).json;
      const res = await browser.request('POST', '/auth/passkeys/login/complete/', {
        json: { credential: authenticator.get(options), session_id },
      });
      assert.equal(res.status, 403);
      assert.equal(res.body, '{"detail":"CSRF Failed: CSRF token missing."}');
    });

    test('field errors of complete', async () => {
      const c = t.client();
      await c.primeCsrf();
      const empty = await post(c, '/auth/passkeys/login/complete/', {});
      assert.equal(
        empty.body,
        '{"credential":["This field is required."],"session_id":["This field is required."]}',
      );
      const pattern = await post(c, '/auth/passkeys/login/complete/', { credential: {}, session_id: 'abc' });
      assert.equal(pattern.body, '{"session_id":["This value does not match the required pattern."]}');
    });

    test('a challenge serves one login, and dies after 300 s', async () => {
      const { c } = await loggedIn();
      const authenticator = createSoftAuthenticator({ origin: ORIGIN });
      await register(c, authenticator);
      const browser = t.client();
      await browser.primeCsrf();
      const { session_id, ...options } = (await post(browser, '/auth/passkeys/login/begin/', {})).json;
      const credential = authenticator.get(options);
      assert.equal(
        (await post(browser, '/auth/passkeys/login/complete/', { credential, session_id })).status,
        200,
      );
      const replay = await post(browser, '/auth/passkeys/login/complete/', { credential, session_id });
      assert.equal(replay.status, 400);
      assert.equal(replay.body, EXPIRED_AUTHENTICATION);
      const late = (await post(browser, '/auth/passkeys/login/begin/', {})).json;
      clock.advance(300_000);
      const { session_id: lateId, ...lateOptions } = late;
      const res = await post(browser, '/auth/passkeys/login/complete/', {
        credential: authenticator.get(lateOptions),
        session_id: lateId,
      });
      assert.equal(res.body, EXPIRED_AUTHENTICATION);
      const unknown = await post(browser, '/auth/passkeys/login/complete/', {
        credential,
        session_id: 'f'.repeat(32),
      });
      assert.equal(unknown.body, EXPIRED_AUTHENTICATION);
    });

    test('failures: an unknown credential, another origin, a cloned authenticator, an inactive user', async () => {
      const { c, username } = await loggedIn();
      const authenticator = createSoftAuthenticator({ origin: ORIGIN });
      await register(c, authenticator);
      const stranger = createSoftAuthenticator({ origin: ORIGIN });
      await register((await loggedIn()).c, stranger);
      await t.gh.passkeys.removeAll((await t.gh.accounts.getByUsername(`p${serial}`))!, {
        clientAddress: '',
        path: '',
      });
      assert.equal(
        (await signIn(stranger)).res.body,
        '{"detail":"Authentication verification failed: Credential not found"}',
      );
      const phished = await (async () => {
        const browser = t.client();
        await browser.primeCsrf();
        const { session_id, ...options } = (await post(browser, '/auth/passkeys/login/begin/', {})).json;
        const credential = authenticator.get(options, { origin: 'https://evil.example' });
        return post(browser, '/auth/passkeys/login/complete/', { credential, session_id });
      })();
      assert.equal(
        phished.body,
        '{"detail":"Authentication verification failed: Unexpected response origin \\"https://evil.example\\", expected one of: http://localhost"}',
      );
      // A clone that fell behind the original: its counter does not move forward.
      const clone = authenticator.clone();
      assert.equal((await signIn(authenticator)).res.status, 200);
      assert.equal((await signIn(authenticator)).res.status, 200);
      const cloned = await signIn(clone);
      assert.equal(cloned.res.status, 400);
      assert.match(
        cloned.res.json.detail,
        /^Authentication verification failed: Response counter value 2 was lower than expected 3$/,
      );
      const user = (await t.gh.accounts.getByUsername(username))!;
      await t.gh.accounts.setActive(user, false);
      assert.equal(
        (await signIn(authenticator)).res.body,
        '{"detail":"Authentication verification failed: User inactive or deleted"}',
      );
      const malformed = t.client();
      await malformed.primeCsrf();
      const { session_id } = (await post(malformed, '/auth/passkeys/login/begin/', {})).json;
      assert.equal(
        (await post(malformed, '/auth/passkeys/login/complete/', { credential: [1], session_id })).body,
        '{"detail":"Authentication verification failed: Credential is not an object"}',
      );
    });
  });

  describe('the list', () => {
    test('rename (PATCH) answers {"name"}; GET one; another user\'s is 404', async () => {
      const alice = await loggedIn();
      const bob = await loggedIn();
      const p = (await register(alice.c, createSoftAuthenticator({ origin: ORIGIN }))).json;
      const renamed = await alice.c.request('PATCH', `/auth/passkeys/${p.id}/`, {
        json: { name: 'Phone' },
        csrf: true,
      });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body, '{"name":"Phone"}');
      assert.equal((await alice.c.request('GET', `/auth/passkeys/${p.id}/`)).json.name, 'Phone');
      for (const [method, json] of [
        ['GET', undefined],
        ['PATCH', { name: 'mine' }],
        ['DELETE', { current_password: PASSWORD }],
      ] as const) {
        const res = await bob.c.request(method, `/auth/passkeys/${p.id}/`, { json, csrf: true });
        assert.equal(res.status, 404, method);
        assert.equal(res.body, MISSING);
      }
      for (const id of ['abc', '99999999', '-1'])
        assert.equal((await alice.c.request('GET', `/auth/passkeys/${id}/`)).body, MISSING);
      const blank = await alice.c.request('PATCH', `/auth/passkeys/${p.id}/`, {
        json: { name: '' },
        csrf: true,
      });
      assert.equal(blank.body, '{"name":["This field may not be blank."]}');
    });

    test('remove: needs a proof, then 204; the passkey no longer signs in', async () => {
      const { c } = await loggedIn();
      const authenticator = createSoftAuthenticator({ origin: ORIGIN });
      const p = (await register(c, authenticator)).json;
      const bare = await c.request('DELETE', `/auth/passkeys/${p.id}/`, { csrf: true });
      assert.equal(bare.body, '{"current_password":["This field is required."]}');
      const wrong = await c.request('DELETE', `/auth/passkeys/${p.id}/`, {
        json: { current_password: 'no-no-no-no' },
        csrf: true,
      });
      assert.equal(wrong.body, '{"current_password":["Invalid password."]}');
      const gone = await c.request('DELETE', `/auth/passkeys/${p.id}/`, {
        json: { current_password: PASSWORD },
        csrf: true,
      });
      assert.equal(gone.status, 204);
      assert.equal(gone.body, '');
      assert.equal((await c.request('GET', '/auth/passkeys/')).body, '[]');
      assert.equal(
        (await signIn(authenticator)).res.body,
        '{"detail":"Authentication verification failed: Credential not found"}',
      );
    });

    test("adding and removing a passkey end the user's other sessions; the one making the change stays", async () => {
      const { c, username } = await loggedIn();
      const other = t.client();
      await other.login(username);
      const p = (await register(c, createSoftAuthenticator({ origin: ORIGIN }))).json;
      assert.equal((await other.request('GET', '/api/me/')).body, '{"user":null}');
      assert.equal((await c.request('GET', '/api/me/')).json.user.username, username);
      const another = t.client();
      await another.login(username);
      await c.request('DELETE', `/auth/passkeys/${p.id}/`, {
        json: { current_password: PASSWORD },
        csrf: true,
      });
      assert.equal((await another.request('GET', '/api/me/')).body, '{"user":null}');
      assert.equal((await c.request('GET', '/api/me/')).json.user.username, username);
    });

    test("every path answers without its trailing slash (dj-rest-auth's re_path)", async () => {
      const { c } = await loggedIn();
      assert.equal((await c.request('GET', '/auth/passkeys')).body, '[]');
      assert.equal((await post(c, '/auth/passkeys/register/begin', {})).status, 200);
      assert.equal((await post(t.client(), '/auth/passkeys/login/begin', {})).status, 200);
    });
  });

  test('GATEHOUSE_WEBAUTHN_* fix the relying party: another origin is refused, the configured one accepted', async () => {
    const own = await makeApp({
      env: {
        GATEHOUSE_WEBAUTHN_RP_ID: 'example.com',
        GATEHOUSE_WEBAUTHN_RP_NAME: 'Example',
        GATEHOUSE_WEBAUTHN_ORIGINS: 'https://app.example.com',
      },
    });
    try {
      await own.user('zoe');
      const c = own.client();
      await c.login('zoe');
      const begun = await post(c, '/auth/passkeys/register/begin/', {});
      assert.deepEqual(begun.json.rp, { name: 'Example', id: 'example.com' });
      const local = createSoftAuthenticator({ origin: ORIGIN }).create(begun.json);
      const refused = await post(c, '/auth/passkeys/register/complete/', {
        credential: local,
        current_password: PASSWORD,
      });
      assert.match(
        refused.json.detail,
        /^Registration verification failed: Unexpected response origin "http:\/\/localhost", expected one of: https:\/\/app\.example\.com$/,
      );
      const begun2 = await post(c, '/auth/passkeys/register/begin/', {});
      const app = createSoftAuthenticator({ origin: 'https://app.example.com' });
      const ok = await post(c, '/auth/passkeys/register/complete/', {
        credential: app.create(begun2.json),
        current_password: PASSWORD,
      });
      assert.equal(ok.status, 201, ok.body);
      assert.equal((await post(own.client(), '/auth/passkeys/login/begin/', {})).json.rpId, 'example.com');
    } finally {
      await own.close();
    }
  });

  test('a Host outside ALLOWED_HOSTS cannot choose the relying party', async () => {
    const res = await t.client().request('POST', '/auth/passkeys/login/begin/', {
      json: {},
      headers: { host: 'evil.example' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body, '{"detail":"Passkeys are not available on this host."}');
  });
});
