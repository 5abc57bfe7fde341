import type { Clock } from '../../internal/clock.ts';
import type { Stores } from '../types.ts';
import { MemoryCounterStore } from './counter-store.ts';
import { MemoryRefreshTokenStore } from './refresh-token-store.ts';
import { MemorySessionStore } from './session-store.ts';
import { MemoryTokenStore } from './token-store.ts';
import { MemoryUserStore } from './user-store.ts';

export { MemoryCounterStore, MemoryRefreshTokenStore, MemorySessionStore, MemoryTokenStore, MemoryUserStore };

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
    async ping() {},
    async close() {},
  };
}
