import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAuthRequest } from '../request.ts';
import type { User } from '../stores/types.ts';
import type { RequestContext } from '../types.ts';
import { AllowAny } from './allow-any.ts';
import { IsAuthenticated } from './is-authenticated.ts';

const alice: User = {
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
};

function context(user: User | null): RequestContext {
  const req = createAuthRequest({ method: 'POST', url: '/', headers: {}, clientAddress: '192.0.2.1' });
  return { req, user, auth: null, authenticator: null, cookies: [] };
}

test('IsAuthenticated grants users and refuses anonymous requests, for every method', () => {
  assert.equal(IsAuthenticated.hasPermission(context(alice)), true);
  assert.equal(IsAuthenticated.hasPermission(context(null)), false);
  assert.equal(IsAuthenticated.hasObjectPermission?.(context(alice), {}), true);
});

test('AllowAny grants everyone and every object', () => {
  assert.equal(AllowAny.hasPermission(context(null)), true);
  assert.equal(AllowAny.hasObjectPermission?.(context(null), {}), true);
});

test('built-in permissions are frozen constants with no message of their own', () => {
  for (const permission of [IsAuthenticated, AllowAny]) {
    assert.ok(Object.isFrozen(permission));
    assert.equal(permission.message, undefined);
  }
});
