import type pg from 'pg';
import { toRecoveryCodeSet } from '../mfa-rows.ts';
import type { RecoveryCodeSet, RecoveryCodeStore } from '../types.ts';
import { query } from './query.ts';

/**
 * Recovery codes in `recovery_codes`, one sealed set per user. `markUsed` is
 * one conditional UPDATE on the code's bit, re-checked on the locked row: a
 * code is accepted once, also when two instances see it at the same moment.
 *
 * ```ts
 * const codes = new PostgresRecoveryCodeStore(pool);
 * await codes.markUsed(user.id, { sealedCodes: set.sealedCodes, index, now });
 * ```
 */
export class PostgresRecoveryCodeStore implements RecoveryCodeStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async get(userId: number): Promise<RecoveryCodeSet | null> {
    const { rows } = await query(this.#pool, 'SELECT * FROM recovery_codes WHERE user_id = $1', [userId]);
    return rows.length ? toRecoveryCodeSet(rows[0]) : null;
  }

  async replace(set: { userId: number; sealedCodes: string; createdAt: number }): Promise<void> {
    await query(
      this.#pool,
      `INSERT INTO recovery_codes (user_id, sealed_codes, used_mask, created_at, last_used_at)
       VALUES ($1, $2, 0, $3, NULL)
       ON CONFLICT (user_id) DO UPDATE SET sealed_codes = $2, used_mask = 0, created_at = $3, last_used_at = NULL`,
      [set.userId, set.sealedCodes, set.createdAt],
    );
  }

  async markUsed(
    userId: number,
    { sealedCodes, index, now }: { sealedCodes: string; index: number; now: number },
  ): Promise<boolean> {
    const result = await query(
      this.#pool,
      `UPDATE recovery_codes SET used_mask = used_mask | $1::bigint, last_used_at = $2
       WHERE user_id = $3 AND sealed_codes = $4 AND (used_mask & $1::bigint) = 0`,
      [2 ** index, now, userId, sealedCodes],
    );
    return result.rowCount === 1;
  }

  async reseal(userId: number, from: string, to: string): Promise<boolean> {
    const result = await query(
      this.#pool,
      'UPDATE recovery_codes SET sealed_codes = $1 WHERE user_id = $2 AND sealed_codes = $3',
      [to, userId, from],
    );
    return result.rowCount === 1;
  }

  async delete(userId: number): Promise<boolean> {
    const result = await query(this.#pool, 'DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
    return result.rowCount === 1;
  }
}
