import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type NotAuthenticated, PermissionDenied } from '../errors.ts';
import { type Policy, runPipeline } from '../pipeline.ts';
import type { User } from '../stores/types.ts';
import { fakeAuthenticator, makeContext, makeRequest, makeUser } from '../testing/index.ts';
import { IsAdminUser } from './is-admin-user.ts';

/** An authenticator with a Basic challenge that answers `user` (null: "not my scheme"). */
function authenticatingAs(user: User | null) {
  return fakeAuthenticator({ name: 'basic', challenge: 'Basic realm="api"', outcome: user });
}

test('IsAdminUser grants staff only', () => {
  assert.equal(IsAdminUser.hasPermission(makeContext(makeUser({ isStaff: true }))), true);
  assert.equal(IsAdminUser.hasPermission(makeContext(makeUser())), false);
  assert.equal(IsAdminUser.hasPermission(makeContext(null)), false);
});

test('a superuser who is not staff is not an admin user, as in DRF (is_staff only)', () => {
  assert.equal(
    IsAdminUser.hasPermission(makeContext(makeUser({ isSuperuser: true, isStaff: false }))),
    false,
  );
});

test('IsAdminUser: anonymous → not authenticated (401 with a challenge)', async () => {
  const policy: Policy = {
    authenticators: [authenticatingAs(null)],
    permissions: [IsAdminUser],
    throttles: [],
  };
  await assert.rejects(runPipeline(makeRequest(), policy), (error: unknown) => {
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
  await assert.rejects(runPipeline(makeRequest(), policy), (error: unknown) => {
    assert.equal((error as PermissionDenied).status, 403);
    assert.deepEqual((error as PermissionDenied).body, {
      detail: 'You do not have permission to perform this action.',
    });
    assert.deepEqual((error as PermissionDenied).headers, {});
    return true;
  });
});

test('IsAdminUser grants every object once the view is granted', () => {
  assert.equal(IsAdminUser.hasObjectPermission?.(makeContext(makeUser({ isStaff: true })), {}), true);
});

test('IsAdminUser is frozen', () => {
  assert.ok(Object.isFrozen(IsAdminUser));
});
