import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256Hex } from '../internal/hash.ts';
import { createMemoryStores } from '../stores/memory/index.ts';
import { createFakeClock } from '../testing/fake-clock.ts';
import { SessionService } from './session-service.ts';

const SECRET = 'session-expiry-test-secret-key-32-bytes-long';
const KEY = 'abcdefghijklmnopqrstuvwxyz012345';

/** A session as importdjango stores one: the cookie's hash, and Django's expire_date as a hard end. */
async function importedSession(expiresIn: number) {
  const clock = createFakeClock();
  const stores = createMemoryStores({ clock });
  const sessions = new SessionService({
    store: stores.sessions,
    users: stores.users,
    secretKey: SECRET,
    clock,
  });
  const user = await stores.users.create({ username: 'alice', email: '', password: 'x', dateJoined: 0 });
  const now = clock.now();
  await stores.sessions.create({
    id: 'imported',
    keyHash: sha256Hex(KEY),
    userId: user.id,
    authHash: sessions.authHash(user),
    createdAt: now,
    lastSeenAt: now,
    ip: '',
    userAgent: '',
    expiresAt: now + expiresIn,
  });
  return { clock, stores, sessions, user };
}

test("an imported session lives until its Django expire_date, and not one millisecond longer (Django's expire_date > now)", async () => {
  const { clock, stores, sessions, user } = await importedSession(60_000);
  clock.advance(59_999);
  assert.equal((await sessions.resolve(KEY))?.user.id, user.id);
  assert.equal((await sessions.list(user.id)).length, 1);
  clock.advance(1);
  assert.deepEqual(await sessions.list(user.id), []);
  assert.equal(await sessions.resolve(KEY), null);
  assert.equal(await stores.sessions.getByKeyHash(sha256Hex(KEY)), null, 'deleted when found dead');
});

test('activity does not carry an imported session past its hard end', async () => {
  const { clock, sessions } = await importedSession(10 * 60_000);
  for (let minute = 0; minute < 9; minute++) {
    clock.advance(60_000);
    assert.notEqual(await sessions.resolve(KEY), null);
  }
  clock.advance(60_000);
  assert.equal(await sessions.resolve(KEY), null);
});

test('clearsessions (clearExpired) drops a session whose hard end has come', async () => {
  const { clock, stores, sessions } = await importedSession(1_000);
  assert.equal(await sessions.clearExpired(), 0);
  clock.advance(1_000);
  assert.equal(await sessions.clearExpired(), 1);
  assert.equal(await stores.sessions.getByKeyHash(sha256Hex(KEY)), null);
});
