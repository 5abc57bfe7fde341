import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { toSession } from '../sql-rows.ts';
import type { SessionRecord, SessionStore } from '../types.ts';
import { guard } from './guard.ts';

/**
 * Sessions in the `sessions` table, keyed by the SHA-256 of the cookie value.
 * Deletes use `RETURNING`, so the record handed back is the one removed, in one statement.
 *
 * ```ts
 * const sessions = new SqliteSessionStore(db);
 * await sessions.touch(keyHash, clock.now());
 * ```
 */
export class SqliteSessionStore implements SessionStore {
  readonly #insert: StatementSync;
  readonly #byKeyHash: StatementSync;
  readonly #touch: StatementSync;
  readonly #delete: StatementSync;
  readonly #deleteById: StatementSync;
  readonly #listByUser: StatementSync;
  readonly #deleteByUser: StatementSync;
  readonly #deleteExpired: StatementSync;
  readonly #setAuthHash: StatementSync;

  constructor(db: DatabaseSync) {
    this.#insert = db.prepare(
      `INSERT INTO sessions (key_hash, id, user_id, auth_hash, created_at, last_seen_at, ip, user_agent, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#byKeyHash = db.prepare('SELECT * FROM sessions WHERE key_hash = ?');
    // Only moves forward: a late, out-of-order touch neither writes nor rewinds.
    this.#touch = db.prepare(
      'UPDATE sessions SET last_seen_at = ?1 WHERE key_hash = ?2 AND last_seen_at < ?1',
    );
    this.#delete = db.prepare('DELETE FROM sessions WHERE key_hash = ? RETURNING *');
    this.#deleteById = db.prepare('DELETE FROM sessions WHERE user_id = ? AND id = ? RETURNING *');
    this.#listByUser = db.prepare('SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at, id');
    this.#deleteByUser = db.prepare(
      'DELETE FROM sessions WHERE user_id = ? AND key_hash IS NOT ? RETURNING key_hash',
    );
    this.#deleteExpired = db.prepare(
      'DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ? OR expires_at <= ?',
    );
    this.#setAuthHash = db.prepare('UPDATE sessions SET auth_hash = ? WHERE key_hash = ?');
  }

  async create(s: SessionRecord): Promise<void> {
    guard(() =>
      this.#insert.run(
        s.keyHash,
        s.id,
        s.userId,
        s.authHash,
        s.createdAt,
        s.lastSeenAt,
        s.ip,
        s.userAgent,
        s.expiresAt ?? null,
      ),
    );
  }

  async getByKeyHash(keyHash: string): Promise<SessionRecord | null> {
    const row = guard(() => this.#byKeyHash.get(keyHash));
    return row ? toSession(row) : null;
  }

  async touch(keyHash: string, lastSeenAt: number): Promise<void> {
    guard(() => this.#touch.run(lastSeenAt, keyHash));
  }

  async delete(keyHash: string): Promise<SessionRecord | null> {
    const row = guard(() => this.#delete.get(keyHash));
    return row ? toSession(row) : null;
  }

  async deleteById(userId: number, id: string): Promise<SessionRecord | null> {
    const row = guard(() => this.#deleteById.get(userId, id));
    return row ? toSession(row) : null;
  }

  async listByUser(userId: number): Promise<SessionRecord[]> {
    return guard(() => this.#listByUser.all(userId)).map(toSession);
  }

  async deleteByUser(userId: number, keepKeyHash?: string): Promise<string[]> {
    // `key_hash IS NOT NULL` is always true, so no keep means delete all.
    const rows = guard(() => this.#deleteByUser.all(userId, keepKeyHash ?? null));
    return rows.map((row) => row.key_hash as string);
  }

  async deleteExpired(idleBefore: number, createdBefore: number, now?: number): Promise<number> {
    // `expires_at <= NULL` is never true: without `now`, hard ends are left alone.
    return Number(guard(() => this.#deleteExpired.run(idleBefore, createdBefore, now ?? null)).changes);
  }

  async setAuthHash(keyHash: string, authHash: string): Promise<void> {
    guard(() => this.#setAuthHash.run(authHash, keyHash));
  }
}
