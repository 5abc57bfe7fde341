import type pg from 'pg';
import { toRefreshToken } from '../sql-rows.ts';
import type { ConsumeResult, RefreshTokenRecord, RefreshTokenStore } from '../types.ts';
import { query } from './query.ts';

/** Blacklists whatever is still outstanding among the rows the caller's condition picks. */
const REVOKE = `UPDATE refresh_tokens SET state = 'blacklisted' WHERE state = 'outstanding' AND`;

/**
 * Refresh-token families in `refresh_tokens` (simplejwt's outstanding and
 * blacklisted tables in one, with a `state`). `consume` is one conditional
 * UPDATE: PostgreSQL takes the row lock, and a concurrent UPDATE re-checks
 * `state = 'outstanding'` once the winner commits, so of any number of
 * consumes of a jti, on any instances, exactly one wins. The others see
 * 'spent', which the caller treats as a replay.
 *
 * ```ts
 * const result = await refreshTokens.consume(jti);
 * if (result.status === 'spent') await refreshTokens.revokeFamily(result.record.familyId);
 * ```
 */
export class PostgresRefreshTokenStore implements RefreshTokenStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async issue(t: RefreshTokenRecord): Promise<void> {
    await query(
      this.#pool,
      `INSERT INTO refresh_tokens (jti, family_id, user_id, expires_at, state) VALUES ($1, $2, $3, $4, 'outstanding')`,
      [t.jti, t.familyId, t.userId, t.expiresAt],
    );
  }

  async consume(jti: string): Promise<ConsumeResult> {
    // The UPDATE is the decision; the SELECT after a miss only says why it missed.
    const won = await query(
      this.#pool,
      `UPDATE refresh_tokens SET state = 'used' WHERE jti = $1 AND state = 'outstanding' RETURNING *`,
      [jti],
    );
    if (won.rows.length) return { status: 'consumed', record: toRefreshToken(won.rows[0]) };
    const { rows } = await query(this.#pool, 'SELECT * FROM refresh_tokens WHERE jti = $1', [jti]);
    return rows.length ? { status: 'spent', record: toRefreshToken(rows[0]) } : { status: 'unknown' };
  }

  async blacklist(jti: string): Promise<boolean> {
    return (await query(this.#pool, `${REVOKE} jti = $1`, [jti])).rowCount === 1;
  }

  async isSpent(jti: string): Promise<boolean> {
    const { rows } = await query(this.#pool, 'SELECT state FROM refresh_tokens WHERE jti = $1', [jti]);
    return rows.length > 0 && rows[0].state !== 'outstanding';
  }

  async revokeFamily(familyId: string): Promise<number> {
    return (await query(this.#pool, `${REVOKE} family_id = $1`, [familyId])).rowCount ?? 0;
  }

  async revokeUser(userId: number): Promise<number> {
    return (await query(this.#pool, `${REVOKE} user_id = $1`, [userId])).rowCount ?? 0;
  }

  async deleteExpired(now: number): Promise<number> {
    return (
      (await query(this.#pool, 'DELETE FROM refresh_tokens WHERE expires_at <= $1', [now])).rowCount ?? 0
    );
  }
}
