import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { parseDjangoDateTime } from '../../django/import/django-datetime.ts';
import {
  DJANGO_TABLES,
  type DjangoRefreshRow,
  type DjangoSessionRow,
  type DjangoSource,
  type DjangoTable,
  type DjangoTokenRow,
  type DjangoUserRow,
  type DjangoUserSecret,
} from '../../django/import/source.ts';
import { ConfigurationError } from '../../errors.ts';

type Row = Record<string, unknown>;

/**
 * A Django project's SQLite file, opened read-only (node:sqlite's
 * `readOnly`: SQLite itself refuses every write). Each page is one
 * statement; no transaction is held across pages, so Django's writers are
 * never blocked for the length of an import (rows that change meanwhile are
 * caught by the next run).
 *
 * ```ts
 * const source = openSqliteDjangoSource('/srv/django/db.sqlite3');
 * const page = await source.users(0, 1000);
 * ```
 */
export function openSqliteDjangoSource(path: string): DjangoSource {
  if (!existsSync(path)) throw new ConfigurationError(`no Django database at ${path}`);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    db.exec('PRAGMA busy_timeout = 5000');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    throw new ConfigurationError(`cannot read the Django database ${path}: ${(error as Error).message}`);
  }
  const statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const all = (sql: string, ...params: (string | number)[]) => prepared(sql).all(...params) as Row[];
  return {
    label: `SQLite file ${path}`,
    async tables() {
      const names = all("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => r.name);
      return new Set(DJANGO_TABLES.filter((t) => names.includes(t)));
    },
    async count(table: DjangoTable) {
      if (!DJANGO_TABLES.includes(table)) throw new Error(`not a Django table: ${table}`);
      return Number(all(`SELECT count(*) AS n FROM "${table}"`)[0].n);
    },
    async users(afterId, limit) {
      return all(
        `SELECT id, username, email, password, is_active, is_staff, is_superuser, date_joined, last_login
         FROM auth_user WHERE id > ? ORDER BY id LIMIT ?`,
        afterId,
        limit,
      ).map(
        (r): DjangoUserRow => ({
          id: r.id as number,
          username: r.username,
          email: r.email,
          password: r.password,
          isActive: r.is_active,
          isStaff: r.is_staff,
          isSuperuser: r.is_superuser,
          dateJoined: parseDjangoDateTime(r.date_joined),
          lastLogin: parseDjangoDateTime(r.last_login),
        }),
      );
    },
    async userSecrets(ids) {
      const rows = all(
        'SELECT id, password, is_active FROM auth_user WHERE id IN (SELECT value FROM json_each(?))',
        JSON.stringify(ids),
      );
      return new Map(
        rows.map((r): [number, DjangoUserSecret] => [
          r.id as number,
          { password: r.password, isActive: r.is_active },
        ]),
      );
    },
    async tokens(afterKey, limit) {
      return all(
        'SELECT key, user_id, created FROM authtoken_token WHERE key > ? ORDER BY key LIMIT ?',
        afterKey,
        limit,
      ).map(
        (r): DjangoTokenRow => ({
          key: String(r.key),
          userId: r.user_id,
          created: parseDjangoDateTime(r.created),
        }),
      );
    },
    async sessions(afterKey, limit) {
      return all(
        `SELECT session_key, session_data, expire_date FROM django_session
         WHERE session_key > ? ORDER BY session_key LIMIT ?`,
        afterKey,
        limit,
      ).map(
        (r): DjangoSessionRow => ({
          sessionKey: String(r.session_key),
          sessionData: r.session_data,
          expireDate: parseDjangoDateTime(r.expire_date),
        }),
      );
    },
    async refreshTokens(afterId, limit) {
      // Never the `token` column: it holds the whole refresh token.
      return all(
        `SELECT o.id, o.user_id, o.jti, o.created_at, o.expires_at,
           EXISTS (SELECT 1 FROM token_blacklist_blacklistedtoken b WHERE b.token_id = o.id) AS blacklisted
         FROM token_blacklist_outstandingtoken o WHERE o.id > ? ORDER BY o.id LIMIT ?`,
        afterId,
        limit,
      ).map(
        (r): DjangoRefreshRow => ({
          id: r.id as number,
          userId: r.user_id,
          jti: r.jti,
          createdAt: parseDjangoDateTime(r.created_at),
          expiresAt: parseDjangoDateTime(r.expires_at),
          blacklisted: r.blacklisted === 1,
        }),
      );
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
}
