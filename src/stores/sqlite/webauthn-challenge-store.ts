import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { toWebAuthnChallenge } from '../mfa-rows.ts';
import type { WebAuthnChallenge, WebAuthnChallengeStore } from '../types.ts';
import { guard } from './guard.ts';

/**
 * WebAuthn challenges in `webauthn_challenges`. `consume` is one
 * `DELETE … RETURNING`: a challenge completes one ceremony, whoever races for it.
 *
 * ```ts
 * const challenges = new SqliteWebAuthnChallengeStore(db);
 * const found = await challenges.consume(`authentication:${sessionId}`, now);
 * ```
 */
export class SqliteWebAuthnChallengeStore implements WebAuthnChallengeStore {
  readonly #put: StatementSync;
  readonly #consume: StatementSync;
  readonly #deleteExpired: StatementSync;

  constructor(db: DatabaseSync) {
    this.#put = db.prepare(
      `INSERT INTO webauthn_challenges (id, challenge, user_id, expires_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (id) DO UPDATE SET challenge = ?2, user_id = ?3, expires_at = ?4`,
    );
    this.#consume = db.prepare('DELETE FROM webauthn_challenges WHERE id = ? RETURNING *');
    this.#deleteExpired = db.prepare('DELETE FROM webauthn_challenges WHERE expires_at <= ?');
  }

  async put(c: WebAuthnChallenge): Promise<void> {
    guard(() => this.#put.run(c.key, c.challenge, c.userId, c.expiresAt));
  }

  async consume(key: string, now: number): Promise<WebAuthnChallenge | null> {
    const row = guard(() => this.#consume.get(key));
    return row && (row.expires_at as number) > now ? toWebAuthnChallenge(row) : null;
  }

  async deleteExpired(now: number): Promise<number> {
    return Number(guard(() => this.#deleteExpired.run(now)).changes);
  }
}
