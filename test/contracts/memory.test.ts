/**
 * Every store contract on the in-memory backend.
 *
 * ```sh
 * node --test test/contracts/memory.test.ts
 * ```
 */
import type { Clock } from '../../src/internal/clock.ts';
import { createMemoryStores } from '../../src/stores/memory/index.ts';
import type { Stores } from '../../src/stores/types.ts';
import { counterStoreContract } from './counter-store.contract.ts';
import type { StoreFixture } from './fixture.ts';
import { passkeyStoreContract } from './passkey-store.contract.ts';
import { pendingLoginStoreContract } from './pending-login-store.contract.ts';
import { recoveryCodeStoreContract } from './recovery-code-store.contract.ts';
import { refreshTokenStoreContract } from './refresh-token-store.contract.ts';
import { sessionStoreContract } from './session-store.contract.ts';
import { tokenStoreContract } from './token-store.contract.ts';
import { totpDeviceStoreContract } from './totp-device-store.contract.ts';
import { userStoreContract } from './user-store.contract.ts';
import { webAuthnChallengeStoreContract } from './webauthn-challenge-store.contract.ts';

/** A fresh set of memory stores per suite, handing the contract one of them. */
function fixture<S>(pick: (stores: Stores) => S, clock?: Clock): () => Promise<StoreFixture<S>> {
  return async () => {
    const stores = createMemoryStores({ clock });
    return { store: pick(stores), users: stores.users, close: () => stores.close() };
  };
}

userStoreContract(
  'memory',
  fixture((s) => s.users),
);
sessionStoreContract(
  'memory',
  fixture((s) => s.sessions),
);
tokenStoreContract(
  'memory',
  fixture((s) => s.tokens),
);
refreshTokenStoreContract(
  'memory',
  fixture((s) => s.refreshTokens),
);
counterStoreContract('memory', (clock) => fixture((s) => s.counters, clock)());
totpDeviceStoreContract(
  'memory',
  fixture((s) => s.totpDevices),
);
recoveryCodeStoreContract(
  'memory',
  fixture((s) => s.recoveryCodes),
);
pendingLoginStoreContract(
  'memory',
  fixture((s) => s.pendingLogins),
);
webAuthnChallengeStoreContract(
  'memory',
  fixture((s) => s.webauthnChallenges),
);
passkeyStoreContract(
  'memory',
  fixture((s) => s.passkeys),
);
