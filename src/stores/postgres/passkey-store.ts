import type pg from 'pg';
import { toPasskey } from '../mfa-rows.ts';
import type { NewPasskeyRecord, PasskeyRecord, PasskeyStore } from '../types.ts';
import { isUniqueViolation } from './guard.ts';
import { query } from './query.ts';

/**
 * Passkeys in `passkeys`: public keys, counters and names; the credential id
 * is unique across users. `recordUse` is a compare-and-set on the counter.
 *
 * ```ts
 * const passkeys = new PostgresPasskeyStore(pool);
 * await passkeys.recordUse(p.id, { expectedCounter: p.counter, counter: next, now });
 * ```
 */
export class PostgresPasskeyStore implements PasskeyStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async create(p: NewPasskeyRecord): Promise<PasskeyRecord | null> {
    try {
      const { rows } = await query(
        this.#pool,
        `INSERT INTO passkeys (user_id, credential_id, public_key, counter, transports, name, discoverable,
           backed_up, created_at, last_used_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [
          p.userId,
          p.credentialId,
          p.publicKey,
          p.counter,
          JSON.stringify(p.transports),
          p.name,
          p.discoverable,
          p.backedUp,
          p.createdAt,
          p.lastUsedAt,
        ],
      );
      return toPasskey(rows[0]);
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  async getByCredentialId(credentialId: string): Promise<PasskeyRecord | null> {
    const { rows } = await query(this.#pool, 'SELECT * FROM passkeys WHERE credential_id = $1', [
      credentialId,
    ]);
    return rows.length ? toPasskey(rows[0]) : null;
  }

  async get(userId: number, id: number): Promise<PasskeyRecord | null> {
    const { rows } = await query(this.#pool, 'SELECT * FROM passkeys WHERE id = $1 AND user_id = $2', [
      id,
      userId,
    ]);
    return rows.length ? toPasskey(rows[0]) : null;
  }

  async listByUser(userId: number): Promise<PasskeyRecord[]> {
    const { rows } = await query(
      this.#pool,
      'SELECT * FROM passkeys WHERE user_id = $1 ORDER BY created_at DESC, id DESC',
      [userId],
    );
    return rows.map(toPasskey);
  }

  async rename(userId: number, id: number, name: string): Promise<PasskeyRecord | null> {
    const { rows } = await query(
      this.#pool,
      'UPDATE passkeys SET name = $1 WHERE id = $2 AND user_id = $3 RETURNING *',
      [name, id, userId],
    );
    return rows.length ? toPasskey(rows[0]) : null;
  }

  async delete(userId: number, id: number): Promise<PasskeyRecord | null> {
    const { rows } = await query(
      this.#pool,
      'DELETE FROM passkeys WHERE id = $1 AND user_id = $2 RETURNING *',
      [id, userId],
    );
    return rows.length ? toPasskey(rows[0]) : null;
  }

  async deleteByUser(userId: number): Promise<number> {
    return (await query(this.#pool, 'DELETE FROM passkeys WHERE user_id = $1', [userId])).rowCount ?? 0;
  }

  async recordUse(
    id: number,
    { expectedCounter, counter, now }: { expectedCounter: number; counter: number; now: number },
  ): Promise<boolean> {
    const result = await query(
      this.#pool,
      'UPDATE passkeys SET counter = $1, last_used_at = $2 WHERE id = $3 AND counter = $4',
      [counter, now, id, expectedCounter],
    );
    return result.rowCount === 1;
  }
}
