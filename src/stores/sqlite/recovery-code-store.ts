import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { toRecoveryCodeSet } from '../mfa-rows.ts';
import type { RecoveryCodeSet, RecoveryCodeStore } from '../types.ts';
import { guard } from './guard.ts';

/**
 * Recovery codes in `recovery_codes`, one sealed set per user. `markUsed` is
 * one conditional UPDATE on the code's bit, so a code is accepted once, also
 * when two requests carry it at the same moment.
 *
 * ```ts
 * const codes = new SqliteRecoveryCodeStore(db);
 * await codes.markUsed(user.id, { sealedCodes: set.sealedCodes, index, now });
 * ```
 */
export class SqliteRecoveryCodeStore implements RecoveryCodeStore {
  readonly #get: StatementSync;
  readonly #replace: StatementSync;
  readonly #markUsed: StatementSync;
  readonly #reseal: StatementSync;
  readonly #delete: StatementSync;

  constructor(db: DatabaseSync) {
    this.#get = db.prepare('SELECT * FROM recovery_codes WHERE user_id = ?');
    this.#replace = db.prepare(
      `INSERT INTO recovery_codes (user_id, sealed_codes, used_mask, created_at, last_used_at)
       VALUES (?1, ?2, 0, ?3, NULL)
       ON CONFLICT (user_id) DO UPDATE SET sealed_codes = ?2, used_mask = 0, created_at = ?3, last_used_at = NULL`,
    );
    this.#markUsed = db.prepare(
      `UPDATE recovery_codes SET used_mask = used_mask | ?1, last_used_at = ?2
       WHERE user_id = ?3 AND sealed_codes = ?4 AND (used_mask & ?1) = 0`,
    );
    this.#reseal = db.prepare(
      'UPDATE recovery_codes SET sealed_codes = ? WHERE user_id = ? AND sealed_codes = ?',
    );
    this.#delete = db.prepare('DELETE FROM recovery_codes WHERE user_id = ?');
  }

  async get(userId: number): Promise<RecoveryCodeSet | null> {
    const row = guard(() => this.#get.get(userId));
    return row ? toRecoveryCodeSet(row) : null;
  }

  async replace(set: { userId: number; sealedCodes: string; createdAt: number }): Promise<void> {
    guard(() => this.#replace.run(set.userId, set.sealedCodes, set.createdAt));
  }

  async markUsed(
    userId: number,
    { sealedCodes, index, now }: { sealedCodes: string; index: number; now: number },
  ): Promise<boolean> {
    return guard(() => this.#markUsed.run(2 ** index, now, userId, sealedCodes)).changes === 1;
  }

  async reseal(userId: number, from: string, to: string): Promise<boolean> {
    return guard(() => this.#reseal.run(to, userId, from)).changes === 1;
  }

  async delete(userId: number): Promise<boolean> {
    return guard(() => this.#delete.run(userId)).changes === 1;
  }
}
