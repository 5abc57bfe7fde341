import type pg from 'pg';
import { guard } from './guard.ts';

/** A row as `pg` returns it; BIGINTs are already numbers (see pool.ts). */
export type Row = Record<string, unknown>;

/**
 * One parameterised statement on any pooled connection, with unavailability
 * turned into `StoreUnavailableError`. Each call is a single statement, hence
 * atomic by itself: the stores need no transaction for a change of many rows
 * when one statement makes it.
 *
 * ```ts
 * const { rows } = await query(pool, 'SELECT * FROM users WHERE id = $1', [id]);
 * ```
 */
export function query(pool: pg.Pool, text: string, values?: unknown[]): Promise<pg.QueryResult<Row>> {
  return guard(() => pool.query<Row>(text, values));
}
