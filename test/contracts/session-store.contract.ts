import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SessionRecord, SessionStore, UserStore } from '../../src/stores/types.ts';
import { type MakeFixture, makeUser, unique } from './fixture.ts';

/**
 * The SessionStore contract, run on every backend.
 *
 * ```ts
 * sessionStoreContract('memory', async () => { const s = createMemoryStores(); return { store: s.sessions, users: s.users, close: s.close }; });
 * ```
 */
export function sessionStoreContract(name: string, make: MakeFixture<SessionStore>): void {
  describe(`SessionStore contract: ${name}`, () => {
    let sessions: SessionStore;
    let users: UserStore;
    let close: () => Promise<void>;
    before(async () => ({ store: sessions, users, close } = await make()));
    after(() => close());

    const record = (userId: number, at = 1_000): SessionRecord => ({
      id: unique('sid'),
      keyHash: unique('hash'),
      userId,
      authHash: 'auth',
      createdAt: at,
      lastSeenAt: at,
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
    });
    const sorted = (xs: string[]) => [...xs].sort();

    test('create then getByKeyHash returns the record; unknown hashes are null', async () => {
      const s = record((await makeUser(users)).id);
      await sessions.create(s);
      assert.deepEqual(await sessions.getByKeyHash(s.keyHash), s);
      assert.equal(await sessions.getByKeyHash(unique('nope')), null);
    });

    test('touch moves lastSeenAt forward', async () => {
      const s = record((await makeUser(users)).id);
      await sessions.create(s);
      await sessions.touch(s.keyHash, 5_000);
      assert.equal((await sessions.getByKeyHash(s.keyHash))?.lastSeenAt, 5_000);
      await sessions.touch(unique('nope'), 5_000); // no error for an unknown session
    });

    test('delete removes by key hash and returns the deleted record', async () => {
      const s = record((await makeUser(users)).id);
      await sessions.create(s);
      assert.deepEqual(await sessions.delete(s.keyHash), s);
      assert.equal(await sessions.getByKeyHash(s.keyHash), null);
      assert.equal(await sessions.delete(s.keyHash), null);
    });

    test('deleteById deletes only a session of the owning user', async () => {
      const [alice, mallory] = [await makeUser(users), await makeUser(users)];
      const s = record(alice.id);
      await sessions.create(s);
      assert.equal(await sessions.deleteById(mallory.id, s.id), null);
      assert.deepEqual(await sessions.getByKeyHash(s.keyHash), s);
      assert.deepEqual(await sessions.deleteById(alice.id, s.id), s);
      assert.equal(await sessions.getByKeyHash(s.keyHash), null);
      assert.equal(await sessions.deleteById(alice.id, s.id), null);
    });

    test('listByUser lists that user’s sessions only', async () => {
      const [alice, bob] = [await makeUser(users), await makeUser(users)];
      const mine = [record(alice.id, 1), record(alice.id, 2)];
      for (const s of [...mine, record(bob.id)]) await sessions.create(s);
      assert.deepEqual(await sessions.listByUser(alice.id), mine);
      assert.deepEqual(await sessions.listByUser((await makeUser(users)).id), []);
    });

    test('deleteByUser deletes every session but the one kept, and returns their key hashes', async () => {
      const [alice, bob] = [await makeUser(users), await makeUser(users)];
      const [keep, a, b, other] = [record(alice.id), record(alice.id), record(alice.id), record(bob.id)];
      for (const s of [keep, a, b, other]) await sessions.create(s);
      assert.deepEqual(
        sorted(await sessions.deleteByUser(alice.id, keep.keyHash)),
        sorted([a.keyHash, b.keyHash]),
      );
      assert.deepEqual(await sessions.listByUser(alice.id), [keep]);
      assert.deepEqual(await sessions.deleteByUser(alice.id), [keep.keyHash]);
      assert.deepEqual(await sessions.listByUser(alice.id), []);
      assert.deepEqual(await sessions.listByUser(bob.id), [other]);
    });

    test('deleteExpired removes idle and too-old sessions and counts them', async () => {
      const user = await makeUser(users);
      const base = 10_000_000_000; // later than every other test's sessions, so only ours straddle the cut
      const idle = { ...record(user.id), createdAt: base + 500, lastSeenAt: base + 500 };
      const old = { ...record(user.id), createdAt: base + 100, lastSeenAt: base + 2_000 };
      const fresh = { ...record(user.id), createdAt: base + 1_000, lastSeenAt: base + 1_000 };
      for (const s of [idle, old, fresh]) await sessions.create(s);
      const removed = await sessions.deleteExpired(base + 1_000, base + 200);
      assert.ok(removed >= 2, `removed ${removed}`);
      assert.deepEqual(await sessions.listByUser(user.id), [fresh]);
      assert.equal(await sessions.deleteExpired(base + 1_000, base + 200), 0);
    });

    test('setAuthHash re-stamps one session and leaves the others; a deleted session stays deleted', async () => {
      const user = await makeUser(users);
      const [a, b] = [record(user.id), record(user.id)];
      for (const s of [a, b]) await sessions.create(s);
      await sessions.getByKeyHash(a.keyHash); // a cached copy, where there is a cache, must not survive
      await sessions.setAuthHash(a.keyHash, 'rehashed');
      assert.deepEqual(await sessions.getByKeyHash(a.keyHash), { ...a, authHash: 'rehashed' });
      assert.deepEqual(await sessions.getByKeyHash(b.keyHash), b);
      await sessions.delete(b.keyHash);
      await sessions.setAuthHash(b.keyHash, 'rehashed');
      assert.equal(await sessions.getByKeyHash(b.keyHash), null);
    });

    test('a hard end (expiresAt) is kept, and only a record that has one carries it', async () => {
      const user = await makeUser(users);
      const imported = { ...record(user.id, 1), expiresAt: 1_800_000_000_123 };
      const own = record(user.id, 2);
      for (const s of [imported, own]) await sessions.create(s);
      assert.deepEqual(await sessions.getByKeyHash(imported.keyHash), imported);
      const read = await sessions.getByKeyHash(own.keyHash);
      assert.equal(read !== null && Object.hasOwn(read, 'expiresAt'), false);
      assert.deepEqual(await sessions.listByUser(user.id), [imported, own]);
    });

    test('deleteExpired with now also removes sessions whose hard end has come, and only then', async () => {
      const user = await makeUser(users);
      const base = 20_000_000_000; // later than every other session, so no other test's rows are idle here
      const at = (expiresAt: number) => ({ ...record(user.id, base), expiresAt });
      const [ended, endsNow, later] = [at(base + 10), at(base + 20), at(base + 21)];
      for (const s of [ended, endsNow, later]) await sessions.create(s);
      assert.equal(await sessions.deleteExpired(0, 0), 0, 'no now: hard ends are left alone');
      assert.equal(await sessions.deleteExpired(0, 0, base + 20), 2);
      assert.deepEqual(await sessions.listByUser(user.id), [later]);
    });

    test('returned records are copies', async () => {
      const s = record((await makeUser(users)).id);
      await sessions.create(s);
      s.userId = -1;
      (await sessions.getByKeyHash(s.keyHash))!.authHash = 'forged';
      assert.equal((await sessions.getByKeyHash(s.keyHash))?.authHash, 'auth');
      assert.notEqual((await sessions.getByKeyHash(s.keyHash))?.userId, -1);
    });
  });
}
