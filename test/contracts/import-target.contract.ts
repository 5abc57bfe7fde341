import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sha256Hex } from '../../src/internal/hash.ts';
import type { ImportedUser, ImportTarget } from '../../src/stores/import-target.ts';
import type { Stores } from '../../src/stores/types.ts';
import { unique } from './fixture.ts';

/** An import target and the ordinary stores over the same database, so what one writes the other reads. */
export interface ImportTargetFixture {
  target: ImportTarget;
  stores: Stores;
  close(): Promise<void>;
}

/**
 * The ImportTarget contract (what `gatehouse importdjango` writes through),
 * run on SQLite and PostgreSQL: every row it writes is one the hot-path
 * stores read as their own, ids are kept and the id sequence moves past
 * them, a batch is all or nothing, and the ledger pages in a stable order.
 *
 * ```ts
 * importTargetContract('sqlite', async () => ({ target, stores, close }));
 * ```
 */
export function importTargetContract(name: string, make: () => Promise<ImportTargetFixture>): void {
  describe(`ImportTarget contract: ${name}`, () => {
    let target: ImportTarget;
    let stores: Stores;
    let close: () => Promise<void>;
    before(async () => ({ target, stores, close } = await make()));
    after(() => close());

    let nextId = 1_000;
    const user = (fields: Partial<ImportedUser> = {}): ImportedUser => ({
      id: nextId++,
      username: unique('django'),
      email: 'alice@example.com',
      password: 'pbkdf2_sha256$260000$salt$hash=',
      isActive: true,
      isStaff: false,
      isSuperuser: false,
      dateJoined: 1_700_000_000_123,
      lastLogin: 1_700_000_100_456,
      ...fields,
    });

    test('users are created with the ids Django gave them, and read back by id and username', async () => {
      const [a, b] = [user({ isStaff: true }), user({ lastLogin: null, isActive: false })];
      await target.apply({ createUsers: [a, b] });
      assert.deepEqual(
        await target.users([a.id, b.id, 999_999]),
        new Map([
          [a.id, a],
          [b.id, b],
        ]),
      );
      assert.deepEqual(await target.userIdsByUsername([a.username, 'nobody']), new Map([[a.username, a.id]]));
      const read = await stores.users.getById(a.id);
      assert.deepEqual(
        [
          read?.username,
          read?.password,
          read?.isStaff,
          read?.lastLogin,
          read?.dateJoined,
          read?.tokensValidAfter,
        ],
        [a.username, a.password, true, a.lastLogin, a.dateJoined, 0],
      );
    });

    test('after syncUserIds, the next sign-up gets an id past every imported one', async () => {
      const far = user({ id: 50_000 });
      await target.apply({ createUsers: [far] });
      await target.syncUserIds();
      const signUp = await stores.users.create({
        username: unique('new'),
        email: '',
        password: 'x',
        dateJoined: 0,
      });
      assert.ok(signUp.id > far.id, `${signUp.id} > ${far.id}`);
      await target.syncUserIds(); // never moves the sequence back
      const again = await stores.users.create({
        username: unique('new'),
        email: '',
        password: 'x',
        dateJoined: 0,
      });
      assert.ok(again.id > signUp.id);
    });

    test('updateUsers changes only the fields given; lastLogin: null clears it', async () => {
      const a = user();
      await target.apply({ createUsers: [a] });
      const renamed = unique('renamed');
      await target.apply({
        updateUsers: [{ id: a.id, patch: { username: renamed, isSuperuser: true, lastLogin: null } }],
      });
      assert.deepEqual((await target.users([a.id])).get(a.id), {
        ...a,
        username: renamed,
        isSuperuser: true,
        lastLogin: null,
      });
    });

    test('a batch is all or nothing: a clash in it writes none of it', async () => {
      const a = user();
      const ledger = [{ kind: 'user' as const, ref: String(a.id), fingerprint: 'x' }];
      await assert.rejects(target.apply({ createUsers: [a, { ...user(), username: a.username }], ledger }));
      assert.deepEqual(await target.users([a.id]), new Map());
      assert.deepEqual(await target.ledger('user', [String(a.id)]), new Map());
    });

    test('DRF tokens go in by key hash; the token store finds them; deleteTokens ends them', async () => {
      const a = user();
      const keyHash = sha256Hex(unique('key'));
      const token = {
        id: unique('t').slice(0, 16),
        keyHash,
        userId: a.id,
        name: 'Imported from Django',
        createdAt: 1_700_000_000_000,
        lastUsedAt: null,
        expiresAt: null,
      };
      await target.apply({ createUsers: [a], createTokens: [token] });
      assert.deepEqual(await target.tokenOwners([keyHash, 'other']), new Map([[keyHash, a.id]]));
      assert.deepEqual(await stores.tokens.getByKeyHash(keyHash), token);
      await target.apply({ deleteTokens: [keyHash] });
      assert.equal(await stores.tokens.getByKeyHash(keyHash), null);
    });

    test('sessions go in by key hash with their hard end; update and delete by key hash', async () => {
      const a = user();
      const session = {
        id: unique('s'),
        keyHash: sha256Hex(unique('session')),
        userId: a.id,
        authHash: 'a'.repeat(64),
        createdAt: 1_700_000_000_000,
        lastSeenAt: 1_700_000_000_000,
        ip: '',
        userAgent: '',
        expiresAt: 1_800_000_000_000,
      };
      await target.apply({ createUsers: [a], createSessions: [session] });
      assert.deepEqual(await target.sessionOwners([session.keyHash]), new Map([[session.keyHash, a.id]]));
      assert.deepEqual(await stores.sessions.getByKeyHash(session.keyHash), session);
      const changed = { keyHash: session.keyHash, authHash: 'b'.repeat(64), expiresAt: 1_900_000_000_000 };
      await target.apply({ updateSessions: [changed] });
      assert.deepEqual(await stores.sessions.getByKeyHash(session.keyHash), { ...session, ...changed });
      await target.apply({ deleteSessions: [session.keyHash] });
      assert.equal(await stores.sessions.getByKeyHash(session.keyHash), null);
    });

    test('refresh tokens go in as families of one: outstanding ones are consumed once, blacklisted ones are spent', async () => {
      const a = user();
      const refresh = (state: 'outstanding' | 'blacklisted') => {
        const jti = unique('jti');
        return {
          jti,
          familyId: `django-${jti}`,
          userId: a.id,
          expiresAt: 1e13,
          bornAt: 1_700_000_000_000,
          state,
        };
      };
      const [live, dead, later] = [refresh('outstanding'), refresh('blacklisted'), refresh('outstanding')];
      await target.apply({ createUsers: [a], createRefreshTokens: [live, dead, later] });
      assert.deepEqual(
        await target.refreshTokenStates([live.jti, dead.jti, 'nope']),
        new Map([
          [live.jti, 'outstanding'],
          [dead.jti, 'blacklisted'],
        ]),
      );
      assert.equal((await stores.refreshTokens.consume(live.jti)).status, 'consumed');
      assert.equal((await stores.refreshTokens.consume(dead.jti)).status, 'spent');
      // Blacklisting from Django reaches an outstanding token, never one Gatehouse already spent.
      await target.apply({ blacklistRefreshTokens: [live.jti, later.jti] });
      assert.deepEqual(
        await target.refreshTokenStates([live.jti, later.jti]),
        new Map([
          [live.jti, 'used'],
          [later.jti, 'blacklisted'],
        ]),
      );
      await target.apply({ createRefreshTokens: [live] }); // again: nothing changes
      assert.equal((await target.refreshTokenStates([live.jti])).get(live.jti), 'used');
    });

    test('the ledger records, replaces, pages in ref order and forgets', async () => {
      const refs = Array.from({ length: 5 }, () => unique('ref')).sort();
      const kind = 'session' as const;
      await target.apply({ ledger: refs.map((ref) => ({ kind, ref, fingerprint: 'one' })) });
      await target.apply({ ledger: [{ kind, ref: refs[1], fingerprint: 'two' }] });
      assert.deepEqual(
        await target.ledger(kind, [refs[0], refs[1], 'absent']),
        new Map([
          [refs[0], 'one'],
          [refs[1], 'two'],
        ]),
      );
      assert.deepEqual(await target.ledger('token', [refs[0]]), new Map(), 'kinds are apart');
      const paged: string[] = [];
      for (let page = await target.ledgerPage(kind, '', 2); page.length; ) {
        paged.push(...page.map((e) => e.ref));
        page = await target.ledgerPage(kind, page.at(-1)!.ref, 2);
      }
      assert.deepEqual(paged, refs);
      await target.apply({ forget: [{ kind, ref: refs[0] }] });
      assert.deepEqual([...(await target.ledger(kind, refs)).keys()].sort(), refs.slice(1));
    });

    test('an empty batch writes nothing and fails nothing', async () => {
      await target.apply({});
    });
  });
}
