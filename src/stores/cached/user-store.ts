import type { NewUser, User, UserPatch, UserStore } from '../types.ts';
import type { HotCache } from './hot-cache.ts';

/**
 * A UserStore that answers `getById` (every authenticated request loads its
 * user) from the in-process cache. `getByUsername` is not cached: it serves
 * login, which pays for a password hash anyway, and a username → user entry
 * would need an invalidation of its own. `update` drops the copy here; other
 * instances drop theirs on the bus's `{ kind: 'user' }` message.
 *
 * ```ts
 * const users = new CachedUserStore(sqlite.users, cache);
 * await users.getById(7);
 * ```
 */
export class CachedUserStore implements UserStore {
  readonly #durable: UserStore;
  readonly #cache: HotCache;

  constructor(durable: UserStore, cache: HotCache) {
    this.#durable = durable;
    this.#cache = cache;
  }

  create(user: NewUser): Promise<User> {
    return this.#durable.create(user);
  }

  getById(id: number): Promise<User | null> {
    return this.#cache.read(
      this.#cache.users,
      id,
      () => this.#durable.getById(id),
      () => Infinity,
    );
  }

  getByUsername(username: string): Promise<User | null> {
    return this.#durable.getByUsername(username);
  }

  listByEmail(email: string): Promise<User[]> {
    return this.#durable.listByEmail(email);
  }

  async update(id: number, patch: UserPatch): Promise<User | null> {
    try {
      return await this.#durable.update(id, patch);
    } finally {
      this.#cache.users.delete(id);
    }
  }

  async delete(id: number): Promise<boolean> {
    try {
      return await this.#durable.delete(id);
    } finally {
      this.#cache.users.delete(id);
    }
  }

  list(): Promise<User[]> {
    return this.#durable.list();
  }
}
