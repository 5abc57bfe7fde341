import type { Config } from '../../config.ts';
import type { ImportTarget } from '../../stores/import-target.ts';
import { openSqliteImportTarget } from '../../stores/sqlite/import-target.ts';

/**
 * The import side of the Gatehouse database the configuration names (its
 * DATABASE_URL and table prefix), migrated first unless `readOnly`. The
 * PostgreSQL driver is loaded only for a PostgreSQL database.
 *
 * ```ts
 * const target = await openImportTarget(loadConfig(), { readOnly: dryRun });
 * ```
 */
export async function openImportTarget(
  config: Pick<Config, 'database' | 'tablePrefix'>,
  options: { readOnly?: boolean } = {},
): Promise<ImportTarget> {
  const { database, tablePrefix } = config;
  if (database.kind === 'sqlite') return openSqliteImportTarget(database.path, { tablePrefix, ...options });
  const { openPostgresImportTarget } = await import('../../stores/postgres/import-target.ts');
  return openPostgresImportTarget(database.url, { tablePrefix, ...options });
}
