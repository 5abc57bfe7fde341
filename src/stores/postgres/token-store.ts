import type pg from 'pg';
import { toToken } from '../sql-rows.ts';
import type { TokenRecord, TokenStore } from '../types.ts';
import { query } from './query.ts';

/**
 * API tokens in the `api_tokens` table: only the SHA-256 of the key is kept.
 * A token has expired once `now >= expiresAt`; a null expiry never expires.
 *
 * ```ts
 * const tokens = new PostgresTokenStore(pool);
 * const record = await tokens.getByKeyHash(sha256Hex(key));
 * ```
 */
export class PostgresTokenStore implements TokenStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async create(t: TokenRecord): Promise<void> {
    await query(
      this.#pool,
      `INSERT INTO api_tokens (id, key_hash, user_id, name, created_at, last_used_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [t.id, t.keyHash, t.userId, t.name, t.createdAt, t.lastUsedAt, t.expiresAt],
    );
  }

  async getByKeyHash(keyHash: string): Promise<TokenRecord | null> {
    const { rows } = await query(this.#pool, 'SELECT * FROM api_tokens WHERE key_hash = $1', [keyHash]);
    return rows.length ? toToken(rows[0]) : null;
  }

  async listByUser(userId: number): Promise<TokenRecord[]> {
    const { rows } = await query(
      this.#pool,
      'SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id COLLATE "C"',
      [userId],
    );
    return rows.map(toToken);
  }

  async delete(id: string, userId: number | null): Promise<TokenRecord | null> {
    // A null userId (the admin path) matches any owner.
    const { rows } = await query(
      this.#pool,
      'DELETE FROM api_tokens WHERE id = $1 AND ($2::bigint IS NULL OR user_id = $2) RETURNING *',
      [id, userId],
    );
    return rows.length ? toToken(rows[0]) : null;
  }

  async deleteByUser(userId: number): Promise<string[]> {
    const { rows } = await query(this.#pool, 'DELETE FROM api_tokens WHERE user_id = $1 RETURNING key_hash', [
      userId,
    ]);
    return rows.map((row) => row.key_hash as string);
  }

  async touch(id: string, lastUsedAt: number): Promise<void> {
    // Only moves forward, and skips the write when nothing changes.
    await query(
      this.#pool,
      'UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)',
      [lastUsedAt, id],
    );
  }

  async deleteExpired(now: number): Promise<number> {
    const { rowCount } = await query(
      this.#pool,
      'DELETE FROM api_tokens WHERE expires_at IS NOT NULL AND expires_at <= $1',
      [now],
    );
    return rowCount ?? 0;
  }
}
