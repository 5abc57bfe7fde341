import { ConfigurationError } from '../errors.ts';

/**
 * Every table Gatehouse keeps, by its unprefixed name. The SQL of the stores
 * and migrations is written with these names; `withTablePrefix` rewrites them
 * as statements are prepared, so one database can hold Gatehouse beside the
 * application's own tables (`users` stays the application's, Gatehouse's is
 * `gatehouse_users`).
 */
export const GATEHOUSE_TABLES: readonly string[] = Object.freeze([
  'migrations',
  'users',
  'sessions',
  'api_tokens',
  'refresh_tokens',
  'refresh_families',
  'throttle_counters',
  'totp_devices',
  'recovery_codes',
  'pending_logins',
  'webauthn_challenges',
  'passkeys',
  'django_imports',
]);

/** The default prefix: `gatehouse_users`, `gatehouse_sessions`, … */
export const DEFAULT_TABLE_PREFIX = 'gatehouse_';

/** Checks a prefix is a plain SQL identifier start (it is spliced into SQL); returns it. */
export function checkTablePrefix(prefix: string): string {
  if (!/^[a-z_][a-z0-9_]{0,30}$/.test(prefix)) {
    throw new ConfigurationError(
      `table prefix must be lower-case letters, digits and _ (at most 31, not starting with a digit), got ${JSON.stringify(prefix)}`,
    );
  }
  return prefix;
}

/**
 * The statement with Gatehouse's table names prefixed, and the names built on
 * them (indexes such as `sessions_user_id`), so two prefixes never collide in
 * one database. Names are matched as whole words: a column such as `user_id`
 * is left alone.
 *
 * ```ts
 * prefixTables('SELECT * FROM users WHERE id = ?', 'gh_') // 'SELECT * FROM gh_users WHERE id = ?'
 * ```
 */
export function prefixTables(sql: string, prefix: string): string {
  if (prefix === '') return sql;
  return sql.replace(WORD, (word) => (isGatehouseName(word) ? prefix + word : word));
}

// Every identifier-shaped word; each is looked up, so the pattern stays one linear scan.
const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
const TABLES: ReadonlySet<string> = new Set(GATEHOUSE_TABLES);

/** A Gatehouse table, or a name built on one (`sessions_user_id`, an index). */
function isGatehouseName(word: string): boolean {
  if (TABLES.has(word)) return true;
  for (const table of GATEHOUSE_TABLES) if (word.startsWith(`${table}_`)) return true;
  return false;
}

type Rewriting = {
  query?: unknown;
  prepare?: unknown;
  exec?: unknown;
  connect?: unknown;
};

/**
 * A database handle whose statements name the prefixed tables: node:sqlite's
 * `DatabaseSync` (`prepare`, `exec`) or a pg `Pool` (`query`, and the clients
 * `connect` hands out). Rewritten texts are remembered, so a statement that
 * runs on every request is rewritten once.
 *
 * ```ts
 * const db = withTablePrefix(openSqliteDatabase(path), 'gatehouse_');
 * db.prepare('SELECT * FROM users'); // runs SELECT * FROM gatehouse_users
 * ```
 */
export function withTablePrefix<T extends object>(handle: T, prefix: string): T {
  checkTablePrefix(prefix);
  const cache = new Map<string, string>();
  const rewrite = (sql: string): string => {
    let out = cache.get(sql);
    if (out === undefined) {
      out = prefixTables(sql, prefix);
      if (cache.size >= 2048) cache.clear();
      cache.set(sql, out);
    }
    return out;
  };
  const rewriteFirst = (args: unknown[]): unknown[] => {
    const [first, ...rest] = args;
    if (typeof first === 'string') return [rewrite(first), ...rest];
    if (first && typeof first === 'object' && typeof (first as { text?: unknown }).text === 'string') {
      return [{ ...(first as object), text: rewrite((first as { text: string }).text) }, ...rest];
    }
    return args;
  };
  const wrap = <H extends object>(target: H): H =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property);
        if (typeof value !== 'function') return value;
        if (property === 'query' || property === 'prepare' || property === 'exec') {
          return (...args: unknown[]) =>
            (value as (...a: unknown[]) => unknown).apply(object, rewriteFirst(args));
        }
        if (property === 'connect') {
          return async (...args: unknown[]) =>
            wrap((await (value as (...a: unknown[]) => Promise<object>).apply(object, args)) as object);
        }
        return value.bind(object);
      },
    }) as H & Rewriting;
  return wrap(handle);
}
