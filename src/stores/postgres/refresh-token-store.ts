import type pg from 'pg';
import { type RefreshTokenState, refreshTokenStatus } from '../refresh-family-rule.ts';
import { type Row, toRefreshToken } from '../sql-rows.ts';
import type {
  ConsumeResult,
  RefreshFamily,
  RefreshTokenRecord,
  RefreshTokenStatus,
  RefreshTokenStore,
} from '../types.ts';
import { query } from './query.ts';

/** The family of `refresh_tokens t` is live: not revoked, not born before its user's cut-off. */
const LIVE_FAMILY = `EXISTS (SELECT 1 FROM refresh_families f JOIN users u ON u.id = f.user_id
  WHERE f.id = t.family_id AND NOT f.revoked AND f.born_at >= u.tokens_valid_after)`;

/** One statement: the family and its first token, or neither when the user's cut-off is past the birth. */
const START_FAMILY = `
WITH family AS (
  INSERT INTO refresh_families (id, user_id, born_at)
  SELECT $1, id, $3 FROM users WHERE id = $2 AND tokens_valid_after <= $3
  RETURNING id, user_id
)
INSERT INTO refresh_tokens (jti, family_id, user_id, expires_at, state)
SELECT $4, id, user_id, $5, 'outstanding' FROM family`;

/**
 * A successor, only into a live family. FOR SHARE takes the family row's lock:
 * a revocation (an UPDATE of that row) either commits first, and this
 * statement then re-reads the row, sees `revoked` and inserts nothing, or
 * waits until this insert has committed and then ends the family it is in.
 */
const ISSUE = `
INSERT INTO refresh_tokens (jti, family_id, user_id, expires_at, state)
SELECT $1, f.id, f.user_id, $4, 'outstanding' FROM refresh_families f JOIN users u ON u.id = f.user_id
WHERE f.id = $2 AND f.user_id = $3 AND NOT f.revoked AND f.born_at >= u.tokens_valid_after
FOR SHARE OF f`;

const INSPECT = `
SELECT t.*, f.born_at, f.revoked, u.tokens_valid_after
FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id JOIN users u ON u.id = f.user_id
WHERE t.jti = $1`;

/**
 * Refresh-token families in `refresh_families` and their tokens in
 * `refresh_tokens` (simplejwt's outstanding and blacklisted tables in one,
 * with a `state`). Every decision is one statement that reads the family's
 * `revoked` flag and the user's `tokens_valid_after` as it writes (see
 * refresh-family-rule.ts for the rule). `consume` is one conditional UPDATE:
 * PostgreSQL takes the row lock, and a concurrent UPDATE re-checks
 * `state = 'outstanding'` once the winner commits, so of any number of
 * consumes of a jti, on any instances, exactly one wins; the others see
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

  async startFamily(family: RefreshFamily, first: RefreshTokenRecord): Promise<boolean> {
    if (first.familyId !== family.id || first.userId !== family.userId)
      throw new Error('the first token must belong to the family it starts');
    const values = [family.id, family.userId, family.bornAt, first.jti, first.expiresAt];
    return (await query(this.#pool, START_FAMILY, values)).rowCount === 1;
  }

  async issue(t: RefreshTokenRecord): Promise<boolean> {
    return (await query(this.#pool, ISSUE, [t.jti, t.familyId, t.userId, t.expiresAt])).rowCount === 1;
  }

  async consume(jti: string): Promise<ConsumeResult> {
    // The UPDATE is the decision; the SELECT after a miss only says why it missed.
    const won = await query(
      this.#pool,
      `UPDATE refresh_tokens t SET state = 'used' FROM refresh_families f JOIN users u ON u.id = f.user_id
       WHERE t.jti = $1 AND t.state = 'outstanding' AND f.id = t.family_id
         AND NOT f.revoked AND f.born_at >= u.tokens_valid_after
       RETURNING t.*, f.born_at`,
      [jti],
    );
    if (won.rows.length) {
      const row = won.rows[0];
      return { status: 'consumed', record: toRefreshToken(row), bornAt: row.born_at as number };
    }
    const found = await this.inspect(jti);
    // A miss that now reads as outstanding can only be a cut-off that moved back: refuse it all the same.
    return found.status === 'outstanding' ? { ...found, status: 'revoked' } : found;
  }

  async blacklist(jti: string): Promise<boolean> {
    const sql = `UPDATE refresh_tokens t SET state = 'blacklisted' WHERE jti = $1 AND state = 'outstanding' AND ${LIVE_FAMILY}`;
    return (await query(this.#pool, sql, [jti])).rowCount === 1;
  }

  async inspect(jti: string): Promise<RefreshTokenStatus> {
    const { rows } = await query(this.#pool, INSPECT, [jti]);
    return rows.length ? status(rows[0]) : { status: 'unknown' };
  }

  async revokeFamily(familyId: string): Promise<number> {
    const sql = 'UPDATE refresh_families SET revoked = TRUE WHERE id = $1 AND NOT revoked';
    return (await query(this.#pool, sql, [familyId])).rowCount ?? 0;
  }

  async revokeUser(userId: number): Promise<number> {
    const sql = 'UPDATE refresh_families SET revoked = TRUE WHERE user_id = $1 AND NOT revoked';
    return (await query(this.#pool, sql, [userId])).rowCount ?? 0;
  }

  async deleteExpired(now: number): Promise<number> {
    const deleted =
      (await query(this.#pool, 'DELETE FROM refresh_tokens WHERE expires_at <= $1', [now])).rowCount ?? 0;
    // A family is started with its first token in one statement, so an empty one is one whose tokens all expired.
    await query(
      this.#pool,
      'DELETE FROM refresh_families f WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id)',
    );
    return deleted;
  }
}

function status(row: Row): RefreshTokenStatus {
  const bornAt = row.born_at as number;
  const verdict = refreshTokenStatus({
    state: row.state as RefreshTokenState,
    revoked: row.revoked === true,
    bornAt,
    tokensValidAfter: row.tokens_valid_after as number,
  });
  return { status: verdict, record: toRefreshToken(row), bornAt };
}
