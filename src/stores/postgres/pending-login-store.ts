import type pg from 'pg';
import { toPendingLogin } from '../mfa-rows.ts';
import type { PendingLogin, PendingLoginStore } from '../types.ts';
import { query } from './query.ts';

/**
 * Pending second steps in `pending_logins`, keyed by the SHA-256 of the
 * ephemeral token. `recordAttempt` (a conditional UPDATE) and `consume`
 * (`DELETE … RETURNING`) are single statements on a locked row, so the
 * attempt limit and single use hold across instances.
 *
 * ```ts
 * const pending = new PostgresPendingLoginStore(pool);
 * const counted = await pending.recordAttempt(hash, { now, maxAttempts: 5 });
 * ```
 */
export class PostgresPendingLoginStore implements PendingLoginStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async create(r: PendingLogin, expiresAt: number): Promise<void> {
    await query(
      this.#pool,
      `INSERT INTO pending_logins (token_hash, kind, user_id, binding, created_at, attempts, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [r.tokenHash, r.kind, r.userId, r.binding, r.createdAt, r.attempts, expiresAt],
    );
  }

  async get(tokenHash: string, now: number): Promise<PendingLogin | null> {
    const { rows } = await query(
      this.#pool,
      'SELECT * FROM pending_logins WHERE token_hash = $1 AND expires_at > $2',
      [tokenHash, now],
    );
    return rows.length ? toPendingLogin(rows[0]) : null;
  }

  async recordAttempt(
    tokenHash: string,
    { now, maxAttempts }: { now: number; maxAttempts: number },
  ): Promise<PendingLogin | null> {
    const { rows } = await query(
      this.#pool,
      `UPDATE pending_logins SET attempts = attempts + 1
       WHERE token_hash = $1 AND expires_at > $2 AND attempts < $3 RETURNING *`,
      [tokenHash, now, maxAttempts],
    );
    return rows.length ? toPendingLogin(rows[0]) : null;
  }

  async consume(tokenHash: string, now: number): Promise<PendingLogin | null> {
    // Deleted whatever its age; only a live one is handed back.
    const { rows } = await query(this.#pool, 'DELETE FROM pending_logins WHERE token_hash = $1 RETURNING *', [
      tokenHash,
    ]);
    return rows.length && (rows[0].expires_at as number) > now ? toPendingLogin(rows[0]) : null;
  }

  async deleteExpired(now: number): Promise<number> {
    return (
      (await query(this.#pool, 'DELETE FROM pending_logins WHERE expires_at <= $1', [now])).rowCount ?? 0
    );
  }
}
