import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RefreshTokenRecord, RefreshTokenStore, UserStore } from '../../src/stores/types.ts';
import { type MakeFixture, makeUser, unique } from './fixture.ts';

/**
 * The RefreshTokenStore contract, run on every backend: a refresh token is
 * consumed once, and any later use is reported as spent (a replay).
 *
 * ```ts
 * refreshTokenStoreContract('memory', async () => { const s = createMemoryStores(); return { store: s.refreshTokens, users: s.users, close: s.close }; });
 * ```
 */
export function refreshTokenStoreContract(name: string, make: MakeFixture<RefreshTokenStore>): void {
  describe(`RefreshTokenStore contract: ${name}`, () => {
    let tokens: RefreshTokenStore;
    let users: UserStore;
    let close: () => Promise<void>;
    before(async () => ({ store: tokens, users, close } = await make()));
    after(() => close());

    const issue = async (
      userId: number,
      familyId = unique('fam'),
      expiresAt = 1e12,
    ): Promise<RefreshTokenRecord> => {
      const record = { jti: unique('jti'), familyId, userId, expiresAt };
      await tokens.issue(record);
      return record;
    };

    test('an issued token is consumed once, then reported spent', async () => {
      const t = await issue((await makeUser(users)).id);
      assert.equal(await tokens.isSpent(t.jti), false);
      assert.deepEqual(await tokens.consume(t.jti), { status: 'consumed', record: t });
      assert.deepEqual(await tokens.consume(t.jti), { status: 'spent', record: t });
      assert.equal(await tokens.isSpent(t.jti), true);
    });

    test('an unknown jti is unknown and not spent', async () => {
      assert.deepEqual(await tokens.consume(unique('nope')), { status: 'unknown' });
      assert.equal(await tokens.isSpent(unique('nope')), false);
      assert.equal(await tokens.blacklist(unique('nope')), false);
    });

    test('of 20 concurrent consumes of one jti exactly one wins', async () => {
      const t = await issue((await makeUser(users)).id);
      const results = await Promise.all(Array.from({ length: 20 }, () => tokens.consume(t.jti)));
      assert.equal(results.filter((r) => r.status === 'consumed').length, 1);
      assert.equal(results.filter((r) => r.status === 'spent').length, 19);
    });

    test('a blacklisted token cannot be consumed; blacklisting twice is false', async () => {
      const t = await issue((await makeUser(users)).id);
      assert.equal(await tokens.blacklist(t.jti), true);
      assert.equal(await tokens.blacklist(t.jti), false);
      assert.equal(await tokens.isSpent(t.jti), true);
      assert.deepEqual(await tokens.consume(t.jti), { status: 'spent', record: t });
    });

    test('blacklist is false for a token already used', async () => {
      const t = await issue((await makeUser(users)).id);
      await tokens.consume(t.jti);
      assert.equal(await tokens.blacklist(t.jti), false);
    });

    test('revokeFamily blacklists the family’s outstanding tokens and no others', async () => {
      const user = await makeUser(users);
      const family = unique('fam');
      const [used, a, b] = [
        await issue(user.id, family),
        await issue(user.id, family),
        await issue(user.id, family),
      ];
      const stranger = await issue(user.id);
      await tokens.consume(used.jti);
      assert.equal(await tokens.revokeFamily(family), 2);
      for (const t of [used, a, b]) assert.equal((await tokens.consume(t.jti)).status, 'spent');
      assert.equal(await tokens.isSpent(stranger.jti), false);
      assert.equal(await tokens.revokeFamily(family), 0);
    });

    test('revokeUser blacklists every outstanding token of the user and no one else’s', async () => {
      const [alice, bob] = [await makeUser(users), await makeUser(users)];
      const mine = [await issue(alice.id), await issue(alice.id), await issue(alice.id)];
      const theirs = await issue(bob.id);
      assert.equal(await tokens.revokeUser(alice.id), 3);
      for (const t of mine) assert.equal(await tokens.isSpent(t.jti), true);
      assert.equal(await tokens.isSpent(theirs.jti), false);
      assert.equal(await tokens.revokeUser(alice.id), 0);
    });

    test('deleteExpired forgets tokens whose expiry has come, whatever their state', async () => {
      const user = await makeUser(users);
      const now = 5_000;
      const [expired, spentExpired, atNow] = [
        await issue(user.id, unique('fam'), now - 1),
        await issue(user.id, unique('fam'), now - 1),
        await issue(user.id, unique('fam'), now),
      ];
      const live = await issue(user.id, unique('fam'), now + 1);
      await tokens.blacklist(spentExpired.jti);
      assert.equal(await tokens.deleteExpired(now), 3);
      for (const t of [expired, spentExpired, atNow])
        assert.deepEqual(await tokens.consume(t.jti), { status: 'unknown' });
      assert.equal((await tokens.consume(live.jti)).status, 'consumed');
    });
  });
}
