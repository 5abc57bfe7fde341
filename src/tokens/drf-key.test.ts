import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthenticationFailed } from '../errors.ts';
import { sha256Hex } from '../internal/hash.ts';
import { createMemoryStores } from '../stores/memory/index.ts';
import { TokenService } from './token-service.ts';

// A key as DRF's Token.generate_key() makes one, stored the way importdjango stores it: its SHA-256 only.
const DRF_KEY = '9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b';

async function withImportedKey(isActive = true) {
  const stores = createMemoryStores();
  const user = await stores.users.create({
    username: 'alice',
    email: '',
    password: 'x',
    isActive,
    dateJoined: 0,
  });
  await stores.tokens.create({
    id: 'drf1',
    keyHash: sha256Hex(DRF_KEY),
    userId: user.id,
    name: 'Imported from Django',
    createdAt: 0,
    lastUsedAt: null,
    expiresAt: null,
  });
  return { tokens: new TokenService({ store: stores.tokens, users: stores.users }), user };
}

test('a DRF key imported from Django resolves to its user', async () => {
  const { tokens, user } = await withImportedKey();
  assert.equal((await tokens.resolve(DRF_KEY))?.user.id, user.id);
});

test('the key is compared exactly, as DRF does: other case, length or characters find nothing', async () => {
  const { tokens } = await withImportedKey();
  for (const key of [DRF_KEY.toUpperCase(), DRF_KEY.slice(1), `${DRF_KEY}0`, `x${DRF_KEY.slice(1)}`]) {
    assert.equal(await tokens.resolve(key), null, key);
  }
});

test("an inactive user's DRF key answers DRF's 'User inactive or deleted.'", async () => {
  const { tokens } = await withImportedKey(false);
  await assert.rejects(tokens.resolve(DRF_KEY), new AuthenticationFailed('User inactive or deleted.'));
});
