/**
 * The library is the product, issue 9: no public entry point can end a
 * credential without every other instance hearing it. Two Gatehouses (A, B)
 * on one PostgreSQL and one Redis, each with its in-process cache: A's cache
 * is warmed, B ends the credential through one public entry point, and A
 * refuses it on its very next lookup — for every entry point, the CLI's
 * included. A second test lists the services' public methods, so a new one
 * cannot be added without saying whether it ends credentials (and then
 * being tested here).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  AuthenticationFailed,
  createAuthRequest,
  Gatehouse,
  loadConfig,
  openGatehouse,
  type User,
} from '#gatehouse';
import { PasswordHashers } from '#gatehouse/passwords';
import { Accounts } from '../../src/accounts.ts';
import { Passkeys } from '../../src/mfa/passkeys.ts';
import { SecondFactors } from '../../src/mfa/second-factors.ts';
import { SessionService } from '../../src/sessions/session-service.ts';
import { TokenService } from '../../src/tokens/token-service.ts';

const PG_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const skip =
  process.env.GATEHOUSE_TEST_POSTGRES === '0' || process.env.GATEHOUSE_TEST_REDIS === '0'
    ? 'needs PostgreSQL and Redis (not available here)'
    : false;
const BIN = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url));

/** The public methods of each service that end credentials, by the test that proves it. */
const ENDING = {
  SessionService: ['destroy', 'revoke'],
  TokenService: ['revoke', 'obtain'],
  Accounts: ['setPassword', 'logoutEverywhere', 'setActive', 'delete'],
  Gatehouse: ['logout', 'changePassword', 'login'],
  // Each ends the user's sessions through Revocations.endUserCredentials (their #endOtherSessions),
  // the path setPassword takes: heard by the other instance as proven here through SecondFactors.reset.
  // That each one does end the other sessions: test/http/mfa.test.ts ("a change of factors ends the
  // user's other sessions") and test/http/passkeys.test.ts ("adding and removing a passkey end …").
  SecondFactors: ['activate', 'deactivate', 'reset', 'regenerateRecoveryCodes'],
  Passkeys: ['register', 'remove'],
} as const;
/** The rest: they read, create, or compute; none ends a credential another instance may hold. */
const NOT_ENDING = {
  SessionService: [
    'create',
    'resolve',
    'listAll',
    'list',
    'clearExpired',
    'authHash',
    'cookie',
    'deleteCookie',
    'carryOverRehash',
  ],
  TokenService: ['issue', 'resolve', 'list', 'clearExpired'],
  // setUsername and setEmail publish the user's change (cached copies drop) but end no credential.
  Accounts: [
    'create',
    'getByUsername',
    'getById',
    'listByEmail',
    'list',
    'activate',
    'setUsername',
    'setEmail',
  ],
  Gatehouse: [
    'check',
    'view',
    'urls',
    'finish',
    'authenticateCredentials',
    'csrfFor',
    'rotateCsrf',
    'close',
    'relyingParty',
  ],
  SecondFactors: [
    'isEnabled',
    'status',
    'beginActivation',
    'activationSecret',
    'verifyTotp',
    'useRecoveryCode',
    'recoveryCodes',
    'startLogin',
    'bindingCookieValue',
    'pendingLogin',
    'completeLogin',
  ],
  // removeAll deletes passkeys, which no cache holds; resetmfa ends the sessions through SecondFactors.reset.
  Passkeys: ['registrationOptions', 'loginOptions', 'login', 'list', 'get', 'rename', 'removeAll'],
};

function publicMethods(cls: { prototype: object }): string[] {
  return Object.getOwnPropertyNames(cls.prototype).filter(
    (name) =>
      name !== 'constructor' &&
      typeof Object.getOwnPropertyDescriptor(cls.prototype, name)?.value === 'function',
  );
}

test('every public method of the credential services is classified: ends credentials (tested below, or where its comment says) or not', () => {
  for (const [name, cls] of Object.entries({
    SessionService,
    TokenService,
    Accounts,
    Gatehouse,
    SecondFactors,
    Passkeys,
  })) {
    const known = [...ENDING[name as keyof typeof ENDING], ...NOT_ENDING[name as keyof typeof NOT_ENDING]];
    assert.deepEqual(
      publicMethods(cls).filter((m) => !known.includes(m)),
      [],
      `${name}: classify the new methods`,
    );
  }
});

