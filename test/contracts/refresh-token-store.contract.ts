import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RefreshTokenRecord, RefreshTokenStore, UserStore } from '../../src/stores/types.ts';
import { type MakeFixture, makeUser, unique } from './fixture.ts';

/**
 * The RefreshTokenStore contract, run on every backend: a refresh token is
 * consumed once, and any later use is reported as spent (a replay); a family
 * is live while it is not revoked and not born before its user's
 * `tokensValidAfter`, and no token of a dead family is consumed, blacklisted
 * or succeeded — decided in the same step as the write, so a revocation that
 * meets a rotation or a login leaves nothing live in any interleaving (issue 8).
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

    const BORN = 1_000;

    /** Starts a family born at `bornAt` and returns its first token. */
    const start = async (userId: number, bornAt = BORN, expiresAt = 1e12): Promise<RefreshTokenRecord> => {
      const familyId = unique('fam');
      const first = { jti: unique('jti'), familyId, userId, expiresAt };
      assert.equal(await tokens.startFamily({ id: familyId, userId, bornAt }, first), true);
      return first;
    };
    const next = (of: RefreshTokenRecord, expiresAt = 1e12): RefreshTokenRecord => ({
      jti: unique('jti'),
      familyId: of.familyId,
      userId: of.userId,
      expiresAt,
    });
    /** Issues a successor in `of`'s family, which must be live. */
    const succeed = async (of: RefreshTokenRecord, expiresAt = 1e12): Promise<RefreshTokenRecord> => {
      const token = next(of, expiresAt);
      assert.equal(await tokens.issue(token), true);
      return token;
    };

    test('a started family’s token is consumed once, then reported spent', async () => {
      const t = await start((await makeUser(users)).id);
      assert.deepEqual(await tokens.inspect(t.jti), { status: 'outstanding', record: t, bornAt: BORN });
      assert.deepEqual(await tokens.consume(t.jti), { status: 'consumed', record: t, bornAt: BORN });
      assert.deepEqual(await tokens.consume(t.jti), { status: 'spent', record: t, bornAt: BORN });
      assert.deepEqual(await tokens.inspect(t.jti), { status: 'spent', record: t, bornAt: BORN });
    });

    test('a successor is recorded in its family and consumed like the first', async () => {
      const first = await start((await makeUser(users)).id);
      await tokens.consume(first.jti);
      const second = await succeed(first);
      assert.deepEqual(await tokens.consume(second.jti), {
        status: 'consumed',
        record: second,
        bornAt: BORN,
      });
    });

    test('an unknown jti is unknown; an unknown family takes no successor', async () => {
      assert.deepEqual(await tokens.consume(unique('nope')), { status: 'unknown' });
      assert.deepEqual(await tokens.inspect(unique('nope')), { status: 'unknown' });
      assert.equal(await tokens.blacklist(unique('nope')), false);
      const user = await makeUser(users);
      const orphan = { jti: unique('jti'), familyId: unique('fam'), userId: user.id, expiresAt: 1e12 };
      assert.equal(await tokens.issue(orphan), false);
      assert.deepEqual(await tokens.consume(orphan.jti), { status: 'unknown' });
      assert.equal(await tokens.revokeFamily(unique('fam')), 0);
    });

    test('a family starts only for a user that exists', async () => {
      const familyId = unique('fam');
      const first = { jti: unique('jti'), familyId, userId: 987_654_321, expiresAt: 1e12 };
      assert.equal(
        await tokens.startFamily({ id: familyId, userId: first.userId, bornAt: BORN }, first),
        false,
      );
      assert.deepEqual(await tokens.inspect(first.jti), { status: 'unknown' });
    });

    test('of 20 concurrent consumes of one jti exactly one wins', async () => {
      const t = await start((await makeUser(users)).id);
      const results = await Promise.all(Array.from({ length: 20 }, () => tokens.consume(t.jti)));
      assert.equal(results.filter((r) => r.status === 'consumed').length, 1);
      assert.equal(results.filter((r) => r.status === 'spent').length, 19);
    });

    test('a blacklisted token cannot be consumed; blacklisting twice is false', async () => {
      const t = await start((await makeUser(users)).id);
      assert.equal(await tokens.blacklist(t.jti), true);
      assert.equal(await tokens.blacklist(t.jti), false);
      assert.equal((await tokens.inspect(t.jti)).status, 'spent');
      assert.deepEqual(await tokens.consume(t.jti), { status: 'spent', record: t, bornAt: BORN });
    });

    test('blacklist is false for a token already used', async () => {
      const t = await start((await makeUser(users)).id);
      await tokens.consume(t.jti);
      assert.equal(await tokens.blacklist(t.jti), false);
    });

    test('issue 8.3: revokeFamily ends the family — its outstanding tokens are refused and no successor is issued — and no other', async () => {
      const user = await makeUser(users);
      const used = await start(user.id);
      await tokens.consume(used.jti);
      const live = await succeed(used);
      const stranger = await start(user.id);
      assert.equal(await tokens.revokeFamily(used.familyId), 1);
      assert.deepEqual(await tokens.consume(live.jti), { status: 'revoked', record: live, bornAt: BORN });
      assert.equal((await tokens.inspect(live.jti)).status, 'revoked');
      assert.equal(await tokens.blacklist(live.jti), false);
      assert.equal((await tokens.consume(used.jti)).status, 'spent', 'a replay is still a replay');
      assert.equal(await tokens.issue(next(live)), false);
      assert.equal((await tokens.inspect(stranger.jti)).status, 'outstanding');
      assert.equal(await tokens.revokeFamily(used.familyId), 0);
    });

    test('issue 8.2: revokeUser ends every family of the user, successors included, and no one else’s', async () => {
      const [alice, bob] = [await makeUser(users), await makeUser(users)];
      const mine = [await start(alice.id), await start(alice.id), await start(alice.id)];
      const theirs = await start(bob.id);
      assert.equal(await tokens.revokeUser(alice.id), 3);
      for (const t of mine) {
        assert.equal((await tokens.consume(t.jti)).status, 'revoked');
        assert.equal(await tokens.issue(next(t)), false);
      }
      assert.equal((await tokens.consume(theirs.jti)).status, 'consumed');
      assert.equal(await tokens.revokeUser(alice.id), 0);
    });

    test('issue 8.2: a family born before its user’s tokensValidAfter does not start, rotate or refresh', async () => {
      const user = await makeUser(users);
      const before = await start(user.id, 1_000);
      await users.update(user.id, { tokensValidAfter: 2_000 });
      assert.deepEqual(await tokens.inspect(before.jti), {
        status: 'revoked',
        record: before,
        bornAt: 1_000,
      });
      assert.equal(await tokens.issue(next(before)), false);
      assert.deepEqual(await tokens.consume(before.jti), {
        status: 'revoked',
        record: before,
        bornAt: 1_000,
      });
      // A login checked at 1999 straddled the change: nothing of it is stored.
      const familyId = unique('fam');
      const late = { jti: unique('jti'), familyId, userId: user.id, expiresAt: 1e12 };
      assert.equal(await tokens.startFamily({ id: familyId, userId: user.id, bornAt: 1_999 }, late), false);
      assert.deepEqual(await tokens.inspect(late.jti), { status: 'unknown' });
      // A login checked at the cut-off itself is after it.
      const after = await start(user.id, 2_000);
      assert.equal((await tokens.consume(after.jti)).status, 'consumed');
      assert.equal(await tokens.issue(next(after)), true);
    });

    test('issue 8.3: a successor issued while its family is revoked is refused or dead, in every interleaving', async () => {
      const user = await makeUser(users);
      for (let round = 0; round < 30; round++) {
        const first = await start(user.id);
        await tokens.consume(first.jti);
        const successor = next(first);
        const [issued] = await Promise.all([tokens.issue(successor), tokens.revokeFamily(first.familyId)]);
        assert.notEqual((await tokens.consume(successor.jti)).status, 'consumed', `round ${round}`);
        assert.equal((await tokens.inspect(successor.jti)).status, issued ? 'revoked' : 'unknown');
      }
    });

    test('issue 8.2: a family started while its user’s cut-off moves past its birth is never consumed', async () => {
      const user = await makeUser(users);
      for (let round = 0; round < 30; round++) {
        const bornAt = 10_000 + round * 10;
        const familyId = unique('fam');
        const first = { jti: unique('jti'), familyId, userId: user.id, expiresAt: 1e12 };
        await Promise.all([
          tokens.startFamily({ id: familyId, userId: user.id, bornAt }, first),
          (async () => {
            await users.update(user.id, { tokensValidAfter: bornAt + 1 });
            await tokens.revokeUser(user.id);
          })(),
        ]);
        assert.notEqual((await tokens.consume(first.jti)).status, 'consumed', `round ${round}`);
      }
    });

    test('deleteExpired forgets tokens whose expiry has come, whatever their state, and families left empty', async () => {
      const user = await makeUser(users);
      const now = 5_000;
      const [expired, spentExpired, atNow] = [
        await start(user.id, BORN, now - 1),
        await start(user.id, BORN, now - 1),
        await start(user.id, BORN, now),
      ];
      const live = await start(user.id, BORN, now + 1);
      await tokens.blacklist(spentExpired.jti);
      // A family with one expired and one live token keeps its live one.
      await tokens.consume(expired.jti);
      const descendant = await succeed(expired, now + 1);
      assert.equal(await tokens.deleteExpired(now), 3);
      for (const t of [expired, spentExpired, atNow])
        assert.deepEqual(await tokens.consume(t.jti), { status: 'unknown' });
      assert.equal((await tokens.consume(live.jti)).status, 'consumed');
      assert.equal((await tokens.consume(descendant.jti)).status, 'consumed');
      // The emptied families are gone: they take no successor.
      assert.equal(await tokens.issue(next(atNow)), false);
    });
  });
}
