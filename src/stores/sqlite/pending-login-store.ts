import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { toPendingLogin } from '../mfa-rows.ts';
import type { PendingLogin, PendingLoginStore } from '../types.ts';
import { guard } from './guard.ts';

/**
 * Pending second steps in `pending_logins`, keyed by the SHA-256 of the
 * ephemeral token. `recordAttempt` and `consume` are single statements, so
 * the attempt limit and single use hold across processes sharing the file.
 *
 * ```ts
 * const pending = new SqlitePendingLoginStore(db);
 * const counted = await pending.recordAttempt(hash, { now, maxAttempts: 5 });
 * ```
 */
export class SqlitePendingLoginStore implements PendingLoginStore {
  readonly #insert: StatementSync;
  readonly #get: StatementSync;
  readonly #attempt: StatementSync;
  readonly #consume: StatementSync;
  readonly #deleteExpired: StatementSync;

  constructor(db: DatabaseSync) {
    this.#insert = db.prepare(
      `INSERT INTO pending_logins (token_hash, kind, user_id, binding, created_at, attempts, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#get = db.prepare('SELECT * FROM pending_logins WHERE token_hash = ? AND expires_at > ?');
    this.#attempt = db.prepare(
      `UPDATE pending_logins SET attempts = attempts + 1
       WHERE token_hash = ? AND expires_at > ? AND attempts < ? RETURNING *`,
    );
    this.#consume = db.prepare('DELETE FROM pending_logins WHERE token_hash = ? RETURNING *');
    this.#deleteExpired = db.prepare('DELETE FROM pending_logins WHERE expires_at <= ?');
  }

  async create(r: PendingLogin, expiresAt: number): Promise<void> {
    guard(() =>
      this.#insert.run(r.tokenHash, r.kind, r.userId, r.binding, r.createdAt, r.attempts, expiresAt),
    );
  }

  async get(tokenHash: string, now: number): Promise<PendingLogin | null> {
    const row = guard(() => this.#get.get(tokenHash, now));
    return row ? toPendingLogin(row) : null;
  }

  async recordAttempt(
    tokenHash: string,
    { now, maxAttempts }: { now: number; maxAttempts: number },
  ): Promise<PendingLogin | null> {
    const row = guard(() => this.#attempt.get(tokenHash, now, maxAttempts));
    return row ? toPendingLogin(row) : null;
  }

  async consume(tokenHash: string, now: number): Promise<PendingLogin | null> {
    // Deleted whatever its age; only a live one is handed back.
    const row = guard(() => this.#consume.get(tokenHash));
    return row && (row.expires_at as number) > now ? toPendingLogin(row) : null;
  }

  async deleteExpired(now: number): Promise<number> {
    return Number(guard(() => this.#deleteExpired.run(now)).changes);
  }
}
