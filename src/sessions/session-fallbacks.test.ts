import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryStores } from '../stores/memory/index.ts';
import { createFakeClock } from '../testing/fake-clock.ts';
import { sessionAuthHash, sessionAuthHashKey } from './session-auth-hash.ts';
import { SessionService } from './session-service.ts';

// SECRET_KEY_FALLBACKS for session auth hashes (Django ≥ 4.1's get_user): rotating SECRET_KEY logs nobody out.
const OLD = 'old-secret-key-0123456789-abcdefghijklmnopqrstu';
const NEW = 'new-secret-key-0123456789-abcdefghijklmnopqrstu';
const OTHER = 'another-key-0123456789-abcdefghijklmnopqrstuvwx';

async function setup() {
  const clock = createFakeClock();
  const stores = createMemoryStores({ clock });
  const user = await stores.users.create({
    username: 'alice',
    email: '',
    password: 'argon2$hash',
    dateJoined: 0,
  });
  const service = (secretKey: string, secretKeyFallbacks?: string[]) =>
    new SessionService({ store: stores.sessions, users: stores.users, secretKey, secretKeyFallbacks, clock });
  const client = { ip: '192.0.2.1', userAgent: 'test' };
  return { stores, user, service, client };
}

test('a session made under a fallback key stays valid, and is re-stamped under the current key', async () => {
  const { stores, user, service, client } = await setup();
  const { key, session } = await service(OLD).create(user, client);
  const found = await service(NEW, [OTHER, OLD]).resolve(key);
  assert.equal(found?.user.id, user.id);
  const stamped = sessionAuthHash(user.password, sessionAuthHashKey(NEW));
  assert.equal(found?.session.authHash, stamped);
  assert.equal((await stores.sessions.getByKeyHash(session.keyHash))?.authHash, stamped);
  // Re-stamped: the old key can now leave the fallbacks without logging this session out.
  assert.equal((await service(NEW).resolve(key))?.user.id, user.id);
});

test('without the old key among the fallbacks, its sessions are dead and deleted (as Django flushes them)', async () => {
  const { stores, user, service, client } = await setup();
  const { key, session } = await service(OLD).create(user, client);
  assert.equal(await service(NEW, [OTHER]).resolve(key), null);
  assert.equal(await stores.sessions.getByKeyHash(session.keyHash), null);
});

test('a fallback key never revives a session whose password changed since', async () => {
  const { stores, user, service, client } = await setup();
  const { key } = await service(OLD).create(user, client);
  await stores.users.update(user.id, { password: 'argon2$other' });
  assert.equal(await service(NEW, [OLD]).resolve(key), null);
});
