import type { DatabaseSync } from 'node:sqlite';
import { ConfigurationError } from '../../errors.ts';
import { createdTables } from '../created-tables.ts';
import { DEFAULT_TABLE_PREFIX, withTablePrefix } from '../table-prefix.ts';
import { guard } from './guard.ts';

/** One schema step; `id` is recorded in `<prefix>migrations` once it has run. Table names are unprefixed. */
export interface Migration {
  id: string;
  sql: string;
}

/**
 * Applies, in order, every migration not yet recorded in `<prefix>migrations`
 * (`gatehouse_migrations` by default), each in its own transaction with its
 * record, and returns the ids applied by this call (empty when the schema is
 * current). The check happens inside a `BEGIN IMMEDIATE`, so two processes
 * starting together never run a step twice. A table a pending step would
 * create that already exists belongs to someone else: a ConfigurationError
 * names it, and nothing is changed.
 *
 * ```ts
 * migrate(db, sqliteMigrations); // ['0001_tables'] the first time, [] after
 * ```
 */
export function migrate(
  raw: DatabaseSync,
  migrations: readonly Migration[],
  options: { tablePrefix?: string } = {},
): string[] {
  const db = withTablePrefix(raw, options.tablePrefix ?? DEFAULT_TABLE_PREFIX);
  return guard(() => {
    db.exec('CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const isApplied = db.prepare('SELECT 1 FROM migrations WHERE id = ?');
    const record = db.prepare('INSERT INTO migrations (id, applied_at) VALUES (?, ?)');
    const exists = raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    const applied: string[] = [];
    for (const migration of migrations) {
      db.exec('BEGIN IMMEDIATE');
      try {
        if (isApplied.get(migration.id) === undefined) {
          for (const table of createdTables(migration.sql, options.tablePrefix ?? DEFAULT_TABLE_PREFIX)) {
            if (exists.get(table) !== undefined) throw foreignTable(table);
          }
          db.exec(migration.sql);
          record.run(migration.id, new Date().toISOString());
          applied.push(migration.id);
        }
        db.exec('COMMIT');
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
    }
    return applied;
  });
}

function foreignTable(table: string): ConfigurationError {
  return new ConfigurationError(
    `the database already has a table ${table} that Gatehouse did not create; choose other names with GATEHOUSE_TABLE_PREFIX (tablePrefix)`,
  );
}
