import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { toTotpDevice } from '../mfa-rows.ts';
import type { TotpDevice, TotpDeviceStore } from '../types.ts';
import { guard } from './guard.ts';

/**
 * TOTP devices in `totp_devices`, one row per user (the primary key).
 * `useStep` is one conditional UPDATE, so of two requests carrying the same
 * code exactly one is accepted, across processes too.
 *
 * ```ts
 * const devices = new SqliteTotpDeviceStore(db);
 * if (!(await devices.useStep(user.id, { sealedSecret, step, now }))) throw invalidCode();
 * ```
 */
export class SqliteTotpDeviceStore implements TotpDeviceStore {
  readonly #get: StatementSync;
  readonly #insert: StatementSync;
  readonly #useStep: StatementSync;
  readonly #reseal: StatementSync;
  readonly #delete: StatementSync;

  constructor(db: DatabaseSync) {
    this.#get = db.prepare('SELECT * FROM totp_devices WHERE user_id = ?');
    this.#insert = db.prepare(
      `INSERT INTO totp_devices (user_id, sealed_secret, last_step, created_at, last_used_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING`,
    );
    this.#useStep = db.prepare(
      `UPDATE totp_devices SET last_step = ?1, last_used_at = ?2
       WHERE user_id = ?3 AND sealed_secret = ?4 AND (last_step IS NULL OR last_step < ?1)`,
    );
    this.#reseal = db.prepare(
      'UPDATE totp_devices SET sealed_secret = ? WHERE user_id = ? AND sealed_secret = ?',
    );
    this.#delete = db.prepare('DELETE FROM totp_devices WHERE user_id = ?');
  }

  async get(userId: number): Promise<TotpDevice | null> {
    const row = guard(() => this.#get.get(userId));
    return row ? toTotpDevice(row) : null;
  }

  async create(d: TotpDevice): Promise<boolean> {
    const { changes } = guard(() =>
      this.#insert.run(d.userId, d.sealedSecret, d.lastStep, d.createdAt, d.lastUsedAt),
    );
    return changes === 1;
  }

  async useStep(
    userId: number,
    { sealedSecret, step, now }: { sealedSecret: string; step: number; now: number },
  ): Promise<boolean> {
    return guard(() => this.#useStep.run(step, now, userId, sealedSecret)).changes === 1;
  }

  async reseal(userId: number, from: string, to: string): Promise<boolean> {
    return guard(() => this.#reseal.run(to, userId, from)).changes === 1;
  }

  async delete(userId: number): Promise<boolean> {
    return guard(() => this.#delete.run(userId)).changes === 1;
  }
}
