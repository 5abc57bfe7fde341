import type { SessionRecord, SessionStore } from '../types.ts';
import type { HotCache } from './hot-cache.ts';

/** The session limits a cached copy must not outlive (ms); SessionService's idle and absolute timeouts. */
export interface SessionLimits {
  idleMs?: number;
  absoluteMs?: number;
}

/**
 * A SessionStore that answers `getByKeyHash` from the in-process cache and
 * sends everything else to the durable store. Every write through it fixes
 * or drops the cached copy on this instance; other instances hear of it on
 * the bus (Revocations publishes). A copy lives at most the cache TTL and
 * never past the session's own idle, absolute or hard (`expiresAt`) end.
 *
 * ```ts
 * const sessions = new CachedSessionStore(sqlite.sessions, cache, { idleMs: 1_209_600_000 });
 * await sessions.getByKeyHash(keyHash); // the durable store once, then memory
 * ```
 */
export class CachedSessionStore implements SessionStore {
  readonly #durable: SessionStore;
  readonly #cache: HotCache;
  readonly #limits: SessionLimits;

  constructor(durable: SessionStore, cache: HotCache, limits: SessionLimits = {}) {
    this.#durable = durable;
    this.#cache = cache;
    this.#limits = limits;
  }

  create(session: SessionRecord): Promise<void> {
    return this.#durable.create(session);
  }

  getByKeyHash(keyHash: string): Promise<SessionRecord | null> {
    return this.#cache.read(
      this.#cache.sessions,
      keyHash,
      () => this.#durable.getByKeyHash(keyHash),
      (s) => this.#ttl(s),
    );
  }

  async touch(keyHash: string, lastSeenAt: number): Promise<void> {
    await this.#durable.touch(keyHash, lastSeenAt);
    // Keep the copy's lastSeenAt current, or SessionService would touch on every hit.
    this.#cache.sessions.patch(keyHash, (s) => {
      if (s.lastSeenAt < lastSeenAt) s.lastSeenAt = lastSeenAt;
    });
  }

  async delete(keyHash: string): Promise<SessionRecord | null> {
    try {
      return await this.#durable.delete(keyHash);
    } finally {
      this.#cache.sessions.delete(keyHash);
    }
  }

  async deleteById(userId: number, id: string): Promise<SessionRecord | null> {
    try {
      return await this.#durable.deleteById(userId, id);
    } finally {
      this.#cache.sessions.deleteTagged(`id:${id}`);
    }
  }

  listByUser(userId: number): Promise<SessionRecord[]> {
    return this.#durable.listByUser(userId);
  }

  async deleteByUser(userId: number, keepKeyHash?: string): Promise<string[]> {
    try {
      return await this.#durable.deleteByUser(userId, keepKeyHash);
    } finally {
      this.#cache.sessions.deleteTagged(`user:${userId}`); // the kept one too: it reloads
    }
  }

  async deleteExpired(idleBefore: number, createdBefore: number, now?: number): Promise<number> {
    try {
      return await this.#durable.deleteExpired(idleBefore, createdBefore, now);
    } finally {
      this.#cache.sessions.deleteWhere(
        (s) =>
          s.lastSeenAt < idleBefore ||
          s.createdAt < createdBefore ||
          (now !== undefined && s.expiresAt !== undefined && s.expiresAt <= now),
      );
    }
  }

  async setAuthHash(keyHash: string, authHash: string): Promise<void> {
    try {
      await this.#durable.setAuthHash(keyHash, authHash);
    } finally {
      this.#cache.sessions.delete(keyHash);
    }
  }

  #ttl(session: SessionRecord): number {
    const now = this.#cache.clock.now();
    const { idleMs, absoluteMs } = this.#limits;
    const idleLeft = idleMs === undefined ? Infinity : session.lastSeenAt + idleMs - now;
    const absoluteLeft = absoluteMs === undefined ? Infinity : session.createdAt + absoluteMs - now;
    const hardLeft = session.expiresAt === undefined ? Infinity : session.expiresAt - now;
    return Math.min(idleLeft, absoluteLeft, hardLeft);
  }
}