describe('every public entry point that ends a credential is heard by the other instance at once', {
  skip,
}, () => {
  const database = `gh_paths_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  let env: Record<string, string>;
  let a: Gatehouse;
  let b: Gatehouse;
  const hashers = new PasswordHashers();
  let n = 0;

  before(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    env = {
      DATABASE_URL: url.toString(),
      REDIS_URL,
      GATEHOUSE_REDIS_PREFIX: `ghtest:${database}:`,
      SECRET_KEY: randomBytes(32).toString('base64url'),
      GATEHOUSE_SECURITY_LOG: 'off',
    };
    a = await openGatehouse(loadConfig(env), { hashers });
    b = await openGatehouse(loadConfig(env), { hashers });
  });

  after(async () => {
    await a?.close();
    await b?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  const request = (cookie?: string) =>
    createAuthRequest({
      method: 'POST',
      url: '/api/logout/',
      headers: cookie ? { cookie: `sessionid=${cookie}` } : {},
      clientAddress: '127.0.0.1',
    });

  /** A fresh user with a session and an API token, both warm in A's cache. */
  async function warm(): Promise<{
    user: User;
    key: string;
    sessionId: string;
    token: string;
    tokenId: string;
  }> {
    const user = await b.accounts.create({ username: `user${++n}`, password: 'Pw-12345678' });
    const { key, session } = await b.sessions.create(user, { ip: '127.0.0.1', userAgent: 'test' });
    const issued = await b.tokens.issue(user, { name: 'laptop' });
    for (let i = 0; i < 2; i++) {
      assert.ok(await a.sessions.resolve(key), 'A serves the session');
      assert.ok(await a.tokens.resolve(issued.key), 'A serves the token');
    }
    return { user, key, sessionId: session.id, token: issued.key, tokenId: issued.token.id };
  }

  /** A refuses the session: gone, or its user inactive. */
  async function sessionRefused(key: string): Promise<boolean> {
    try {
      return (await a.sessions.resolve(key)) === null;
    } catch (error) {
      return error instanceof AuthenticationFailed;
    }
  }

  async function tokenRefused(key: string): Promise<boolean> {
    try {
      return (await a.tokens.resolve(key)) === null;
    } catch (error) {
      return error instanceof AuthenticationFailed;
    }
  }

  function cli(args: string[], input = ''): Promise<number | null> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      child.stdin.end(input);
      child.once('error', reject);
      child.once('close', resolve);
    });
  }

  test('SessionService.destroy (logout by cookie)', async () => {
    const w = await warm();
    await b.sessions.destroy(w.key);
    assert.ok(await sessionRefused(w.key));
  });

  test('SessionService.revoke (a session by its public id)', async () => {
    const w = await warm();
    assert.ok(await b.sessions.revoke(w.user.id, w.sessionId));
    assert.ok(await sessionRefused(w.key));
  });

  test('Gatehouse.logout (the request behind the cookie)', async () => {
    const w = await warm();
    await b.logout(request(w.key));
    assert.ok(await sessionRefused(w.key));
  });

  test('Gatehouse.login (the session it replaces)', async () => {
    const w = await warm();
    await b.login(request(w.key), w.user);
    assert.ok(await sessionRefused(w.key));
  });

  test('TokenService.revoke, as the owner and as an operator', async () => {
    const w = await warm();
    assert.ok(await b.tokens.revoke(w.tokenId, w.user.id));
    assert.ok(await tokenRefused(w.token));
    const v = await warm();
    assert.ok(await b.tokens.revoke(v.tokenId, null));
    assert.ok(await tokenRefused(v.token));
  });

  test('TokenService.obtain: the oldest obtained key past the limit', async () => {
    const user = await b.accounts.create({ username: `user${++n}`, password: 'Pw-12345678' });
    const first = await b.tokens.obtain(user, 'api-token-auth');
    assert.ok(first, 'obtained');
    assert.ok(await a.tokens.resolve(first.key));
    assert.ok(await a.tokens.resolve(first.key), 'A serves it from its cache');
    for (let i = 1; i < 20; i++) await b.tokens.obtain(user, 'api-token-auth');
    assert.ok(await a.tokens.resolve(first.key), 'twenty keys: all live');
    await b.tokens.obtain(user, 'api-token-auth');
    assert.ok(await tokenRefused(first.key), 'the twenty-first revoked the first, on A too');
  });

  test('Accounts.setPassword: every session; API tokens only with endTokens', async () => {
    const w = await warm();
    await b.accounts.setPassword(w.user, 'Another-pass-4411');
    assert.ok(await sessionRefused(w.key));
    assert.equal(await tokenRefused(w.token), false, 'API tokens survive a password change (DRF)');
    const v = await warm();
    await b.accounts.setPassword(v.user, 'Another-pass-4411', { endTokens: true });
    assert.ok(await sessionRefused(v.key));
    assert.ok(await tokenRefused(v.token));
  });

  test('Gatehouse.changePassword: the other sessions', async () => {
    const w = await warm();
    await b.changePassword(request(), w.user, 'Another-pass-4411');
    assert.ok(await sessionRefused(w.key));
  });

  test('Accounts.logoutEverywhere: sessions and tokens', async () => {
    const w = await warm();
    await b.accounts.logoutEverywhere(w.user);
    assert.ok(await sessionRefused(w.key));
    assert.ok(await tokenRefused(w.token));
  });

  test('Accounts.setActive(false): every credential answers "User inactive or deleted."', async () => {
    const w = await warm();
    await b.accounts.setActive(w.user, false);
    assert.ok(await sessionRefused(w.key));
    assert.ok(await tokenRefused(w.token));
  });

  test("SecondFactors.reset (an operator's resetmfa): every session", async () => {
    const w = await warm();
    await b.mfa.reset(w.user, { clientAddress: '', path: 'test' });
    assert.ok(await sessionRefused(w.key));
  });

  test('Accounts.delete: the user and every credential it held', async () => {
    const w = await warm();
    await b.accounts.delete(w.user);
    assert.ok(await sessionRefused(w.key));
    assert.ok(await tokenRefused(w.token));
  });

  test('the CLI, another process: revoketoken, changepassword, deactivateuser', async () => {
    const w = await warm();
    assert.equal(await cli(['revoketoken', w.tokenId]), 0);
    assert.ok(await tokenRefused(w.token));
    const v = await warm();
    assert.equal(
      await cli(['changepassword', v.user.username, '--password-stdin'], 'Another-pass-4411\n'),
      0,
    );
    assert.ok(await sessionRefused(v.key));
    const u = await warm();
    assert.equal(await cli(['deactivateuser', u.user.username]), 0);
    assert.ok(await sessionRefused(u.key));
    assert.ok(await tokenRefused(u.token));
  });
});
