import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RecoveryCodeStore, UserStore } from '../../src/stores/types.ts';
import { type MakeFixture, makeUser, unique } from './fixture.ts';

/**
 * The RecoveryCodeStore contract, run on every backend: one set per user, a
 * new set voids the old, and each code is used once — also under a race.
 *
 * ```ts
 * recoveryCodeStoreContract('memory', fixture((s) => s.recoveryCodes));
 * ```
 */
export function recoveryCodeStoreContract(name: string, make: MakeFixture<RecoveryCodeStore>): void {
  describe(`RecoveryCodeStore contract: ${name}`, () => {
    let codes: RecoveryCodeStore;
    let users: UserStore;
    let close: () => Promise<void>;
    before(async () => ({ store: codes, users, close } = await make()));
    after(() => close());

    const saved = async () => {
      const userId = (await makeUser(users)).id;
      const sealedCodes = unique('v1.codes');
      await codes.replace({ userId, sealedCodes, createdAt: 1_000 });
      return { userId, sealedCodes };
    };

    test('a new set has no code used; a user without one has null', async () => {
      const { userId, sealedCodes } = await saved();
      assert.deepEqual(await codes.get(userId), {
        userId,
        sealedCodes,
        usedMask: 0,
        createdAt: 1_000,
        lastUsedAt: null,
      });
      assert.equal(await codes.get((await makeUser(users)).id), null);
    });

    test('each code is used once; the mask keeps every used bit', async () => {
      const { userId, sealedCodes } = await saved();
      assert.equal(await codes.markUsed(userId, { sealedCodes, index: 0, now: 2_000 }), true);
      assert.equal(await codes.markUsed(userId, { sealedCodes, index: 0, now: 2_001 }), false);
      assert.equal(await codes.markUsed(userId, { sealedCodes, index: 9, now: 3_000 }), true);
      const set = await codes.get(userId);
      assert.equal(set?.usedMask, 0b10_0000_0001);
      assert.equal(set?.lastUsedAt, 3_000);
    });

    test('a code of a replaced set cannot be used; the new set starts unused', async () => {
      const { userId, sealedCodes } = await saved();
      await codes.markUsed(userId, { sealedCodes, index: 3, now: 2_000 });
      const fresh = unique('v1.codes');
      await codes.replace({ userId, sealedCodes: fresh, createdAt: 4_000 });
      assert.equal(await codes.markUsed(userId, { sealedCodes, index: 4, now: 5_000 }), false);
      assert.deepEqual(await codes.get(userId), {
        userId,
        sealedCodes: fresh,
        usedMask: 0,
        createdAt: 4_000,
        lastUsedAt: null,
      });
    });

    test('of 20 concurrent uses of one code exactly one wins', async () => {
      const { userId, sealedCodes } = await saved();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => codes.markUsed(userId, { sealedCodes, index: 5, now: 9 })),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('concurrent uses of different codes all land', async () => {
      const { userId, sealedCodes } = await saved();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) => codes.markUsed(userId, { sealedCodes, index, now: 9 })),
      );
      assert.deepEqual(results, Array(10).fill(true));
      assert.equal((await codes.get(userId))?.usedMask, 1023);
    });

    test('reseal keeps the mask; delete removes the set once', async () => {
      const { userId, sealedCodes } = await saved();
      await codes.markUsed(userId, { sealedCodes, index: 1, now: 9 });
      assert.equal(await codes.reseal(userId, 'not-it', 'x'), false);
      assert.equal(await codes.reseal(userId, sealedCodes, 'resealed'), true);
      assert.equal((await codes.get(userId))?.usedMask, 2);
      assert.equal(await codes.delete(userId), true);
      assert.equal(await codes.delete(userId), false);
      assert.equal(await codes.get(userId), null);
    });
  });
}
