import type pg from 'pg';
import { toSession } from '../sql-rows.ts';
import type { SessionRecord, SessionStore } from '../types.ts';
import { query } from './query.ts';

/**
 * Sessions in the `sessions` table, keyed by the SHA-256 of the cookie value.
 * Deletes use `RETURNING`, so the record handed back is the one removed, in
 * one statement: no read-then-delete race between instances.
 *
 * ```ts
 * const sessions = new PostgresSessionStore(pool);
 * await sessions.touch(keyHash, clock.now());
 * ```
 */
export class PostgresSessionStore implements SessionStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async create(s: SessionRecord): Promise<void> {
    await query(
      this.#pool,
      `INSERT INTO sessions (key_hash, id, user_id, auth_hash, created_at, last_seen_at, ip, user_agent, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        s.keyHash,
        s.id,
        s.userId,
        s.authHash,
        s.createdAt,
        s.lastSeenAt,
        s.ip,
        s.userAgent,
        s.expiresAt ?? null,
      ],
    );
  }

  async getByKeyHash(keyHash: string): Promise<SessionRecord | null> {
    const { rows } = await query(this.#pool, 'SELECT * FROM sessions WHERE key_hash = $1', [keyHash]);
    return rows.length ? toSession(rows[0]) : null;
  }

  async touch(keyHash: string, lastSeenAt: number): Promise<void> {
    // Only moves forward: a late, out-of-order touch neither writes nor rewinds.
    await query(
      this.#pool,
      'UPDATE sessions SET last_seen_at = $1 WHERE key_hash = $2 AND last_seen_at < $1',
      [lastSeenAt, keyHash],
    );
  }

  async delete(keyHash: string): Promise<SessionRecord | null> {
    const { rows } = await query(this.#pool, 'DELETE FROM sessions WHERE key_hash = $1 RETURNING *', [
      keyHash,
    ]);
    return rows.length ? toSession(rows[0]) : null;
  }

  async deleteById(userId: number, id: string): Promise<SessionRecord | null> {
    const { rows } = await query(
      this.#pool,
      'DELETE FROM sessions WHERE user_id = $1 AND id = $2 RETURNING *',
      [userId, id],
    );
    return rows.length ? toSession(rows[0]) : null;
  }

  async listByUser(userId: number): Promise<SessionRecord[]> {
    const { rows } = await query(
      this.#pool,
      'SELECT * FROM sessions WHERE user_id = $1 ORDER BY created_at, id COLLATE "C"',
      [userId],
    );
    return rows.map(toSession);
  }

  async deleteByUser(userId: number, keepKeyHash?: string): Promise<string[]> {
    // `key_hash IS DISTINCT FROM NULL` is always true, so no keep means delete all.
    const { rows } = await query(
      this.#pool,
      'DELETE FROM sessions WHERE user_id = $1 AND key_hash IS DISTINCT FROM $2 RETURNING key_hash',
      [userId, keepKeyHash ?? null],
    );
    return rows.map((row) => row.key_hash as string);
  }

  async deleteExpired(idleBefore: number, createdBefore: number, now?: number): Promise<number> {
    // `expires_at <= NULL` is never true: without `now`, hard ends are left alone.
    const { rowCount } = await query(
      this.#pool,
      'DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2 OR expires_at <= $3',
      [idleBefore, createdBefore, now ?? null],
    );
    return rowCount ?? 0;
  }

  async setAuthHash(keyHash: string, authHash: string): Promise<void> {
    await query(this.#pool, 'UPDATE sessions SET auth_hash = $1 WHERE key_hash = $2', [authHash, keyHash]);
  }
}
