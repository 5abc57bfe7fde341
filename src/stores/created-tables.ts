import { prefixTables } from './table-prefix.ts';

/**
 * The tables a migration's SQL creates, as they will be named with the
 * prefix: what must not exist yet when the step has not run.
 *
 * ```ts
 * createdTables('CREATE TABLE users (…); CREATE INDEX …', 'gatehouse_') // ['gatehouse_users']
 * ```
 */
export function createdTables(sql: string, prefix: string): string[] {
  return [
    ...prefixTables(sql, prefix).matchAll(/\bCREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)/gi),
  ].map((match) => match[1]);
}
