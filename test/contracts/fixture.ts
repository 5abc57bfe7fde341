import { randomUUID } from 'node:crypto';
import type { User, UserStore } from '../../src/stores/types.ts';

/**
 * What a backend's runner hands a contract suite: the store under test, the
 * user store of the same backend (rows that reference users need real users
 * where foreign keys are enforced), and how to tear it all down.
 *
 * ```ts
 * sessionStoreContract('sqlite', async () => ({ store: s.sessions, users: s.users, close: s.close }));
 * ```
 */
export interface StoreFixture<S> {
  store: S;
  users: UserStore;
  close(): Promise<void>;
}

/** A factory for one suite's fixture; called once per suite, so tests share state and use unique names. */
export type MakeFixture<S> = () => Promise<StoreFixture<S>>;

/**
 * A unique string, so tests sharing one store never collide.
 *
 * ```ts
 * unique('sess'); // 'sess-3f2a…'
 * ```
 */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/**
 * Creates a user with a unique name in the given store.
 *
 * ```ts
 * const alice = await makeUser(users);
 * ```
 */
export function makeUser(users: UserStore): Promise<User> {
  return users.create({ username: unique('user'), email: '', password: 'x', dateJoined: 0 });
}
