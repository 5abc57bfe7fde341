import type { Clock } from '../../internal/clock.ts';
import type { Stores } from '../types.ts';
import { MemoryCounterStore } from './counter-store.ts';
import { MemoryPasskeyStore } from './passkey-store.ts';
import { MemoryPendingLoginStore } from './pending-login-store.ts';
import { MemoryRecoveryCodeStore } from './recovery-code-store.ts';
import { MemoryRefreshTokenStore } from './refresh-token-store.ts';
import { MemorySessionStore } from './session-store.ts';
import { MemoryTokenStore } from './token-store.ts';
import { MemoryTotpDeviceStore } from './totp-device-store.ts';
import { MemoryUserStore } from './user-store.ts';
import { MemoryWebAuthnChallengeStore } from './webauthn-challenge-store.ts';

export {
  MemoryCounterStore,
  MemoryPasskeyStore,
  MemoryPendingLoginStore,
  MemoryRecoveryCodeStore,
  MemoryRefreshTokenStore,
  MemorySessionStore,
  MemoryTokenStore,
  MemoryTotpDeviceStore,
  MemoryUserStore,
  MemoryWebAuthnChallengeStore,
};

/**
 * Every store in process memory: for tests and throwaway demos. Nothing
 * survives a restart; the clock drives the counters' windows.
 *
 * ```ts
 * const stores = createMemoryStores({ clock: fakeClock });
 * const alice = await stores.users.create({ username: 'alice', email: '', password: hash, dateJoined: 0 });
 * ```
 */
export function createMemoryStores(options: { clock?: Clock } = {}): Stores {
  const users = new MemoryUserStore();
  return {
    users,
    sessions: new MemorySessionStore(),
    tokens: new MemoryTokenStore(),
    refreshTokens: new MemoryRefreshTokenStore(users),
    counters: new MemoryCounterStore({ clock: options.clock }),
    totpDevices: new MemoryTotpDeviceStore(),
    recoveryCodes: new MemoryRecoveryCodeStore(),
    pendingLogins: new MemoryPendingLoginStore(),
    webauthnChallenges: new MemoryWebAuthnChallengeStore(),
    passkeys: new MemoryPasskeyStore(),
    async ping() {},
    async close() {},
  };
}
