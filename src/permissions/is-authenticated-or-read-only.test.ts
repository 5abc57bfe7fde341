import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { User } from '../stores/types.ts';
import { makeContext, makeRequest, makeUser } from '../testing/index.ts';
import { IsAuthenticatedOrReadOnly, SAFE_METHODS } from './is-authenticated-or-read-only.ts';

const alice = makeUser();
const context = (method: string, user: User | null) => makeContext(user, makeRequest(method));

test("DRF's SAFE_METHODS are GET, HEAD and OPTIONS (no TRACE, unlike Django's CSRF list)", () => {
  assert.deepEqual([...SAFE_METHODS], ['GET', 'HEAD', 'OPTIONS']);
  assert.ok(Object.isFrozen(SAFE_METHODS));
});

test('anyone may read', () => {
  for (const method of ['GET', 'HEAD', 'OPTIONS']) {
    assert.equal(IsAuthenticatedOrReadOnly.hasPermission(context(method, null)), true, method);
  }
});

test('anonymous writes are refused, TRACE included', () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'TRACE']) {
    assert.equal(IsAuthenticatedOrReadOnly.hasPermission(context(method, null)), false, method);
  }
});

test('users may write', () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    assert.equal(IsAuthenticatedOrReadOnly.hasPermission(context(method, alice)), true, method);
  }
});

test('the method is matched exactly as the request normalised it (upper case)', () => {
  // createAuthRequest upper-cases, so a lower-case "get" from an adapter is still a read.
  assert.equal(IsAuthenticatedOrReadOnly.hasPermission(context('get', null)), true);
});

test('every object is granted once the view is', () => {
  assert.equal(IsAuthenticatedOrReadOnly.hasObjectPermission?.(context('PUT', alice), {}), true);
});
