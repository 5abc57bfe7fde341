import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { type RefreshTokenState, refreshTokenStatus } from '../refresh-family-rule.ts';
import { toRefreshToken } from '../sql-rows.ts';
import type {
  ConsumeResult,
  RefreshFamily,
  RefreshTokenRecord,
  RefreshTokenStatus,
  RefreshTokenStore,
} from '../types.ts';
import { guard } from './guard.ts';

/** The family of `refresh_tokens` row `t` is live: not revoked, not born before its user's cut-off. */
const LIVE_FAMILY = `EXISTS (SELECT 1 FROM refresh_families f JOIN users u ON u.id = f.user_id
  WHERE f.id = refresh_tokens.family_id AND f.revoked = 0 AND f.born_at >= u.tokens_valid_after)`;

/**
 * Refresh-token families in `refresh_families` and their tokens in
 * `refresh_tokens` (simplejwt's outstanding and blacklisted tables in one,
 * with a `state`). Every decision is one conditional statement that reads the
 * family's `revoked` flag and the user's `tokens_valid_after` as it writes:
 * SQLite runs one writing statement at a time, across processes too, so a
 * consume has exactly one winner and a successor is never inserted into a
 * family revoked before it (see refresh-family-rule.ts for the rule).
 *
 * ```ts
 * const result = await refreshTokens.consume(jti);
 * if (result.status === 'spent') await refreshTokens.revokeFamily(result.record.familyId);
 * ```
 */
export class SqliteRefreshTokenStore implements RefreshTokenStore {
  readonly #db: DatabaseSync;
  readonly #startFamily: StatementSync;
  readonly #insert: StatementSync;
  readonly #issue: StatementSync;
  readonly #consume: StatementSync;
  readonly #blacklist: StatementSync;
  readonly #inspect: StatementSync;
  readonly #revokeFamily: StatementSync;
  readonly #revokeUser: StatementSync;
  readonly #deleteExpired: StatementSync;
  readonly #deleteEmptyFamilies: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#startFamily = db.prepare(
      `INSERT INTO refresh_families (id, user_id, born_at)
       SELECT ?, id, ? FROM users WHERE id = ? AND tokens_valid_after <= ?`,
    );
    this.#insert = db.prepare(
      `INSERT INTO refresh_tokens (jti, family_id, user_id, expires_at, state) VALUES (?, ?, ?, ?, 'outstanding')`,
    );
    this.#issue = db.prepare(
      `INSERT INTO refresh_tokens (jti, family_id, user_id, expires_at, state)
       SELECT ?, f.id, f.user_id, ?, 'outstanding' FROM refresh_families f JOIN users u ON u.id = f.user_id
       WHERE f.id = ? AND f.user_id = ? AND f.revoked = 0 AND f.born_at >= u.tokens_valid_after`,
    );
    this.#consume = db.prepare(
      `UPDATE refresh_tokens SET state = 'used' WHERE jti = ? AND state = 'outstanding' AND ${LIVE_FAMILY}`,
    );
    this.#blacklist = db.prepare(
      `UPDATE refresh_tokens SET state = 'blacklisted' WHERE jti = ? AND state = 'outstanding' AND ${LIVE_FAMILY}`,
    );
    this.#inspect = db.prepare(
      `SELECT t.*, f.born_at, f.revoked, u.tokens_valid_after
       FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id JOIN users u ON u.id = f.user_id
       WHERE t.jti = ?`,
    );
    this.#revokeFamily = db.prepare('UPDATE refresh_families SET revoked = 1 WHERE id = ? AND revoked = 0');
    this.#revokeUser = db.prepare(
      'UPDATE refresh_families SET revoked = 1 WHERE user_id = ? AND revoked = 0',
    );
    this.#deleteExpired = db.prepare('DELETE FROM refresh_tokens WHERE expires_at <= ?');
    this.#deleteEmptyFamilies = db.prepare(
      'DELETE FROM refresh_families WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = refresh_families.id)',
    );
  }

  async startFamily(family: RefreshFamily, first: RefreshTokenRecord): Promise<boolean> {
    if (first.familyId !== family.id || first.userId !== family.userId)
      throw new Error('the first token must belong to the family it starts');
    return this.#transaction(() => {
      const started = this.#startFamily.run(family.id, family.bornAt, family.userId, family.bornAt);
      if (started.changes !== 1) return false;
      this.#insert.run(first.jti, first.familyId, first.userId, first.expiresAt);
      return true;
    });
  }

  async issue(t: RefreshTokenRecord): Promise<boolean> {
    return guard(() => this.#issue.run(t.jti, t.expiresAt, t.familyId, t.userId)).changes === 1;
  }

  async consume(jti: string): Promise<ConsumeResult> {
    // The UPDATE is the decision; the SELECT after it says what was consumed, or why nothing was.
    const won = guard(() => this.#consume.run(jti)).changes === 1;
    const found = await this.inspect(jti);
    if (won && found.status !== 'unknown') return { ...found, status: 'consumed' };
    // A miss that now reads as outstanding can only be a cut-off that moved back: refuse it all the same.
    return found.status === 'outstanding' ? { ...found, status: 'revoked' } : found;
  }

  async blacklist(jti: string): Promise<boolean> {
    return guard(() => this.#blacklist.run(jti)).changes === 1;
  }

  async inspect(jti: string): Promise<RefreshTokenStatus> {
    const row = guard(() => this.#inspect.get(jti));
    if (!row) return { status: 'unknown' };
    const bornAt = row.born_at as number;
    const status = refreshTokenStatus({
      state: row.state as RefreshTokenState,
      revoked: row.revoked === 1,
      bornAt,
      tokensValidAfter: row.tokens_valid_after as number,
    });
    return { status, record: toRefreshToken(row), bornAt };
  }

  async revokeFamily(familyId: string): Promise<number> {
    return Number(guard(() => this.#revokeFamily.run(familyId)).changes);
  }

  async revokeUser(userId: number): Promise<number> {
    return Number(guard(() => this.#revokeUser.run(userId)).changes);
  }

  async deleteExpired(now: number): Promise<number> {
    return this.#transaction(() => {
      const deleted = Number(this.#deleteExpired.run(now).changes);
      this.#deleteEmptyFamilies.run();
      return deleted;
    });
  }

  /** Runs `work` in one IMMEDIATE transaction (the write lock up front, so no other writer sees half of it). */
  #transaction<T>(work: () => T): T {
    return guard(() => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }
}
