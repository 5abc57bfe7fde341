import type pg from 'pg';
import { toWebAuthnChallenge } from '../mfa-rows.ts';
import type { WebAuthnChallenge, WebAuthnChallengeStore } from '../types.ts';
import { query } from './query.ts';

/**
 * WebAuthn challenges in `webauthn_challenges`. `consume` is one
 * `DELETE … RETURNING`: of any number of concurrent completions, on any
 * instances, one gets the challenge.
 *
 * ```ts
 * const challenges = new PostgresWebAuthnChallengeStore(pool);
 * const found = await challenges.consume(`authentication:${sessionId}`, now);
 * ```
 */
export class PostgresWebAuthnChallengeStore implements WebAuthnChallengeStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async put(c: WebAuthnChallenge): Promise<void> {
    await query(
      this.#pool,
      `INSERT INTO webauthn_challenges (id, challenge, user_id, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET challenge = $2, user_id = $3, expires_at = $4`,
      [c.key, c.challenge, c.userId, c.expiresAt],
    );
  }

  async consume(key: string, now: number): Promise<WebAuthnChallenge | null> {
    const { rows } = await query(this.#pool, 'DELETE FROM webauthn_challenges WHERE id = $1 RETURNING *', [
      key,
    ]);
    return rows.length && (rows[0].expires_at as number) > now ? toWebAuthnChallenge(rows[0]) : null;
  }

  async deleteExpired(now: number): Promise<number> {
    return (
      (await query(this.#pool, 'DELETE FROM webauthn_challenges WHERE expires_at <= $1', [now])).rowCount ?? 0
    );
  }
}
