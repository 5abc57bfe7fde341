import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { User } from '../stores/types.ts';
import { makeContext, makeRequest, makeUser } from '../testing/index.ts';
import type { Permission } from '../types.ts';
import { AllowAny } from './allow-any.ts';
import { and, not, or } from './compose.ts';
import { IsAdminUser } from './is-admin-user.ts';
import { IsAuthenticated } from './is-authenticated.ts';

// DRF's tests/test_permissions.py PermissionsCompositionTests, ported case by case.

// DRF's fixture user.
const john = makeUser({ username: 'john', email: 'lennon@thebeatles.com' });
const context = (user: User | null, method = 'GET') => makeContext(user, makeRequest(method));

const anonymous = context(null);
const signedIn = context(john);

/** A permission that answers `answer` for both checks and counts its calls. */
function spy(answer: { view: boolean; object?: boolean }) {
  const calls = { view: 0, object: 0 };
  const permission: Permission = {
    hasPermission() {
      calls.view++;
      return answer.view;
    },
    hasObjectPermission() {
      calls.object++;
      return answer.object ?? true;
    },
  };
  return { permission, calls };
}

test('test_and_false: IsAuthenticated & AllowAny refuses an anonymous user', async () => {
  assert.equal(await and(IsAuthenticated, AllowAny).hasPermission(anonymous), false);
});

test('test_and_true: IsAuthenticated & AllowAny grants a user', async () => {
  assert.equal(await and(IsAuthenticated, AllowAny).hasPermission(signedIn), true);
});

test('test_or_false: IsAuthenticated | AllowAny grants an anonymous user', async () => {
  assert.equal(await or(IsAuthenticated, AllowAny).hasPermission(anonymous), true);
});

test('test_or_true: IsAuthenticated | AllowAny grants a user', async () => {
  assert.equal(await or(IsAuthenticated, AllowAny).hasPermission(signedIn), true);
});

test('test_not_false: ~IsAuthenticated grants an anonymous user', async () => {
  assert.equal(await not(IsAuthenticated).hasPermission(anonymous), true);
});

test('test_not_true: ~AllowAny refuses a user', async () => {
  assert.equal(await not(AllowAny).hasPermission(signedIn), false);
});

test('test_several_levels_without_negation', async () => {
  const composed = and(and(and(IsAuthenticated, IsAuthenticated), IsAuthenticated), IsAuthenticated);
  assert.equal(await composed.hasPermission(signedIn), true);
  assert.equal(
    await and(IsAuthenticated, IsAuthenticated, IsAuthenticated, IsAuthenticated).hasPermission(signedIn),
    true,
  );
});

test('test_several_levels_and_precedence_with_negation: A & ~B & A & ~(B & B)', async () => {
  // Python: ~ binds tighter than &, so this is ((A & ~B) & A) & ~(B & B).
  const composed = and(
    and(and(IsAuthenticated, not(IsAdminUser)), IsAuthenticated),
    not(and(IsAdminUser, IsAdminUser)),
  );
  assert.equal(await composed.hasPermission(signedIn), true);
});

test('test_several_levels_and_precedence: A & A | A & A is (A & A) | (A & A)', async () => {
  const composed = or(and(IsAuthenticated, IsAuthenticated), and(IsAuthenticated, IsAuthenticated));
  assert.equal(await composed.hasPermission(signedIn), true);
  assert.equal(await composed.hasPermission(anonymous), false);
});

test('precedence matters: AllowAny | A & B grants where (AllowAny | A) & B would not', async () => {
  // Python's `AllowAny | IsAuthenticated & IsAdminUser` is `AllowAny | (IsAuthenticated & IsAdminUser)`.
  assert.equal(await or(AllowAny, and(IsAuthenticated, IsAdminUser)).hasPermission(anonymous), true);
  assert.equal(await and(or(AllowAny, IsAuthenticated), IsAdminUser).hasPermission(anonymous), false);
});

test('test_or_lazyness: OR stops at the first grant', async () => {
  const allow = spy({ view: true });
  const deny = spy({ view: false });
  assert.equal(await or(allow.permission, deny.permission).hasPermission(anonymous), true);
  assert.deepEqual([allow.calls.view, deny.calls.view], [1, 0]);

  const allow2 = spy({ view: true });
  const deny2 = spy({ view: false });
  assert.equal(await or(deny2.permission, allow2.permission).hasPermission(anonymous), true);
  assert.deepEqual([deny2.calls.view, allow2.calls.view], [1, 1]);
});

test('test_and_lazyness: AND stops at the first refusal', async () => {
  const allow = spy({ view: true });
  const deny = spy({ view: false });
  assert.equal(await and(allow.permission, deny.permission).hasPermission(anonymous), false);
  assert.deepEqual([allow.calls.view, deny.calls.view], [1, 1]);

  const allow2 = spy({ view: true });
  const deny2 = spy({ view: false });
  assert.equal(await and(deny2.permission, allow2.permission).hasPermission(anonymous), false);
  assert.deepEqual([deny2.calls.view, allow2.calls.view], [1, 0]);
});

