/**
 * Every store contract on the SQLite backend, each suite on a fresh temporary
 * file (removed after) so suites never see each other's rows.
 *
 * ```sh
 * node --test test/contracts/sqlite.test.ts
 * ```
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/internal/clock.ts';
import { openSqliteImportTarget } from '../../src/stores/sqlite/import-target.ts';
import { createSqliteStores } from '../../src/stores/sqlite/index.ts';
import type { Stores } from '../../src/stores/types.ts';
import { counterStoreContract } from './counter-store.contract.ts';
import type { StoreFixture } from './fixture.ts';
import { importTargetContract } from './import-target.contract.ts';
import { passkeyStoreContract } from './passkey-store.contract.ts';
import { pendingLoginStoreContract } from './pending-login-store.contract.ts';
import { recoveryCodeStoreContract } from './recovery-code-store.contract.ts';
import { refreshTokenStoreContract } from './refresh-token-store.contract.ts';
import { sessionStoreContract } from './session-store.contract.ts';
import { tokenStoreContract } from './token-store.contract.ts';
import { totpDeviceStoreContract } from './totp-device-store.contract.ts';
import { userStoreContract } from './user-store.contract.ts';
import { webAuthnChallengeStoreContract } from './webauthn-challenge-store.contract.ts';

/** Opens SQLite stores on a new temporary file; closing also deletes the file. */
function fixture<S>(pick: (stores: Stores) => S, clock?: Clock): () => Promise<StoreFixture<S>> {
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-sqlite-'));
    const stores = createSqliteStores(join(dir, 'db', 'gatehouse.db'), { clock });
    const close = async () => {
      await stores.close();
      await rm(dir, { recursive: true, force: true });
    };
    return { store: pick(stores), users: stores.users, close };
  };
}

userStoreContract(
  'sqlite',
  fixture((s) => s.users),
);
sessionStoreContract(
  'sqlite',
  fixture((s) => s.sessions),
);
tokenStoreContract(
  'sqlite',
  fixture((s) => s.tokens),
);
refreshTokenStoreContract(
  'sqlite',
  fixture((s) => s.refreshTokens),
);
counterStoreContract('sqlite', (clock) => fixture((s) => s.counters, clock)());
totpDeviceStoreContract(
  'sqlite',
  fixture((s) => s.totpDevices),
);
recoveryCodeStoreContract(
  'sqlite',
  fixture((s) => s.recoveryCodes),
);
pendingLoginStoreContract(
  'sqlite',
  fixture((s) => s.pendingLogins),
);
webAuthnChallengeStoreContract(
  'sqlite',
  fixture((s) => s.webauthnChallenges),
);
passkeyStoreContract(
  'sqlite',
  fixture((s) => s.passkeys),
);
importTargetContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-sqlite-'));
  const path = join(dir, 'gatehouse.db');
  const target = openSqliteImportTarget(path);
  const stores = createSqliteStores(path);
  const close = async () => {
    await target.close();
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { target, stores, close };
});
