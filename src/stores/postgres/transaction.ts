import type pg from 'pg';
import { guard } from './guard.ts';

/**
 * Runs `work` inside BEGIN … COMMIT on one pooled connection, rolling back
 * when it throws, with unavailability turned into `StoreUnavailableError`.
 * A connection whose ROLLBACK fails is destroyed rather than handed to the
 * next caller in an unknown state.
 *
 * ```ts
 * await transaction(pool, async (client) => {
 *   await client.query('SELECT pg_advisory_xact_lock(42)');
 *   await client.query('INSERT INTO t VALUES (1)');
 * });
 * ```
 */
export function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return guard(async () => {
    const client = await pool.connect();
    // A checked-out connection that dies emits 'error'; unheard, that would
    // crash the process. The pending query fails too, which is what we act on.
    const ignore = () => {};
    client.on('error', ignore);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.off('error', ignore);
      client.release(broken);
    }
  });
}