test('test_object_and_lazyness: object AND stops at the first refusal', async () => {
  const allow = spy({ view: true, object: true });
  const deny = spy({ view: true, object: false });
  assert.equal(await and(allow.permission, deny.permission).hasObjectPermission?.(anonymous, {}), false);
  assert.deepEqual([allow.calls.object, deny.calls.object], [1, 1]);

  const allow2 = spy({ view: true, object: true });
  const deny2 = spy({ view: true, object: false });
  assert.equal(await and(deny2.permission, allow2.permission).hasObjectPermission?.(anonymous, {}), false);
  assert.deepEqual([deny2.calls.object, allow2.calls.object], [1, 0]);
});

test('test_object_or_lazyness: object OR stops at the first operand that grants view and object', async () => {
  const allow = spy({ view: true, object: true });
  const deny = spy({ view: true, object: false });
  assert.equal(await or(allow.permission, deny.permission).hasObjectPermission?.(anonymous, {}), true);
  assert.deepEqual([allow.calls.object, deny.calls.object], [1, 0]);
});

test('PR #7522: object OR skips the object check of an operand that refuses the view', async () => {
  // DRF: (IsAuthenticated | AllowAny).has_object_permission for an anonymous user never calls
  // IsAuthenticated.has_object_permission, because IsAuthenticated.has_permission is false.
  const isAuthenticatedSpy: Permission & { objectCalls: number } = {
    objectCalls: 0,
    hasPermission: (ctx) => ctx.user !== null,
    hasObjectPermission() {
      this.objectCalls++;
      return false;
    },
  };
  const allow = spy({ view: true, object: true });
  assert.equal(await or(isAuthenticatedSpy, allow.permission).hasObjectPermission?.(anonymous, {}), true);
  assert.equal(isAuthenticatedSpy.objectCalls, 0);
  assert.equal(allow.calls.object, 1);
});

test('test_unimplemented_has_object_permission (issue #6402): IsAuthenticatedUserOwner | IsAdminUser refuses anonymous', async () => {
  const isAuthenticatedUserOwner: Permission = {
    hasPermission: (ctx) => ctx.user !== null,
    hasObjectPermission: () => true,
  };
  assert.equal(await or(isAuthenticatedUserOwner, IsAdminUser).hasObjectPermission?.(anonymous, {}), false);
});

test('PR #7522: IsAdminUser | IsAuthor lets a non-author non-admin through neither the view nor the object', async () => {
  const isAuthor: Permission = {
    hasPermission: () => true,
    hasObjectPermission: (ctx, obj) => (obj as { authorId: number }).authorId === ctx.user?.id,
  };
  const composed = or(IsAdminUser, isAuthor);
  const someoneElses = { authorId: 99 };
  assert.equal(await composed.hasPermission(signedIn), true, 'the view is granted by IsAuthor');
  assert.equal(await composed.hasObjectPermission?.(signedIn, someoneElses), false, 'but not the object');
  assert.equal(await composed.hasObjectPermission?.(signedIn, { authorId: 1 }), true);
  const admin = context({ ...john, id: 7, isStaff: true });
  assert.equal(await composed.hasObjectPermission?.(admin, someoneElses), true);
});

test('before PR #7522 plain op1.obj or op2.obj would grant; Gatehouse must not', async () => {
  // op1 refuses the view but would grant the object; op2 grants the view but refuses the object.
  const op1 = spy({ view: false, object: true });
  const op2 = spy({ view: true, object: false });
  assert.equal(await or(op1.permission, op2.permission).hasObjectPermission?.(signedIn, {}), false);
});

test('NOT negates the object check too', async () => {
  assert.equal(
    await not(spy({ view: true, object: true }).permission).hasObjectPermission?.(signedIn, {}),
    false,
  );
  assert.equal(
    await not(spy({ view: true, object: false }).permission).hasObjectPermission?.(signedIn, {}),
    true,
  );
});

test('an operand without hasObjectPermission grants the object, as BasePermission', async () => {
  const viewOnly: Permission = { hasPermission: () => true };
  assert.equal(await and(viewOnly, AllowAny).hasObjectPermission?.(signedIn, {}), true);
  assert.equal(await or(viewOnly).hasObjectPermission?.(signedIn, {}), true);
  assert.equal(await not(viewOnly).hasObjectPermission?.(signedIn, {}), false);
});

test('composed permissions carry no message, so a refusal uses the default text', () => {
  const custom: Permission = { message: 'Custom', hasPermission: () => false };
  assert.equal(or(custom, IsAdminUser).message, undefined);
  assert.equal(and(custom, IsAdminUser).message, undefined);
  assert.equal(not(custom).message, undefined);
});

test('async operands are awaited', async () => {
  const later: Permission = { hasPermission: async () => false, hasObjectPermission: async () => false };
  assert.equal(await and(AllowAny, later).hasPermission(signedIn), false);
  assert.equal(await or(later, AllowAny).hasPermission(signedIn), true);
  assert.equal(await not(later).hasPermission(signedIn), true);
  assert.equal(await or(later, later).hasObjectPermission?.(signedIn, {}), false);
});

test('composed permissions are frozen: no per-request state can be stored on them', () => {
  assert.ok(Object.isFrozen(and(AllowAny)));
  assert.ok(Object.isFrozen(or(AllowAny)));
  assert.ok(Object.isFrozen(not(AllowAny)));
});

test('degenerate arities: and() grants, or() refuses', async () => {
  assert.equal(await and().hasPermission(signedIn), true);
  assert.equal(await or().hasPermission(signedIn), false);
});
