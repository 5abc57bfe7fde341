/**
 * `gatehouse-auth/testing`: what a test suite of an application built on
 * Gatehouse needs, and what Gatehouse's own unit tests use. Nothing here
 * talks to a framework or starts a server: a fast password hasher that only
 * runs in tests, a logged-in client (session, token or JWT) in one call, a
 * fake clock, user values, requests, request contexts, a fake authenticator
 * and call-counting stores. It never imports `node:test`: use it under any runner.
 *
 * ```ts
 * import { createFakeClock, loggedIn, makeContext, makeUser, testPasswordHashers } from 'gatehouse-auth/testing';
 * const gh = createGatehouse({ stores: createMemoryStores(), secretKey, hashers: testPasswordHashers() });
 * const { headers } = await loggedIn(gh, await gh.accounts.create({ username: 'alice', password: 'Pw-12345678' }), 'jwt');
 * IsAdminUser.hasPermission(makeContext(makeUser({ isStaff: true }))); // true
 * ```
 */

import { type AuthRequest, createAuthRequest, type Headers } from '../request.ts';
import type { User } from '../stores/types.ts';
import type { Authenticator, RequestContext } from '../types.ts';

export { countCalls } from './count-calls.ts';
export { createFakeClock, type FakeClock } from './fake-clock.ts';
export { type CredentialKind, type LoggedIn, loggedIn, requestAs } from './logged-in.ts';
export { isTestProcess, TestPasswordHasher, testPasswordHashers } from './test-hasher.ts';

/**
 * A full `User` value: id 1, username `alice`, no email, no password hash,
 * active, neither staff nor superuser, joined at 0, never logged in,
 * `tokensValidAfter` 0. `overrides` replace any of those.
 *
 * ```ts
 * const admin = makeUser({ id: 2, username: 'root', isStaff: true });
 * ```
 */
export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: 1,
    username: 'alice',
    email: '',
    password: '',
    isActive: true,
    isStaff: false,
    isSuperuser: false,
    dateJoined: 0,
    lastLogin: null,
    tokensValidAfter: 0,
    ...overrides,
  };
}

/** Where a {@link makeRequest} request comes from, when the defaults will not do. */
export interface RequestOrigin {
  /** Path and query; `/api/things/` when not given. */
  url?: string;
  /** `192.0.2.10` (TEST-NET-1) when not given. */
  clientAddress?: string;
  /** HTTPS; false when not given. */
  secure?: boolean;
}

/**
 * An `AuthRequest` as an adapter would build it: `GET /api/things/` from
 * 192.0.2.10 over plain HTTP, with no headers and no body unless given.
 *
 * ```ts
 * makeRequest('POST', { 'content-type': 'application/json' }, '{"a":1}');
 * makeRequest('GET', {}, undefined, { clientAddress: '3.3.3.3' });
 * ```
 */
export function makeRequest(
  method = 'GET',
  headers: Headers = {},
  body?: string | Buffer,
  origin: RequestOrigin = {},
): AuthRequest {
  return createAuthRequest({
    method,
    url: origin.url ?? '/api/things/',
    headers,
    clientAddress: origin.clientAddress ?? '192.0.2.10',
    secure: origin.secure,
    rawBody: body === undefined ? null : Buffer.from(body),
  });
}

/**
 * The `RequestContext` a permission or throttle sees once authentication is
 * done: `user` (null for anonymous), no credential, no authenticator, no
 * cookies to send. The request is `makeRequest()` unless given.
 *
 * ```ts
 * IsAuthenticatedOrReadOnly.hasPermission(makeContext(null, makeRequest('PUT'))); // false
 * ```
 */
export function makeContext(user: User | null, req: AuthRequest = makeRequest()): RequestContext {
  return { req, user, auth: null, authenticator: null, cookies: [] };
}

/** An authenticator that counts how often it was asked. */
export interface FakeAuthenticator extends Authenticator {
  /** How many times `authenticate` ran. */
  calls: number;
}

export interface FakeAuthenticatorOptions {
  /** `fake` when not given. */
  name?: string;
  /**
   * The `WWW-Authenticate` challenge (`'Token'`, `'Basic realm="api"'`); null,
   * the default, is a scheme without one, like sessions: anonymous gets 403.
   */
  challenge?: string | null;
  /** A user authenticates; null, the default, is "not my scheme"; an Error is thrown (bad credentials). */
  outcome?: User | null | Error;
  /** What lands in `ctx.auth` when the user authenticates; null when not given. */
  auth?: unknown;
  /** Session-like: unsafe requests it authenticates are CSRF-checked. */
  enforcesCsrf?: boolean;
}

/**
 * An authenticator that always answers the same way.
 *
 * ```ts
 * const token = fakeAuthenticator({ name: 'token', challenge: 'Token', outcome: makeUser() });
 * const broken = fakeAuthenticator({ outcome: new AuthenticationFailed('Invalid token.') });
 * ```
 */
export function fakeAuthenticator(options: FakeAuthenticatorOptions = {}): FakeAuthenticator {
  const outcome = options.outcome ?? null;
  const auth = options.auth ?? null;
  const challenge = options.challenge ?? null;
  return {
    name: options.name ?? 'fake',
    enforcesCsrf: options.enforcesCsrf,
    calls: 0,
    async authenticate() {
      this.calls++;
      if (outcome instanceof Error) throw outcome;
      return outcome === null ? null : { user: outcome, auth };
    },
    authenticateHeader: () => challenge,
  };
}
