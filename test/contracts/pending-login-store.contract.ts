import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PendingLogin, PendingLoginStore, UserStore } from '../../src/stores/types.ts';
import { type MakeFixture, makeUser, unique } from './fixture.ts';

/**
 * The PendingLoginStore contract, run on every backend: expiry decided by the
 * verbs, attempts counted atomically up to a limit, and single use.
 *
 * ```ts
 * pendingLoginStoreContract('memory', fixture((s) => s.pendingLogins));
 * ```
 */
export function pendingLoginStoreContract(name: string, make: MakeFixture<PendingLoginStore>): void {
  describe(`PendingLoginStore contract: ${name}`, () => {
    let pending: PendingLoginStore;
    let users: UserStore;
    let close: () => Promise<void>;
    before(async () => ({ store: pending, users, close } = await make()));
    after(() => close());

    const started = async (expiresAt = 300_000): Promise<PendingLogin> => {
      const record: PendingLogin = {
        tokenHash: unique('hash'),
        kind: 'jwt',
        userId: (await makeUser(users)).id,
        binding: unique('binding'),
        createdAt: 0,
        attempts: 0,
      };
      await pending.create(record, expiresAt);
      return record;
    };

    test('a record is read back until it expires, then it is absent', async () => {
      const r = await started(300_000);
      assert.deepEqual(await pending.get(r.tokenHash, 299_999), r);
      assert.equal(await pending.get(r.tokenHash, 300_000), null);
      assert.equal(await pending.get(unique('nope'), 0), null);
    });

    test('every kind of login is kept as it was started', async () => {
      for (const kind of ['session', 'token', 'authtoken', 'jwt', 'browsable'] as const) {
        const r = { ...(await started()), tokenHash: unique('hash'), kind };
        await pending.create(r, 300_000);
        assert.equal((await pending.get(r.tokenHash, 1))?.kind, kind);
      }
    });

    test('attempts are counted up to the limit, then refused', async () => {
      const r = await started();
      for (let n = 1; n <= 5; n++)
        assert.equal((await pending.recordAttempt(r.tokenHash, { now: 1, maxAttempts: 5 }))?.attempts, n);
      assert.equal(await pending.recordAttempt(r.tokenHash, { now: 1, maxAttempts: 5 }), null);
      assert.equal((await pending.get(r.tokenHash, 1))?.attempts, 5);
    });

    test('an expired record takes no attempt', async () => {
      const r = await started(100);
      assert.equal(await pending.recordAttempt(r.tokenHash, { now: 100, maxAttempts: 5 }), null);
    });

    test('of 20 concurrent attempts at most the limit are counted', async () => {
      const r = await started();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => pending.recordAttempt(r.tokenHash, { now: 1, maxAttempts: 5 })),
      );
      assert.equal(results.filter((x) => x !== null).length, 5);
      assert.deepEqual(
        results
          .filter((x) => x !== null)
          .map((x) => x.attempts)
          .sort(),
        [1, 2, 3, 4, 5],
      );
    });

    test('consume hands the record back once; an expired one is gone but not handed back', async () => {
      const r = await started();
      await pending.recordAttempt(r.tokenHash, { now: 1, maxAttempts: 5 });
      assert.deepEqual(await pending.consume(r.tokenHash, 2), { ...r, attempts: 1 });
      assert.equal(await pending.consume(r.tokenHash, 2), null);
      assert.equal(await pending.get(r.tokenHash, 2), null);
      const old = await started(100);
      assert.equal(await pending.consume(old.tokenHash, 100), null);
      assert.equal(await pending.get(old.tokenHash, 0), null, 'deleted, not just hidden');
    });

    test('of 20 concurrent consumes exactly one gets the record', async () => {
      const r = await started();
      const results = await Promise.all(Array.from({ length: 20 }, () => pending.consume(r.tokenHash, 1)));
      assert.equal(results.filter((x) => x !== null).length, 1);
    });

    test('deleteExpired drops the expired records and keeps the live ones', async () => {
      const old = await started(50);
      const live = await started(10_000);
      assert.ok((await pending.deleteExpired(50)) >= 1);
      assert.equal(await pending.get(old.tokenHash, 0), null);
      assert.deepEqual(await pending.get(live.tokenHash, 50), live);
    });
  });
}
