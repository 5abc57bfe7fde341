import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { toRefreshToken } from '../sql-rows.ts';
import type { ConsumeResult, RefreshTokenRecord, RefreshTokenStore } from '../types.ts';
import { guard } from './guard.ts';

/**
 * Refresh-token families in `refresh_tokens` (simplejwt's outstanding and
 * blacklisted tables in one, with a `state`). `consume` is one conditional
 * UPDATE, so of any number of concurrent consumes of a jti exactly one wins,
 * across processes too; the others see 'spent', which the caller treats as a replay.
 *
 * ```ts
 * const result = await refreshTokens.consume(jti);
 * if (result.status === 'spent') await refreshTokens.revokeFamily(result.record.familyId);
 * ```
 */
export class SqliteRefreshTokenStore implements RefreshTokenStore {
  readonly #insert: StatementSync;
  readonly #consume: StatementSync;
  readonly #byJti: StatementSync;
  readonly #blacklist: StatementSync;
  readonly #revokeFamily: StatementSync;
  readonly #revokeUser: StatementSync;
  readonly #deleteExpired: StatementSync;

  constructor(db: DatabaseSync) {
    this.#insert = db.prepare(
      `INSERT INTO refresh_tokens (jti, family_id, user_id, expires_at, state) VALUES (?, ?, ?, ?, 'outstanding')`,
    );
    this.#consume = db.prepare(
      `UPDATE refresh_tokens SET state = 'used' WHERE jti = ? AND state = 'outstanding' RETURNING *`,
    );
    this.#byJti = db.prepare('SELECT * FROM refresh_tokens WHERE jti = ?');
    const revoke = `UPDATE refresh_tokens SET state = 'blacklisted' WHERE state = 'outstanding' AND`;
    this.#blacklist = db.prepare(`${revoke} jti = ?`);
    this.#revokeFamily = db.prepare(`${revoke} family_id = ?`);
    this.#revokeUser = db.prepare(`${revoke} user_id = ?`);
    this.#deleteExpired = db.prepare('DELETE FROM refresh_tokens WHERE expires_at <= ?');
  }

  async issue(t: RefreshTokenRecord): Promise<void> {
    guard(() => this.#insert.run(t.jti, t.familyId, t.userId, t.expiresAt));
  }

  async consume(jti: string): Promise<ConsumeResult> {
    // The UPDATE is the decision; the SELECT after a miss only says why it missed.
    const won = guard(() => this.#consume.get(jti));
    if (won) return { status: 'consumed', record: toRefreshToken(won) };
    const row = guard(() => this.#byJti.get(jti));
    return row ? { status: 'spent', record: toRefreshToken(row) } : { status: 'unknown' };
  }

  async blacklist(jti: string): Promise<boolean> {
    return guard(() => this.#blacklist.run(jti)).changes === 1;
  }

  async isSpent(jti: string): Promise<boolean> {
    const row = guard(() => this.#byJti.get(jti));
    return row !== undefined && row.state !== 'outstanding';
  }

  async revokeFamily(familyId: string): Promise<number> {
    return Number(guard(() => this.#revokeFamily.run(familyId)).changes);
  }

  async revokeUser(userId: number): Promise<number> {
    return Number(guard(() => this.#revokeUser.run(userId)).changes);
  }

  async deleteExpired(now: number): Promise<number> {
    return Number(guard(() => this.#deleteExpired.run(now)).changes);
  }
}
