import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TokenRecord, TokenStore, UserStore } from '../../src/stores/types.ts';
import { type MakeFixture, makeUser, unique } from './fixture.ts';

/**
 * The TokenStore (API tokens) contract, run on every backend.
 *
 * ```ts
 * tokenStoreContract('memory', async () => { const s = createMemoryStores(); return { store: s.tokens, users: s.users, close: s.close }; });
 * ```
 */
export function tokenStoreContract(name: string, make: MakeFixture<TokenStore>): void {
  describe(`TokenStore contract: ${name}`, () => {
    let tokens: TokenStore;
    let users: UserStore;
    let close: () => Promise<void>;
    before(async () => ({ store: tokens, users, close } = await make()));
    after(() => close());

    const record = (userId: number, extra: Partial<TokenRecord> = {}): TokenRecord => ({
      id: unique('tok'),
      keyHash: unique('hash'),
      userId,
      name: 'ci',
      createdAt: 1_000,
      lastUsedAt: null,
      expiresAt: null,
      ...extra,
    });
    const sorted = (xs: string[]) => [...xs].sort();

    test('create then getByKeyHash returns the record; unknown hashes are null', async () => {
      const t = record((await makeUser(users)).id, { expiresAt: 9_000 });
      await tokens.create(t);
      assert.deepEqual(await tokens.getByKeyHash(t.keyHash), t);
      assert.equal(await tokens.getByKeyHash(unique('nope')), null);
    });

    test('listByUser lists that user’s tokens only', async () => {
      const [alice, bob] = [await makeUser(users), await makeUser(users)];
      const mine = [record(alice.id, { createdAt: 1 }), record(alice.id, { createdAt: 2 })];
      for (const t of [...mine, record(bob.id)]) await tokens.create(t);
      assert.deepEqual(await tokens.listByUser(alice.id), mine);
    });

    test('delete removes a token of the given user only', async () => {
      const [alice, mallory] = [await makeUser(users), await makeUser(users)];
      const t = record(alice.id);
      await tokens.create(t);
      assert.equal(await tokens.delete(t.id, mallory.id), null);
      assert.deepEqual(await tokens.getByKeyHash(t.keyHash), t);
      assert.deepEqual(await tokens.delete(t.id, alice.id), t);
      assert.equal(await tokens.getByKeyHash(t.keyHash), null);
      assert.equal(await tokens.delete(t.id, alice.id), null);
    });

    test('delete with userId null removes anyone’s token (the admin path)', async () => {
      const t = record((await makeUser(users)).id);
      await tokens.create(t);
      assert.deepEqual(await tokens.delete(t.id, null), t);
      assert.equal(await tokens.delete(t.id, null), null);
      assert.equal(await tokens.delete(unique('nope'), null), null);
    });

    test('deleteByUser removes every token of the user and returns their key hashes', async () => {
      const [alice, bob] = [await makeUser(users), await makeUser(users)];
      const [a, b, other] = [record(alice.id), record(alice.id), record(bob.id)];
      for (const t of [a, b, other]) await tokens.create(t);
      assert.deepEqual(sorted(await tokens.deleteByUser(alice.id)), sorted([a.keyHash, b.keyHash]));
      assert.deepEqual(await tokens.listByUser(alice.id), []);
      assert.deepEqual(await tokens.listByUser(bob.id), [other]);
      assert.deepEqual(await tokens.deleteByUser(alice.id), []);
    });

    test('touch records lastUsedAt', async () => {
      const t = record((await makeUser(users)).id);
      await tokens.create(t);
      await tokens.touch(t.id, 7_000);
      assert.equal((await tokens.getByKeyHash(t.keyHash))?.lastUsedAt, 7_000);
      await tokens.touch(t.id, 8_000);
      assert.equal((await tokens.getByKeyHash(t.keyHash))?.lastUsedAt, 8_000);
      await tokens.touch(unique('nope'), 8_000);
    });

    test('deleteExpired removes tokens whose expiry has come, never those without one', async () => {
      const user = await makeUser(users);
      const now = 50_000;
      const expired = record(user.id, { expiresAt: now - 1 });
      const atNow = record(user.id, { expiresAt: now });
      const live = record(user.id, { expiresAt: now + 1 });
      const forever = record(user.id, { expiresAt: null });
      for (const t of [expired, atNow, live, forever]) await tokens.create(t);
      assert.ok((await tokens.deleteExpired(now)) >= 2);
      assert.deepEqual(
        sorted((await tokens.listByUser(user.id)).map((t) => t.id)),
        sorted([live.id, forever.id]),
      );
      assert.equal(await tokens.deleteExpired(now), 0);
    });

    test('returned records are copies', async () => {
      const t = record((await makeUser(users)).id);
      await tokens.create(t);
      t.name = 'changed';
      (await tokens.getByKeyHash(t.keyHash))!.expiresAt = 1;
      assert.deepEqual(await tokens.getByKeyHash(t.keyHash), { ...t, name: 'ci' });
    });
  });
}
