import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import type { NewUser, User, UserPatch, UserStore } from '../stores/types.ts';
import { Argon2idHasher } from './argon2id.ts';
import { countingHasher, type HasherCalls } from './counting-hasher.ts';
import { DjangoPbkdf2Hasher } from './django-pbkdf2.ts';
import { PasswordHashers } from './password-hashers.ts';
import { normalizeUsername, verifyCredentials } from './verify-credentials.ts';

/** A Map-backed UserStore, just enough for these tests. */
class MapUsers implements UserStore {
  readonly rows = new Map<number, User>();
  updates = 0;
  async create(u: NewUser): Promise<User> {
    const user: User = {
      isActive: true,
      isStaff: false,
      isSuperuser: false,
      ...u,
      id: this.rows.size + 1,
      lastLogin: null,
      tokensValidAfter: 0,
    };
    this.rows.set(user.id, user);
    return user;
  }
  async getById(id: number) {
    return this.rows.get(id) ?? null;
  }
  async getByUsername(username: string) {
    return [...this.rows.values()].find((u) => u.username === username) ?? null;
  }
  async update(id: number, patch: UserPatch) {
    const user = this.rows.get(id);
    if (!user) return null;
    this.updates++;
    const updated = { ...user, ...patch };
    this.rows.set(id, updated);
    return updated;
  }
  async listByEmail(email: string) {
    return [...this.rows.values()].filter((u) => u.email === email);
  }
  async delete(id: number) {
    return this.rows.delete(id);
  }
  async list() {
    return [...this.rows.values()];
  }
}

// hashlib.pbkdf2_hmac('sha256', 'pässwörd 密码', b'seasaltseasaltseasalt1', 100000): a legacy-parameter hash.
const LEGACY = 'pbkdf2_sha256$100000$seasaltseasaltseasalt1$K1wGf/I6+wrPYAKwCvXyUY84mB5zDwhAFH7k62IR6JA=';
const DJANGO_52 = 'pbkdf2_sha256$1000000$YGaHRYa5HNwQRWf1oEQmHp$AVraCZod/JTLBuvHnmqMn+t6/DA6e01WhBoBl/hHKFc=';

describe('verifyCredentials', () => {
  let calls: HasherCalls;
  let users: MapUsers;
  let hashers: PasswordHashers;
  const add = (username: string, password: string, isActive = true) =>
    users.create({ username, email: `${username}@example.com`, password, isActive, dateJoined: 0 });

  beforeEach(async () => {
    calls = { hash: 0, verify: 0 };
    users = new MapUsers();
    hashers = new PasswordHashers({
      hashers: [countingHasher(new Argon2idHasher(), calls), countingHasher(new DjangoPbkdf2Hasher(), calls)],
    });
    await add('alice', await new Argon2idHasher().hash('correct horse'));
    await add('inactive', await new Argon2idHasher().hash('correct horse'), false);
    await add('sso', '!FuaOq0HTjb8pCXmLGH9bPXqbBPVyxniH6BIxlWgR');
    await add('blank', '');
    await add('legacy', LEGACY);
    await add('django', DJANGO_52);
  });

  test('AUTH-02: every failure path costs exactly one verify, and so does success', async () => {
    const cases: [string, string, boolean][] = [
      ['nobody', 'correct horse', false],
      ['alice', 'wrong horse', false],
      ['inactive', 'wrong horse', false],
      ['inactive', 'correct horse', false],
      ['sso', 'correct horse', false],
      ['blank', '', false],
      ['legacy', 'wrong', false],
      ['alice', 'correct horse', true],
    ];
    await hashers.dummyVerify('warm up the dummy hash');
    for (const [username, password, ok] of cases) {
      calls.verify = 0;
      const user = await verifyCredentials({ users, hashers }, username, password);
      assert.equal(user?.username ?? null, ok ? username : null, `${username}/${password}`);
      assert.equal(calls.verify, 1, `${username}/${password}`);
    }
    assert.equal(users.updates, 0);
  });

  test('PWD-08: a legacy pbkdf2 hash is upgraded to argon2id on a successful login, once', async () => {
    const user = await verifyCredentials({ users, hashers }, 'legacy', 'pässwörd 密码');
    assert.equal(user?.username, 'legacy');
    const stored = (await users.getByUsername('legacy'))!.password;
    assert.ok(stored.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'), stored);
    assert.equal(user?.password, stored);
    assert.deepEqual(calls, { hash: 1, verify: 1 });
    assert.equal(
      (await verifyCredentials({ users, hashers }, 'legacy', 'pässwörd 密码'))?.username,
      'legacy',
    );
    assert.equal(users.updates, 1);
  });

  test("a Django 5.2 user logs in with Django's hash, which is then replaced", async () => {
    assert.equal((await verifyCredentials({ users, hashers }, 'django', 'password'))?.username, 'django');
    assert.match((await users.getByUsername('django'))!.password, /^\$argon2id\$/);
  });

  test("an inactive user's outdated hash is upgraded too, as Django's check_password does", async () => {
    await add('old-inactive', LEGACY, false);
    assert.equal(await verifyCredentials({ users, hashers }, 'old-inactive', 'pässwörd 密码'), null);
    assert.match((await users.getByUsername('old-inactive'))!.password, /^\$argon2id\$/);
  });

  test('usernames are NFKC-normalised; passwords are used exactly as received', async () => {
    assert.equal(normalizeUsername('ｊｏｈｎ'), 'john');
    assert.equal(normalizeUsername('ﬁ'), 'fi');
    assert.equal(
      (await verifyCredentials({ users, hashers }, 'ａｌｉｃｅ', 'correct horse'))?.username,
      'alice',
    );
    assert.equal(await verifyCredentials({ users, hashers }, 'alice', 'ｃｏｒｒｅｃｔ horse'), null);
    assert.equal(await verifyCredentials({ users, hashers }, 'alice', 'correct horse '), null);
    assert.equal(await verifyCredentials({ users, hashers }, 'Alice', 'correct horse'), null);
  });

  test('PWD-02: an oversized password costs zero hasher calls, known user or not', async () => {
    for (const username of ['alice', 'nobody']) {
      assert.equal(await verifyCredentials({ users, hashers }, username, 'x'.repeat(4097)), null);
    }
    assert.deepEqual(calls, { hash: 0, verify: 0 });
  });

  test('PWD-09: non-string credentials are refused without a lookup or a hash', async () => {
    const bad: unknown[] = [['correct horse'], { $ne: null }, null, undefined, 123, true];
    for (const value of bad) {
      assert.equal(await verifyCredentials({ users, hashers }, 'alice', value as string), null);
      assert.equal(await verifyCredentials({ users, hashers }, value as string, 'correct horse'), null);
    }
    assert.deepEqual(calls, { hash: 0, verify: 0 });
  });
});
