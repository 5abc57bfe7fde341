import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { User } from '../stores/types.ts';
import { makeContext, makeRequest, makeUser } from '../testing/index.ts';
import { AllowAny } from './allow-any.ts';
import { IsAuthenticated } from './is-authenticated.ts';

const alice = makeUser();
/** The permissions answer the same for every method; POST stands for them all. */
const context = (user: User | null) => makeContext(user, makeRequest('POST'));

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
