import type { DatabaseSync } from 'node:sqlite';
import { openSqliteDatabase } from '../../stores/sqlite/database.ts';
import { migrate as applyMigrations } from '../../stores/sqlite/migrate.ts';
import { defineCommand } from '../command.ts';

/** `gatehouse migrate`: brings the database's schema up to date (Django's `migrate`). */
export const migrate = defineCommand({
  name: 'migrate',
  summary: 'Create or update the database schema',
  description: `Applies the schema migrations not yet recorded in the database (DATABASE_URL), printing
each one, then "Database is up to date." The server and every other command also migrate when
they open the database, so this is for deploy scripts that want it done, and reported, first.
Concurrent runs are safe: each step runs once.`,
  args: { positionals: [], options: {} },
  async run(_args, ctx) {
    const config = ctx.config();
    if (config.database.kind !== 'sqlite') {
      await ctx.open(); // says what is supported
      return ctx.print('Database is up to date.');
    }
    ctx.progress(`Applying migrations to ${config.database.path}…`);
    // Read the record before and after opening the stores, which is what migrates.
    const db = openSqliteDatabase(config.database.path);
    try {
      const before = appliedIds(db, config.tablePrefix);
      await ctx.open();
      for (const id of appliedIds(db, config.tablePrefix))
        if (!before.has(id)) ctx.print(`Applied migration ${id}.`);
    } finally {
      db.close();
    }
    ctx.print('Database is up to date.');
  },
});

/** The ids recorded in `<prefix>migrations` (the table `migrate` keeps), in the order applied. */
function appliedIds(db: DatabaseSync, tablePrefix: string): Set<string> {
  applyMigrations(db, [], { tablePrefix }); // creates the record table when the file is new
  const rows = db.prepare(`SELECT id FROM ${tablePrefix}migrations ORDER BY applied_at, id`).all() as {
    id: string;
  }[];
  return new Set(rows.map((row) => row.id));
}
