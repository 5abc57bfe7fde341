import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UserStore } from '../../src/stores/types.ts';
import { UsernameTakenError } from '../../src/stores/types.ts';
import { unique } from './fixture.ts';

/**
 * The UserStore contract, run on every backend.
 *
 * ```ts
 * userStoreContract('memory', async () => ({ store: new MemoryUserStore(), close: async () => {} }));
 * ```
 */
export function userStoreContract(
  name: string,
  make: () => Promise<{ store: UserStore; close(): Promise<void> }>,
): void {
  describe(`UserStore contract: ${name}`, () => {
    let users: UserStore;
    let close: () => Promise<void>;
    before(async () => ({ store: users, close } = await make()));
    after(() => close());

    const newUser = (username = unique('user')) => ({
      username,
      email: 'a@example.com',
      password: 'h',
      dateJoined: 5,
    });

    test('create returns the user with Django defaults', async () => {
      const username = unique('alice');
      const user = await users.create(newUser(username));
      assert.equal(typeof user.id, 'number');
      assert.equal(user.password, 'h');
      // The hash is there to read, never to serialise.
      assert.doesNotMatch(JSON.stringify(user), /password/);
      assert.deepEqual(
        { ...user, id: 0 },
        {
          id: 0,
          username,
          email: 'a@example.com',
          isActive: true,
          isStaff: false,
          isSuperuser: false,
          dateJoined: 5,
          lastLogin: null,
          tokensValidAfter: 0,
          pendingActivation: false,
        },
      );
      assert.deepEqual(await users.getById(user.id), user);
      assert.deepEqual(await users.getByUsername(username), user);
      // deepEqual skips the non-enumerable hash: every read must still carry it.
      assert.equal((await users.getById(user.id))?.password, 'h');
      assert.equal((await users.getByUsername(username))?.password, 'h');
      assert.equal((await users.listByEmail('a@example.com')).find((u) => u.id === user.id)?.password, 'h');
    });

    test('create keeps the given flags', async () => {
      const user = await users.create({ ...newUser(), isActive: false, isStaff: true, isSuperuser: true });
      assert.deepEqual([user.isActive, user.isStaff, user.isSuperuser], [false, true, true]);
      const pending = await users.create({ ...newUser(), isActive: false, pendingActivation: true });
      assert.deepEqual([pending.isActive, pending.pendingActivation], [false, true]);
      assert.equal((await users.getById(pending.id))?.pendingActivation, true);
    });

    test('update sets and clears pendingActivation', async () => {
      const user = await users.create({ ...newUser(), isActive: false, pendingActivation: true });
      const activated = await users.update(user.id, { isActive: true, pendingActivation: false });
      assert.deepEqual([activated?.isActive, activated?.pendingActivation], [true, false]);
      assert.equal((await users.getById(user.id))?.pendingActivation, false);
    });

    test('update renames; a name another user holds is UsernameTakenError and changes nothing', async () => {
      const a = await users.create(newUser());
      const b = await users.create(newUser());
      const renamed = unique('renamed');
      assert.equal((await users.update(a.id, { username: renamed }))?.username, renamed);
      assert.equal((await users.getByUsername(renamed))?.id, a.id);
      assert.equal(await users.getByUsername(a.username), null, 'the old name is free');
      await assert.rejects(
        users.update(b.id, { username: renamed, email: 'x@example.com' }),
        UsernameTakenError,
      );
      assert.deepEqual(await users.getById(b.id), b);
      // The old name can be taken by someone else now, and a user may "rename" to its own name.
      assert.equal((await users.update(b.id, { username: a.username }))?.username, a.username);
      assert.equal((await users.update(a.id, { username: renamed }))?.username, renamed);
    });

    test('listByEmail matches the address ignoring ASCII case, every holder, in id order', async () => {
      const domain = `${unique('d')}.example`;
      const first = await users.create({ ...newUser(), email: `Mike@${domain}` });
      const second = await users.create({ ...newUser(), email: `mike@${domain.toUpperCase()}` });
      await users.create({ ...newUser(), email: `mikey@${domain}` });
      const found = await users.listByEmail(`MIKE@${domain}`);
      assert.deepEqual(
        found.map((u) => u.id),
        [first.id, second.id],
      );
      assert.deepEqual(found[0], first);
      assert.deepEqual(await users.listByEmail(`nobody@${domain}`), []);
      assert.deepEqual(
        await users.listByEmail(''),
        (await users.list()).filter((u) => u.email === ''),
      );
    });

    test('delete removes the user and frees its name; deleting again is false', async () => {
      const user = await users.create(newUser());
      assert.equal(await users.delete(user.id), true);
      assert.equal(await users.getById(user.id), null);
      assert.equal(await users.getByUsername(user.username), null);
      assert.equal(await users.update(user.id, { email: 'x' }), null);
      assert.equal(await users.delete(user.id), false);
      assert.equal(await users.delete(987654321), false);
      assert.equal((await users.create(newUser(user.username))).username, user.username);
    });

    test('a duplicate username is rejected with UsernameTakenError', async () => {
      const username = unique('dup');
      await users.create(newUser(username));
      await assert.rejects(users.create(newUser(username)), UsernameTakenError);
    });

    test('usernames match exactly: case-sensitive, no normalisation (that is the caller’s job)', async () => {
      const base = unique('x');
      const upper = await users.create(newUser(`${base}-Case`));
      const lower = await users.create(newUser(`${base}-case`));
      assert.notEqual(upper.id, lower.id);
      await users.create(newUser(`${base}-\uFB01`)); // the "ﬁ" ligature, which NFKC folds to "fi"
      assert.equal(await users.getByUsername(`${base}-fi`), null);
      assert.equal(await users.getByUsername(`${base}-CASE`), null);
    });

    test('unknown ids and usernames read as null', async () => {
      assert.equal(await users.getById(987654321), null);
      assert.equal(await users.getByUsername(unique('nobody')), null);
      assert.equal(await users.update(987654321, { email: 'x' }), null);
    });

    test('update changes only the given fields and can clear lastLogin', async () => {
      const user = await users.create(newUser());
      const updated = await users.update(user.id, { email: 'b@example.com', lastLogin: 42, isStaff: true });
      assert.deepEqual(updated, { ...user, email: 'b@example.com', lastLogin: 42, isStaff: true });
      const more = await users.update(user.id, { password: 'h2', tokensValidAfter: 99, isActive: false });
      assert.equal(more?.password, 'h2');
      assert.deepEqual(more, { ...updated, tokensValidAfter: 99, isActive: false });
      const cleared = await users.update(user.id, { lastLogin: null });
      assert.equal(cleared?.lastLogin, null);
      assert.deepEqual(await users.update(user.id, {}), cleared);
      assert.deepEqual(await users.getById(user.id), cleared);
    });

    test('list returns every user in id order', async () => {
      const a = await users.create(newUser());
      const b = await users.create(newUser());
      const all = await users.list();
      const ids = all.map((u) => u.id);
      assert.deepEqual(
        ids,
        [...ids].sort((x, y) => x - y),
      );
      assert.deepEqual(
        all.filter((u) => u.id === a.id || u.id === b.id),
        [a, b],
      );
    });

    test('returned records are copies', async () => {
      const user = await users.create(newUser());
      user.isSuperuser = true;
      (await users.getById(user.id))!.isStaff = true;
      const again = await users.getById(user.id);
      assert.deepEqual([again?.isSuperuser, again?.isStaff], [false, false]);
    });
  });
}
