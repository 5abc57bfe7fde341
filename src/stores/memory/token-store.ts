import type { TokenRecord, TokenStore } from '../types.ts';

/**
 * API tokens held in process memory, by public id with a key-hash index for the
 * per-request lookup. A token has expired once `now >= expiresAt`.
 *
 * ```ts
 * const tokens = new MemoryTokenStore();
 * await tokens.create({ id, keyHash, userId, name: 'ci', createdAt: now, lastUsedAt: null, expiresAt: null });
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  readonly #byId = new Map<string, TokenRecord>();
  readonly #idByKeyHash = new Map<string, string>();

  async create(token: TokenRecord): Promise<void> {
    // Mirrors the SQL unique constraints: a clash is a bug, never an overwrite.
    if (this.#byId.has(token.id) || this.#idByKeyHash.has(token.keyHash)) {
      throw new Error('token id or key hash already exists');
    }
    this.#byId.set(token.id, { ...token });
    this.#idByKeyHash.set(token.keyHash, token.id);
  }

  async getByKeyHash(keyHash: string): Promise<TokenRecord | null> {
    const id = this.#idByKeyHash.get(keyHash);
    const token = id === undefined ? undefined : this.#byId.get(id);
    return token ? { ...token } : null;
  }

  async listByUser(userId: number): Promise<TokenRecord[]> {
    const tokens = [...this.#byId.values()].filter((t) => t.userId === userId).map((t) => ({ ...t }));
    return tokens.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  async delete(id: string, userId: number | null): Promise<TokenRecord | null> {
    const token = this.#byId.get(id);
    if (!token || (userId !== null && token.userId !== userId)) return null;
    this.#remove(token);
    return token;
  }

  async deleteByUser(userId: number): Promise<string[]> {
    const doomed = [...this.#byId.values()].filter((t) => t.userId === userId);
    for (const token of doomed) this.#remove(token);
    return doomed.map((t) => t.keyHash);
  }

  async touch(id: string, lastUsedAt: number): Promise<void> {
    const token = this.#byId.get(id);
    if (token && (token.lastUsedAt === null || token.lastUsedAt < lastUsedAt)) token.lastUsedAt = lastUsedAt;
  }

  async deleteExpired(now: number): Promise<number> {
    const doomed = [...this.#byId.values()].filter((t) => t.expiresAt !== null && t.expiresAt <= now);
    for (const token of doomed) this.#remove(token);
    return doomed.length;
  }

  #remove(token: TokenRecord): void {
    this.#byId.delete(token.id);
    this.#idByKeyHash.delete(token.keyHash);
  }
}
