import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { NewPasskeyRecord, PasskeyStore, UserStore } from '../../src/stores/types.ts';
import { type MakeFixture, makeUser, unique } from './fixture.ts';

/**
 * The PasskeyStore contract, run on every backend: credential ids unique
 * across users, every verb scoped to the owner, newest first, and the
 * counter moved by compare-and-set.
 *
 * ```ts
 * passkeyStoreContract('memory', fixture((s) => s.passkeys));
 * ```
 */
export function passkeyStoreContract(name: string, make: MakeFixture<PasskeyStore>): void {
  describe(`PasskeyStore contract: ${name}`, () => {
    let passkeys: PasskeyStore;
    let users: UserStore;
    let close: () => Promise<void>;
    before(async () => ({ store: passkeys, users, close } = await make()));
    after(() => close());

    const fresh = (userId: number, extra: Partial<NewPasskeyRecord> = {}): NewPasskeyRecord => ({
      userId,
      credentialId: unique('cred'),
      publicKey: 'pQECAyYgASFYIA',
      counter: 0,
      transports: ['internal', 'hybrid'],
      name: 'Passkey',
      discoverable: true,
      backedUp: false,
      createdAt: 1_000,
      lastUsedAt: null,
      ...extra,
    });

    test('a passkey is saved with an id, and found by credential id and by owner', async () => {
      const user = await makeUser(users);
      const saved = await passkeys.create(fresh(user.id, { discoverable: null, backedUp: true }));
      assert.ok(saved);
      assert.equal(typeof saved.id, 'number');
      assert.deepEqual(saved, { ...fresh(user.id), ...saved });
      assert.equal(saved.discoverable, null);
      assert.equal(saved.backedUp, true);
      assert.deepEqual(await passkeys.getByCredentialId(saved.credentialId), saved);
      assert.deepEqual(await passkeys.get(user.id, saved.id), saved);
      assert.equal(await passkeys.getByCredentialId(unique('nope')), null);
    });

    test('a credential id registered to anyone is refused', async () => {
      const [alice, bob] = [await makeUser(users), await makeUser(users)];
      const first = (await passkeys.create(fresh(alice.id)))!;
      assert.equal(await passkeys.create(fresh(bob.id, { credentialId: first.credentialId })), null);
      assert.deepEqual(await passkeys.listByUser(bob.id), []);
    });

    test('another user’s passkey is absent to get, rename and delete', async () => {
      const [alice, bob] = [await makeUser(users), await makeUser(users)];
      const p = (await passkeys.create(fresh(alice.id)))!;
      assert.equal(await passkeys.get(bob.id, p.id), null);
      assert.equal(await passkeys.rename(bob.id, p.id, 'mine'), null);
      assert.equal(await passkeys.delete(bob.id, p.id), null);
      assert.deepEqual(await passkeys.get(alice.id, p.id), p);
    });

    test('list is the owner’s passkeys, newest first; rename and delete act on one', async () => {
      const user = await makeUser(users);
      const old = (await passkeys.create(fresh(user.id, { createdAt: 1_000, name: 'Old' })))!;
      const mid = (await passkeys.create(fresh(user.id, { createdAt: 2_000, name: 'Mid' })))!;
      const neu = (await passkeys.create(fresh(user.id, { createdAt: 3_000, name: 'New' })))!;
      assert.deepEqual(
        (await passkeys.listByUser(user.id)).map((p) => p.name),
        ['New', 'Mid', 'Old'],
      );
      assert.equal((await passkeys.rename(user.id, mid.id, 'Laptop'))?.name, 'Laptop');
      assert.deepEqual(await passkeys.delete(user.id, neu.id), neu);
      assert.equal(await passkeys.delete(user.id, neu.id), null);
      assert.equal(await passkeys.getByCredentialId(neu.credentialId), null);
      assert.deepEqual(
        (await passkeys.listByUser(user.id)).map((p) => [p.id, p.name]),
        [
          [mid.id, 'Laptop'],
          [old.id, 'Old'],
        ],
      );
      assert.equal(await passkeys.deleteByUser(user.id), 2);
      assert.deepEqual(await passkeys.listByUser(user.id), []);
    });

    test('recordUse moves the counter only from the expected value', async () => {
      const user = await makeUser(users);
      const p = (await passkeys.create(fresh(user.id, { counter: 4 })))!;
      assert.equal(await passkeys.recordUse(p.id, { expectedCounter: 3, counter: 5, now: 7_000 }), false);
      assert.equal(await passkeys.recordUse(p.id, { expectedCounter: 4, counter: 5, now: 7_000 }), true);
      assert.equal(await passkeys.recordUse(p.id, { expectedCounter: 4, counter: 6, now: 8_000 }), false);
      const after = await passkeys.get(user.id, p.id);
      assert.equal(after?.counter, 5);
      assert.equal(after?.lastUsedAt, 7_000);
    });

    test('of 20 concurrent uses that read the same counter exactly one lands', async () => {
      const user = await makeUser(users);
      const p = (await passkeys.create(fresh(user.id, { counter: 10 })))!;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          passkeys.recordUse(p.id, { expectedCounter: 10, counter: 11 + i, now: 1 }),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
}
