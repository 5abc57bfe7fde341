import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { toToken } from '../sql-rows.ts';
import type { TokenRecord, TokenStore } from '../types.ts';
import { guard } from './guard.ts';

/**
 * API tokens in the `api_tokens` table: only the SHA-256 of the key is kept.
 * A token has expired once `now >= expiresAt`; a null expiry never expires.
 *
 * ```ts
 * const tokens = new SqliteTokenStore(db);
 * const record = await tokens.getByKeyHash(sha256Hex(key));
 * ```
 */
export class SqliteTokenStore implements TokenStore {
  readonly #insert: StatementSync;
  readonly #byKeyHash: StatementSync;
  readonly #listByUser: StatementSync;
  readonly #deleteOwned: StatementSync;
  readonly #deleteAny: StatementSync;
  readonly #deleteByUser: StatementSync;
  readonly #touch: StatementSync;
  readonly #deleteExpired: StatementSync;

  constructor(db: DatabaseSync) {
    this.#insert = db.prepare(
      `INSERT INTO api_tokens (id, key_hash, user_id, name, created_at, last_used_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#byKeyHash = db.prepare('SELECT * FROM api_tokens WHERE key_hash = ?');
    this.#listByUser = db.prepare('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at, id');
    this.#deleteOwned = db.prepare('DELETE FROM api_tokens WHERE id = ? AND user_id = ? RETURNING *');
    this.#deleteAny = db.prepare('DELETE FROM api_tokens WHERE id = ? RETURNING *');
    this.#deleteByUser = db.prepare('DELETE FROM api_tokens WHERE user_id = ? RETURNING key_hash');
    // Only moves forward, and skips the write when nothing changes.
    this.#touch = db.prepare(
      'UPDATE api_tokens SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?1)',
    );
    this.#deleteExpired = db.prepare(
      'DELETE FROM api_tokens WHERE expires_at IS NOT NULL AND expires_at <= ?',
    );
  }

  async create(t: TokenRecord): Promise<void> {
    guard(() => this.#insert.run(t.id, t.keyHash, t.userId, t.name, t.createdAt, t.lastUsedAt, t.expiresAt));
  }

  async getByKeyHash(keyHash: string): Promise<TokenRecord | null> {
    const row = guard(() => this.#byKeyHash.get(keyHash));
    return row ? toToken(row) : null;
  }

  async listByUser(userId: number): Promise<TokenRecord[]> {
    return guard(() => this.#listByUser.all(userId)).map(toToken);
  }

  async delete(id: string, userId: number | null): Promise<TokenRecord | null> {
    const row = guard(() => (userId === null ? this.#deleteAny.get(id) : this.#deleteOwned.get(id, userId)));
    return row ? toToken(row) : null;
  }

  async deleteByUser(userId: number): Promise<string[]> {
    return guard(() => this.#deleteByUser.all(userId)).map((row) => row.key_hash as string);
  }

  async touch(id: string, lastUsedAt: number): Promise<void> {
    guard(() => this.#touch.run(lastUsedAt, id));
  }

  async deleteExpired(now: number): Promise<number> {
    return Number(guard(() => this.#deleteExpired.run(now)).changes);
  }
}
