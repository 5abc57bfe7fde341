import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type NotAuthenticated, PermissionDenied } from '../errors.ts';
import { type Policy, runPipeline } from '../pipeline.ts';
import { createAuthRequest } from '../request.ts';
import type { User } from '../stores/types.ts';
import type { Authenticator, RequestContext } from '../types.ts';
import { IsAdminUser } from './is-admin-user.ts';

function makeUser(overrides: Partial<User> = {}): User {
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

function context(user: User | null): RequestContext {
  const req = createAuthRequest({ method: 'GET', url: '/admin/', headers: {}, clientAddress: '192.0.2.1' });
  return { req, user, auth: null, authenticator: null, cookies: [] };
}

function authenticatingAs(user: User | null): Authenticator {
  return {
    name: 'basic',
    authenticate: async () => (user ? { user, auth: null } : null),
    authenticateHeader: () => 'Basic realm="api"',
  };
}

test('IsAdminUser grants staff only', () => {
  assert.equal(IsAdminUser.hasPermission(context(makeUser({ isStaff: true }))), true);
  assert.equal(IsAdminUser.hasPermission(context(makeUser())), false);
  assert.equal(IsAdminUser.hasPermission(context(null)), false);
});

test('a superuser who is not staff is not an admin user, as in DRF (is_staff only)', () => {
  assert.equal(IsAdminUser.hasPermission(context(makeUser({ isSuperuser: true, isStaff: false }))), false);
});

test('IsAdminUser: anonymous → not authenticated (401 with a challenge)', async () => {
  const policy: Policy = {
    authenticators: [authenticatingAs(null)],
    permissions: [IsAdminUser],
    throttles: [],
  };
  const req = createAuthRequest({ method: 'GET', url: '/admin/', headers: {}, clientAddress: '192.0.2.1' });
  await assert.rejects(runPipeline(req, policy), (error: unknown) => {
    assert.ok(!(error instanceof PermissionDenied));
    assert.equal((error as NotAuthenticated).status, 401);
    assert.deepEqual((error as NotAuthenticated).body, {
      detail: 'Authentication credentials were not provided.',
    });
    return true;
  });
});

test('IsAdminUser: an authenticated non-staff user → 403 "You do not have permission to perform this action."', async () => {
  const policy: Policy = {
    authenticators: [authenticatingAs(makeUser())],
    permissions: [IsAdminUser],
    throttles: [],
  };
  const req = createAuthRequest({ method: 'GET', url: '/admin/', headers: {}, clientAddress: '192.0.2.1' });
  await assert.rejects(runPipeline(req, policy), (error: unknown) => {
    assert.equal((error as PermissionDenied).status, 403);
    assert.deepEqual((error as PermissionDenied).body, {
      detail: 'You do not have permission to perform this action.',
    });
    assert.deepEqual((error as PermissionDenied).headers, {});
    return true;
  });
});

test('IsAdminUser grants every object once the view is granted', () => {
  assert.equal(IsAdminUser.hasObjectPermission?.(context(makeUser({ isStaff: true })), {}), true);
});

test('IsAdminUser is frozen', () => {
  assert.ok(Object.isFrozen(IsAdminUser));
});
