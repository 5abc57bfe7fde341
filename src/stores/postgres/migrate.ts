import type pg from 'pg';
import { checkSchemaName } from './pool.ts';
import { transaction } from './transaction.ts';

/** One schema step; `id` is recorded in `gatehouse_migrations` once it has run. */
export interface Migration {
  id: string;
  sql: string;
}

/**
 * Serialises migrations per target schema: two instances starting together
 * wait for each other instead of both running a step (or both creating the
 * schema). A transaction-scoped lock is released by COMMIT or by the
 * connection dying, so a crashed instance never leaves it held.
 */
const LOCK = `SELECT pg_advisory_xact_lock(hashtext('gatehouse_migrations'), hashtext(coalesce($1::text, current_schema(), '')))`;

/**
 * Applies, in order, every migration not yet recorded in `gatehouse_migrations`,
 * each in its own transaction with its record, and returns the ids applied by
 * this call (empty when the schema is current). Every transaction first takes
 * an advisory lock and only then checks what has run, so concurrent callers
 * never apply a step twice. With `schema`, that schema is created when missing
 * (the pool's connections must have it as their `search_path`).
 *
 * ```ts
 * await migrate(pool, postgresMigrations); // ['0001_initial'] the first time, [] after
 * ```
 */
export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[],
  options: { schema?: string } = {},
): Promise<string[]> {
  const schema = options.schema === undefined ? null : checkSchemaName(options.schema);
  await transaction(pool, async (client) => {
    await client.query(LOCK, [schema]);
    if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS gatehouse_migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await transaction(pool, async (client) => {
      await client.query(LOCK, [schema]);
      const done = await client.query('SELECT 1 FROM gatehouse_migrations WHERE id = $1', [migration.id]);
      if (done.rowCount !== 0) return false;
      // No parameters, so pg uses the simple protocol, which accepts several statements.
      await client.query(migration.sql);
      await client.query('INSERT INTO gatehouse_migrations (id) VALUES ($1)', [migration.id]);
      return true;
    });
    if (ran) applied.push(migration.id);
  }
  return applied;
}
