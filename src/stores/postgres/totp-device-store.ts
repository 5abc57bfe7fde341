import type pg from 'pg';
import { toTotpDevice } from '../mfa-rows.ts';
import type { TotpDevice, TotpDeviceStore } from '../types.ts';
import { query } from './query.ts';

/**
 * TOTP devices in `totp_devices`, one row per user. `useStep` is one
 * conditional UPDATE: PostgreSQL re-checks `last_step < step` on the locked
 * row, so of two requests carrying the same code, on any instances, one wins.
 *
 * ```ts
 * const devices = new PostgresTotpDeviceStore(pool);
 * if (!(await devices.useStep(user.id, { sealedSecret, step, now }))) throw invalidCode();
 * ```
 */
export class PostgresTotpDeviceStore implements TotpDeviceStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async get(userId: number): Promise<TotpDevice | null> {
    const { rows } = await query(this.#pool, 'SELECT * FROM totp_devices WHERE user_id = $1', [userId]);
    return rows.length ? toTotpDevice(rows[0]) : null;
  }

  async create(d: TotpDevice): Promise<boolean> {
    const result = await query(
      this.#pool,
      `INSERT INTO totp_devices (user_id, sealed_secret, last_step, created_at, last_used_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO NOTHING`,
      [d.userId, d.sealedSecret, d.lastStep, d.createdAt, d.lastUsedAt],
    );
    return result.rowCount === 1;
  }

  async useStep(
    userId: number,
    { sealedSecret, step, now }: { sealedSecret: string; step: number; now: number },
  ): Promise<boolean> {
    const result = await query(
      this.#pool,
      `UPDATE totp_devices SET last_step = $1, last_used_at = $2
       WHERE user_id = $3 AND sealed_secret = $4 AND (last_step IS NULL OR last_step < $1)`,
      [step, now, userId, sealedSecret],
    );
    return result.rowCount === 1;
  }

  async reseal(userId: number, from: string, to: string): Promise<boolean> {
    const result = await query(
      this.#pool,
      'UPDATE totp_devices SET sealed_secret = $1 WHERE user_id = $2 AND sealed_secret = $3',
      [to, userId, from],
    );
    return result.rowCount === 1;
  }

  async delete(userId: number): Promise<boolean> {
    const result = await query(this.#pool, 'DELETE FROM totp_devices WHERE user_id = $1', [userId]);
    return result.rowCount === 1;
  }
}
