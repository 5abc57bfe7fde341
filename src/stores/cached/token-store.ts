import type { TokenRecord, TokenStore } from '../types.ts';
import type { HotCache } from './hot-cache.ts';

/**
 * A TokenStore that answers `getByKeyHash` (the per-request lookup of an API
 * token) from the in-process cache and sends everything else to the durable
 * store. A copy lives at most the cache TTL and never past the token's
 * expiry; writes through it fix or drop the copy on this instance.
 *
 * ```ts
 * const tokens = new CachedTokenStore(sqlite.tokens, cache);
 * await tokens.getByKeyHash(sha256Hex(key));
 * ```
 */
export class CachedTokenStore implements TokenStore {
  readonly #durable: TokenStore;
  readonly #cache: HotCache;

  constructor(durable: TokenStore, cache: HotCache) {
    this.#durable = durable;
    this.#cache = cache;
  }

  create(token: TokenRecord): Promise<void> {
    return this.#durable.create(token);
  }

  getByKeyHash(keyHash: string): Promise<TokenRecord | null> {
    const now = this.#cache.clock.now();
    return this.#cache.read(
      this.#cache.tokens,
      keyHash,
      () => this.#durable.getByKeyHash(keyHash),
      (t) => (t.expiresAt === null ? Infinity : t.expiresAt - now),
    );
  }

  listByUser(userId: number): Promise<TokenRecord[]> {
    return this.#durable.listByUser(userId);
  }

  async delete(id: string, userId: number | null): Promise<TokenRecord | null> {
    try {
      return await this.#durable.delete(id, userId);
    } finally {
      this.#cache.tokens.deleteTagged(`id:${id}`);
    }
  }

  async deleteByUser(userId: number): Promise<string[]> {
    try {
      return await this.#durable.deleteByUser(userId);
    } finally {
      this.#cache.tokens.deleteTagged(`user:${userId}`);
    }
  }

  async touch(id: string, lastUsedAt: number): Promise<void> {
    await this.#durable.touch(id, lastUsedAt);
    // Keep the copy's lastUsedAt current, or TokenService would touch on every hit.
    for (const keyHash of this.#cache.tokens.keysTagged(`id:${id}`)) {
      this.#cache.tokens.patch(keyHash, (t) => {
        if (t.lastUsedAt === null || t.lastUsedAt < lastUsedAt) t.lastUsedAt = lastUsedAt;
      });
    }
  }

  async deleteExpired(now: number): Promise<number> {
    try {
      return await this.#durable.deleteExpired(now);
    } finally {
      this.#cache.tokens.deleteWhere((t) => t.expiresAt !== null && t.expiresAt <= now);
    }
  }
}
