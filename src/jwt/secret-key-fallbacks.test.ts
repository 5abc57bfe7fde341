import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGatehouse } from '../gatehouse.ts';
import { createMemoryStores } from '../stores/memory/index.ts';
import { accessClaims, fakeClock, forge, SECRET, T0 } from './fixtures.ts';

const OLD_DJANGO_KEY = 'django-insecure-the-key-django-signed-with-before-the-move';

async function gatehouse(secretKeyFallbacks?: string[]) {
  const stores = createMemoryStores();
  const user = await stores.users.create({ username: 'alice', email: '', password: 'x', dateJoined: 0 });
  const gh = createGatehouse({ stores, secretKey: SECRET, secretKeyFallbacks, clock: fakeClock() });
  return { gh, user };
}

// What simplejwt ≤ 5.3 signs: HS256 over Django's SECRET_KEY, user_id as a number.
const simplejwt = (key: string, userId: unknown) =>
  forge({ alg: 'HS256', typ: 'JWT' }, accessClaims(T0 / 1000, { user_id: userId }), key);

test('a JWT Django signed with a key now in GATEHOUSE_SECRET_KEY_FALLBACKS verifies; its numeric user_id reads as the id', async () => {
  const { gh, user } = await gatehouse([OLD_DJANGO_KEY]);
  const claims = await gh.jwt.verifyAccess(simplejwt(OLD_DJANGO_KEY, user.id));
  assert.equal(claims.user_id, String(user.id));
  assert.equal((await gh.jwt.verifyAccess(simplejwt(OLD_DJANGO_KEY, String(user.id)))).user_id, '1');
});

test('without the fallback, the same token is refused: Token is invalid', async () => {
  const { gh, user } = await gatehouse();
  await assert.rejects(gh.jwt.verifyAccess(simplejwt(OLD_DJANGO_KEY, user.id)), {
    message: 'Token is invalid',
  });
});

test('new tokens are signed with SECRET_KEY, never with a fallback', async () => {
  const { gh, user } = await gatehouse([OLD_DJANGO_KEY]);
  const { access } = await gh.jwt.obtain(user);
  const bare = createGatehouse({ stores: createMemoryStores(), secretKey: SECRET, clock: fakeClock() });
  assert.equal((await bare.jwt.codec.verify(access, 'access')).user_id, String(user.id));
});

test('JWT-04: a fallback under 32 bytes verifies no JWT (and does not stop start-up)', async () => {
  const short = 'short-old-key';
  const { gh, user } = await gatehouse([short]);
  await assert.rejects(gh.jwt.verifyAccess(simplejwt(short, user.id)), { message: 'Token is invalid' });
});
