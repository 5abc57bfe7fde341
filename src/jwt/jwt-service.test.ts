import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Revocations } from '../revocations.ts';
import { createMemoryStores } from '../stores/memory/index.ts';
import type { ConsumeResult } from '../stores/types.ts';
import { hs256Codec } from './fixtures.ts';
import { JwtService, RefreshRefused } from './jwt-service.ts';
import { TokenError } from './token-error.ts';

/**
 * Issue 8's interleavings, each forced at the one step where it hurt: a hook
 * on a store verb runs the other party (a logout everywhere, a password
 * change, a replay) between the check and the write, with the clock moved on.
 */
function setup() {
  const { codec, clock } = hs256Codec();
  const stores = createMemoryStores({ clock });
  const jwt = new JwtService({ codec, users: stores.users, refreshTokens: stores.refreshTokens, clock });
  const revocations = new Revocations({ stores, clock });
  const user = () =>
    stores.users.create({ username: `u${Math.random()}`, email: '', password: 'hash-1', dateJoined: 0 });
  /** Runs `meanwhile` once, right after the next consume has decided. */
  const afterNextConsume = (meanwhile: () => Promise<void>) => {
    const consume = stores.refreshTokens.consume.bind(stores.refreshTokens);
    let armed = true;
    stores.refreshTokens.consume = async (jti: string): Promise<ConsumeResult> => {
      const result = await consume(jti);
      if (armed) {
        armed = false;
        await meanwhile();
      }
      return result;
    };
  };
  /** Whether an access token would authenticate now (JWTAuthentication's checks). */
  const authenticates = async (access: string) => {
    const claims = await jwt.verifyAccess(access);
    const holder = await stores.users.getById(Number(claims.user_id));
    return holder?.isActive === true && !jwt.revokedForUser(claims, holder);
  };
  return { clock, stores, jwt, revocations, user, afterNextConsume, authenticates };
}

describe('JwtService races (issue 8)', () => {
  test('issue 8.2: a refresh that consumed before a logout everywhere and signs after it mints nothing that outlives it', async () => {
    const { clock, jwt, revocations, user, afterNextConsume, authenticates } = setup();
    const alice = await user();
    const pair = await jwt.obtain(alice);
    afterNextConsume(async () => {
      clock.advance(7);
      await revocations.endUserCredentials(alice.id, { tokens: true });
      clock.advance(7);
    });
    const rotated = await jwt.refresh(pair.refresh);
    assert.equal(
      await authenticates(rotated.access),
      false,
      'an access token newer than the check that allowed it',
    );
    await assert.rejects(jwt.refresh(rotated.refresh), TokenError);
  });

  test('issue 8.2: a login checked with a password that has changed since gets no pair', async () => {
    const { clock, stores, jwt, revocations, user } = setup();
    const checked = await user(); // the record the password was verified against
    await stores.users.update(checked.id, { password: 'hash-2' });
    await revocations.endUserCredentials(checked.id, { tokens: false });
    clock.advance(10);
    await assert.rejects(jwt.obtain(checked), (error: unknown) => {
      assert.ok(error instanceof RefreshRefused);
      assert.equal(error.message, 'No active account found with the given credentials');
      return true;
    });
  });

  test("issue 8.2: a login whose family would start after its user's cut-off passed the check gets no pair", async () => {
    const { stores, jwt, revocations, user } = setup();
    const bob = await user();
    const startFamily = stores.refreshTokens.startFamily.bind(stores.refreshTokens);
    stores.refreshTokens.startFamily = async (family, first) => {
      await revocations.endUserCredentials(bob.id, { tokens: true }); // lands between the check and the write
      return startFamily(family, first);
    };
    await assert.rejects(jwt.obtain(bob), RefreshRefused);
  });

  test("issue 8.3: a replay that ends the family between the winner's consume and its insert leaves no live successor", async () => {
    const { jwt, user, afterNextConsume } = setup();
    const carol = await user();
    const { refresh } = await jwt.obtain(carol);
    afterNextConsume(async () => {
      await assert.rejects(jwt.refresh(refresh), { message: 'Token is blacklisted', reason: 'reused' });
    });
    const winner = await jwt.refresh(refresh); // JWT-18: the rotation that won still answers
    await assert.rejects(jwt.refresh(winner.refresh), { message: 'Token is blacklisted' });
  });
});
