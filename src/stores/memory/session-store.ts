import type { SessionRecord, SessionStore } from '../types.ts';

/**
 * Sessions held in process memory, indexed by key hash and by user, so
 * per-user verbs do not scan every session. Records handed out are copies.
 *
 * ```ts
 * const sessions = new MemorySessionStore();
 * await sessions.create(record);
 * await sessions.deleteByUser(record.userId, record.keyHash); // log out everywhere else
 * ```
 */
export class MemorySessionStore implements SessionStore {
  readonly #byKeyHash = new Map<string, SessionRecord>();
  readonly #keyHashesByUser = new Map<number, Set<string>>();

  async create(session: SessionRecord): Promise<void> {
    // Mirrors the SQL primary key: a clash is a bug in the caller's randomness, never an overwrite.
    if (this.#byKeyHash.has(session.keyHash)) throw new Error('session key hash already exists');
    this.#byKeyHash.set(session.keyHash, { ...session });
    const keys = this.#keyHashesByUser.get(session.userId) ?? new Set<string>();
    keys.add(session.keyHash);
    this.#keyHashesByUser.set(session.userId, keys);
  }

  async getByKeyHash(keyHash: string): Promise<SessionRecord | null> {
    const session = this.#byKeyHash.get(keyHash);
    return session ? { ...session } : null;
  }

  async touch(keyHash: string, lastSeenAt: number): Promise<void> {
    const session = this.#byKeyHash.get(keyHash);
    if (session && session.lastSeenAt < lastSeenAt) session.lastSeenAt = lastSeenAt;
  }

  async delete(keyHash: string): Promise<SessionRecord | null> {
    return this.#remove(keyHash);
  }

  async deleteById(userId: number, id: string): Promise<SessionRecord | null> {
    for (const keyHash of this.#keyHashesByUser.get(userId) ?? []) {
      if (this.#byKeyHash.get(keyHash)?.id === id) return this.#remove(keyHash);
    }
    return null;
  }

  async listByUser(userId: number): Promise<SessionRecord[]> {
    const keys = [...(this.#keyHashesByUser.get(userId) ?? [])];
    const sessions = keys.map((keyHash) => ({ ...this.#byKeyHash.get(keyHash)! }));
    return sessions.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  async deleteByUser(userId: number, keepKeyHash?: string): Promise<string[]> {
    const doomed = [...(this.#keyHashesByUser.get(userId) ?? [])].filter((k) => k !== keepKeyHash);
    for (const keyHash of doomed) this.#remove(keyHash);
    return doomed;
  }

  async deleteExpired(idleBefore: number, createdBefore: number, now?: number): Promise<number> {
    let count = 0;
    for (const session of [...this.#byKeyHash.values()]) {
      const ended = now !== undefined && session.expiresAt !== undefined && session.expiresAt <= now;
      if (session.lastSeenAt < idleBefore || session.createdAt < createdBefore || ended) {
        this.#remove(session.keyHash);
        count++;
      }
    }
    return count;
  }

  async setAuthHash(keyHash: string, authHash: string): Promise<void> {
    const session = this.#byKeyHash.get(keyHash);
    if (session) session.authHash = authHash;
  }

  #remove(keyHash: string): SessionRecord | null {
    const session = this.#byKeyHash.get(keyHash);
    if (!session) return null;
    this.#byKeyHash.delete(keyHash);
    const keys = this.#keyHashesByUser.get(session.userId)!;
    keys.delete(keyHash);
    if (keys.size === 0) this.#keyHashesByUser.delete(session.userId);
    return session;
  }
}
