import type pg from 'pg';
import { ConfigurationError } from '../../errors.ts';
import { createdTables } from '../created-tables.ts';
import { DEFAULT_TABLE_PREFIX, withTablePrefix } from '../table-prefix.ts';
import { checkSchemaName } from './pool.ts';

import { transaction } from './transaction.ts';

/** One schema step; `id` is recorded in `<prefix>migrations` once it has run. Table names are unprefixed. */
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
 * Applies, in order, every migration not yet recorded in `<prefix>migrations`,
 * each in its own transaction with its record, and returns the ids applied by
 * this call (empty when the schema is current). Every transaction first takes
 * an advisory lock and only then checks what has run, so concurrent callers
 * never apply a step twice. With `schema`, that schema is created when missing
 * (the pool's connections must have it as their `search_path`).
 *
 * ```ts
 * await migrate(pool, postgresMigrations); // ['0001_tables'] the first time, [] after
 * ```
 */
export async function migrate(
  raw: pg.Pool,
  migrations: readonly Migration[],
  options: { schema?: string; tablePrefix?: string } = {},
): Promise<string[]> {
  const schema = options.schema === undefined ? null : checkSchemaName(options.schema);
  const prefix = options.tablePrefix ?? DEFAULT_TABLE_PREFIX;
  // Statements name the unprefixed tables (`raw` must not rewrite them already).
  const pool = withTablePrefix(raw, prefix);
  await transaction(pool, async (client) => {
    await client.query(LOCK, [schema]);
    if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await transaction(pool, async (client) => {
      await client.query(LOCK, [schema]);
      const done = await client.query('SELECT 1 FROM migrations WHERE id = $1', [migration.id]);
      if (done.rowCount !== 0) return false;
      for (const table of createdTables(migration.sql, prefix)) {
        // A table a pending step creates that exists already is someone else's: refuse, change nothing.
        const found = await client.query('SELECT to_regclass($1) IS NOT NULL AS found', [table]);
        if (found.rows[0]?.found) {
          throw new ConfigurationError(
            `the database already has a table ${table} that Gatehouse did not create; choose other names with GATEHOUSE_TABLE_PREFIX (tablePrefix)`,
          );
        }
      }
      // No parameters, so pg uses the simple protocol, which accepts several statements.
      await client.query(migration.sql);
      await client.query('INSERT INTO migrations (id) VALUES ($1)', [migration.id]);
      return true;
    });
    if (ran) applied.push(migration.id);
  }
  return applied;
}
