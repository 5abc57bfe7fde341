import type { DatabaseSync } from 'node:sqlite';
import { guard } from './guard.ts';

/** One schema step; `id` is recorded in `gatehouse_migrations` once it has run. */
export interface Migration {
  id: string;
  sql: string;
}

/**
 * Applies, in order, every migration not yet recorded in `gatehouse_migrations`,
 * each in its own transaction with its record, and returns the ids applied by
 * this call (empty when the schema is current). The check happens inside a
 * `BEGIN IMMEDIATE`, so two processes starting together never run a step twice.
 *
 * ```ts
 * migrate(db, sqliteMigrations); // ['0001_initial'] the first time, [] after
 * ```
 */
export function migrate(db: DatabaseSync, migrations: readonly Migration[]): string[] {
  return guard(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS gatehouse_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    const isApplied = db.prepare('SELECT 1 FROM gatehouse_migrations WHERE id = ?');
    const record = db.prepare('INSERT INTO gatehouse_migrations (id, applied_at) VALUES (?, ?)');
    const applied: string[] = [];
    for (const migration of migrations) {
      db.exec('BEGIN IMMEDIATE');
      try {
        if (isApplied.get(migration.id) === undefined) {
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
