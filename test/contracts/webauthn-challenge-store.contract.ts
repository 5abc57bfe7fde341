import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UserStore, WebAuthnChallengeStore } from '../../src/stores/types.ts';
import { type MakeFixture, makeUser, unique } from './fixture.ts';

/**
 * The WebAuthnChallengeStore contract, run on every backend: a challenge
 * serves one ceremony, before it expires; a new one under the same key
 * replaces the old.
 *
 * ```ts
 * webAuthnChallengeStoreContract('memory', fixture((s) => s.webauthnChallenges));
 * ```
 */
export function webAuthnChallengeStoreContract(
  name: string,
  make: MakeFixture<WebAuthnChallengeStore>,
): void {
  describe(`WebAuthnChallengeStore contract: ${name}`, () => {
    let challenges: WebAuthnChallengeStore;
    let users: UserStore;
    let close: () => Promise<void>;
    before(async () => ({ store: challenges, users, close } = await make()));
    after(() => close());

    test('a challenge is consumed once', async () => {
      const c = { key: unique('authentication'), challenge: unique('c'), userId: null, expiresAt: 1_000 };
      await challenges.put(c);
      assert.deepEqual(await challenges.consume(c.key, 999), c);
      assert.equal(await challenges.consume(c.key, 999), null);
    });

    test('an expired challenge is not handed back, and is gone', async () => {
      const c = { key: unique('authentication'), challenge: 'c', userId: null, expiresAt: 1_000 };
      await challenges.put(c);
      assert.equal(await challenges.consume(c.key, 1_000), null);
      await challenges.put({ ...c, key: unique('k') });
      assert.equal(await challenges.consume(c.key, 0), null);
    });

    test('a registration challenge keeps its user; a new one under the key replaces the old', async () => {
      const user = await makeUser(users);
      const key = `registration:${user.id}`;
      await challenges.put({ key, challenge: 'first', userId: user.id, expiresAt: 1_000 });
      await challenges.put({ key, challenge: 'second', userId: user.id, expiresAt: 2_000 });
      assert.deepEqual(await challenges.consume(key, 1_500), {
        key,
        challenge: 'second',
        userId: user.id,
        expiresAt: 2_000,
      });
    });

    test('of 20 concurrent consumes exactly one gets the challenge', async () => {
      const c = { key: unique('authentication'), challenge: 'c', userId: null, expiresAt: 1_000 };
      await challenges.put(c);
      const results = await Promise.all(Array.from({ length: 20 }, () => challenges.consume(c.key, 1)));
      assert.equal(results.filter((x) => x !== null).length, 1);
    });

    test('deleteExpired drops expired challenges only', async () => {
      const old = { key: unique('a'), challenge: 'c', userId: null, expiresAt: 10 };
      const live = { key: unique('a'), challenge: 'c', userId: null, expiresAt: 10_000 };
      await challenges.put(old);
      await challenges.put(live);
      assert.ok((await challenges.deleteExpired(10)) >= 1);
      assert.deepEqual(await challenges.consume(live.key, 11), live);
    });
  });
}
