import type pg from 'pg';
import type { Clock } from '../../internal/clock.ts';
import { systemClock } from '../../internal/clock.ts';
import type { CounterStore, CounterValue } from '../types.ts';
import { query } from './query.ts';

/** How many increments between sweeps of windows that have ended. */
const SWEEP_EVERY = 1024;

/**
 * One statement decides: insert a new window, restart an ended one, or count
 * up. ON CONFLICT takes the row lock, so concurrent increments of a key queue
 * on it and each sees the previous one's count. `now` is a parameter, not
 * `now()`, so the injected clock (a fake one in tests) rules the window.
 */
const INCREMENT = `
INSERT INTO throttle_counters AS c (key, count, reset_at) VALUES ($1, 1, $2::bigint + $3::bigint)
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN c.reset_at <= $2 THEN 1 ELSE c.count + 1 END,
  reset_at = CASE WHEN c.reset_at <= $2 THEN excluded.reset_at ELSE c.reset_at END
RETURNING count, reset_at`;

/**
 * Takes one back from the window that ends at $2, while it lasts, never below
 * zero. The row lock serialises it with the increments of the same key.
 */
const DECREMENT = `
UPDATE throttle_counters SET count = count - 1
WHERE key = $1 AND reset_at = $2 AND reset_at > $3 AND count > 0`;

/**
 * Fixed-window throttle counters in the UNLOGGED `throttle_counters` table: the
 * fallback for a deployment with PostgreSQL but no Redis (where Redis runs, it
 * holds the counters). The window starts at the first increment and ends
 * `ttlMs` later by the injected clock; ended windows are swept now and then.
 *
 * ```ts
 * const counters = new PostgresCounterStore(pool, { clock });
 * const { count, resetAt } = await counters.increment('throttle_anon_1.2.3.4', 60_000);
 * ```
 */
export class PostgresCounterStore implements CounterStore {
  readonly #pool: pg.Pool;
  readonly #clock: Clock;
  #untilSweep = SWEEP_EVERY;

  constructor(pool: pg.Pool, options: { clock?: Clock } = {}) {
    this.#pool = pool;
    this.#clock = options.clock ?? systemClock;
  }

  async increment(key: string, ttlMs: number): Promise<CounterValue> {
    const now = this.#clock.now();
    if (--this.#untilSweep <= 0) this.#sweep(now);
    const { rows } = await query(this.#pool, INCREMENT, [key, now, Math.ceil(ttlMs)]);
    return { count: rows[0].count as number, resetAt: rows[0].reset_at as number };
  }

  async decrement(key: string, resetAt: number): Promise<boolean> {
    const { rowCount } = await query(this.#pool, DECREMENT, [key, resetAt, this.#clock.now()]);
    return rowCount === 1;
  }

  async get(key: string): Promise<CounterValue> {
    const now = this.#clock.now();
    const { rows } = await query(
      this.#pool,
      'SELECT count, reset_at FROM throttle_counters WHERE key = $1 AND reset_at > $2',
      [key, now],
    );
    // An ended window reads as empty; its reset time is "now", as nothing is pending.
    return rows.length
      ? { count: rows[0].count as number, resetAt: rows[0].reset_at as number }
      : { count: 0, resetAt: now };
  }

  async reset(key: string): Promise<void> {
    await query(this.#pool, 'DELETE FROM throttle_counters WHERE key = $1', [key]);
  }

  #sweep(now: number): void {
    this.#untilSweep = SWEEP_EVERY;
    // Not awaited: no request should wait for housekeeping, and a sweep that
    // fails (the database is down) is simply done by a later one.
    query(this.#pool, 'DELETE FROM throttle_counters WHERE reset_at <= $1', [now]).catch(() => {});
  }
}
