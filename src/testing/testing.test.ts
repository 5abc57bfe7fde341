import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { createGatehouse } from '../gatehouse.ts';
import { PasswordHashers } from '../passwords/password-hashers.ts';
import { IsAuthenticated } from '../permissions/is-authenticated.ts';
import { jsonResponse } from '../response.ts';
import { createMemoryStores } from '../stores/memory/index.ts';
import {
  isTestProcess,
  loggedIn,
  makeRequest,
  requestAs,
  TestPasswordHasher,
  testPasswordHashers,
} from './index.ts';

describe('the test hasher', () => {
  test('runs here: `node --test` marks its processes', () => {
    assert.equal(isTestProcess(), true);
    assert.equal(isTestProcess({ NODE_ENV: 'test' }, []), true);
    assert.equal(isTestProcess({ NODE_TEST_CONTEXT: 'child-v8' }, []), true);
    assert.equal(isTestProcess({}, ['--test']), true);
    assert.equal(isTestProcess({ NODE_ENV: 'production' }, []), false);
  });

  test('refuses to exist outside a test process', () => {
    assert.throws(
      () => new TestPasswordHasher({ env: { NODE_ENV: 'production' }, execArgv: [] }),
      new ConfigurationError(
        'TestPasswordHasher is for tests only: run under `node --test` or with NODE_ENV=test',
      ),
    );
  });

  test('hashes as test_sha256$<salt>$<hex>, salted, and verifies', async () => {
    const hasher = new TestPasswordHasher();
    const a = await hasher.hash('Pw-12345678');
    const b = await hasher.hash('Pw-12345678');
    assert.match(a, /^test_sha256\$[A-Za-z0-9_-]{16}\$[0-9a-f]{64}$/);
    assert.notEqual(a, b);
    assert.equal(await hasher.verify('Pw-12345678', a), true);
    assert.equal(await hasher.verify('Pw-12345679', a), false);
    assert.equal(
      await hasher.verify(
        'Pw-12345678',
        a.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      ),
      false,
    );
    assert.equal(hasher.mustUpdate(a), false);
  });

  test('a test hash never logs in with the production hashers', async () => {
    const encoded = await new TestPasswordHasher().hash('Pw-12345678');
    assert.deepEqual(await new PasswordHashers().verify('Pw-12345678', encoded), {
      valid: false,
      mustUpdate: false,
    });
  });

  test('testPasswordHashers: new hashes are fast ones, the default formats still verify', async () => {
    const hashers = testPasswordHashers();
    assert.match(await hashers.hash('Pw-12345678'), /^test_sha256\$/);
    const argon2 = await new PasswordHashers().hash('Pw-12345678');
    assert.deepEqual(await hashers.verify('Pw-12345678', argon2), { valid: true, mustUpdate: true });
  });
});

describe('a logged-in client in one call', () => {
  const gh = createGatehouse({
    stores: createMemoryStores(),
    secretKey: 'testing-test-secret-key-long-enough-0123456789',
    hashers: testPasswordHashers(),
  });
  const notes = gh.view({
    name: 'Notes',
    permissions: [IsAuthenticated],
    handlers: { POST: (ctx) => jsonResponse(201, { by: ctx.user.username, got: ctx.data() }) },
  });

  for (const kind of ['session', 'token', 'jwt'] as const) {
    test(`${kind}: the headers authenticate an unsafe request (CSRF included for a session)`, async () => {
      const alice = await gh.accounts.create({ username: `alice-${kind}`, password: 'Pw-12345678' });
      const auth = await loggedIn(gh, alice, kind);
      assert.equal(auth.kind, kind);
      const req = makeRequest('POST', { ...auth.headers, 'content-type': 'application/json' }, '{"a":1}');
      const res = await notes.handle(req);
      assert.equal(res.status, 201, JSON.stringify(res.data));
      assert.deepEqual(res.data, { by: `alice-${kind}`, got: { a: 1 } });
    });
  }

  test('session: the headers carry the session and CSRF cookies, and the token header', async () => {
    const bob = await gh.accounts.create({ username: 'bob', password: 'Pw-12345678' });
    const auth = await loggedIn(gh, bob, 'session');
    assert.match(auth.headers.cookie, /^sessionid=[a-z0-9]{32}; csrftoken=[A-Za-z0-9]{32}$/);
    assert.equal(auth.headers['x-csrftoken'], /csrftoken=(\w+)/.exec(auth.headers.cookie)![1]);
    assert.equal(auth.credential, /sessionid=(\w+)/.exec(auth.headers.cookie)![1]);
  });

  test('jwt: an access token in the header, the refresh token beside it', async () => {
    const carol = await gh.accounts.create({ username: 'carol', password: 'Pw-12345678' });
    const auth = await loggedIn(gh, carol, 'jwt');
    assert.equal(auth.headers.authorization, `Bearer ${auth.credential}`);
    assert.equal((await gh.jwt.refresh(auth.refresh!)).access.split('.').length, 3);
  });

  test('requestAs: the request itself, JSON body included', async () => {
    const dave = await gh.accounts.create({ username: 'dave', password: 'Pw-12345678' });
    const res = await notes.handle(await requestAs(gh, dave, 'token', 'POST', { body: '{"b":2}' }));
    assert.equal(res.status, 201);
    assert.deepEqual(res.data, { by: 'dave', got: { b: 2 } });
    const anonymous = await notes.handle(makeRequest('POST', { 'content-type': 'application/json' }, '{}'));
    assert.equal(anonymous.status, 403);
  });
});
