import type pg from 'pg';
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

/** A timestamptz as epoch milliseconds (a float8, so `pg` hands a number), microseconds truncated. */
const ms = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::float8`;

/**
 * A Django project's PostgreSQL database, read on one connection inside one
 * `REPEATABLE READ READ ONLY` transaction: PostgreSQL refuses every write,
 * every page comes from the same snapshot (a user and the sessions read
 * later agree), and Django's writers are never blocked. `pg` is loaded only
 * here, when such a database is named.
 *
 * ```ts
 * const source = await openPostgresDjangoSource('postgres://django@db/app');
 * const page = await source.sessions('', 1000);
 * ```
 */
export async function openPostgresDjangoSource(url: string): Promise<DjangoSource> {
  const { default: pgModule } = await import('pg');
  const client: pg.Client = new pgModule.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {}); // a dropped connection fails the pending query, which is what we act on
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  } catch (error) {
    await client.end().catch(() => {});
    throw new ConfigurationError(`cannot read the Django database: ${(error as Error).message}`);
  }
  const all = async (text: string, values: unknown[] = []) => (await client.query<Row>(text, values)).rows;
  let closed = false;
  return {
    label: `PostgreSQL database ${client.database ?? ''}`.trim(),
    async tables() {
      const rows = await all('SELECT t, to_regclass(t) IS NOT NULL AS found FROM unnest($1::text[]) AS t', [
        DJANGO_TABLES,
      ]);
      return new Set(rows.filter((r) => r.found).map((r) => r.t as DjangoTable));
    },
    async count(table: DjangoTable) {
      if (!DJANGO_TABLES.includes(table)) throw new Error(`not a Django table: ${table}`);
      return Number((await all(`SELECT count(*)::float8 AS n FROM ${table}`))[0].n);
    },
    async users(afterId, limit) {
      const rows = await all(
        `SELECT id::float8 AS id, username, email, password, is_active, is_staff, is_superuser,
           ${ms('date_joined')} AS date_joined, ${ms('last_login')} AS last_login
         FROM auth_user WHERE id > $1 ORDER BY id LIMIT $2`,
        [afterId, limit],
      );
      return rows.map(
        (r): DjangoUserRow => ({
          id: r.id as number,
          username: r.username,
          email: r.email,
          password: r.password,
          isActive: r.is_active,
          isStaff: r.is_staff,
          isSuperuser: r.is_superuser,
          dateJoined: r.date_joined as number | null,
          lastLogin: r.last_login as number | null,
        }),
      );
    },
    async userSecrets(ids) {
      const rows = await all(
        'SELECT id::float8 AS id, password, is_active FROM auth_user WHERE id = ANY($1::bigint[])',
        [ids],
      );
      return new Map(
        rows.map((r): [number, DjangoUserSecret] => [
          r.id as number,
          { password: r.password, isActive: r.is_active },
        ]),
      );
    },
    async tokens(afterKey, limit) {
      const rows = await all(
        `SELECT key, user_id::float8 AS user_id, ${ms('created')} AS created
         FROM authtoken_token WHERE key > $1 ORDER BY key LIMIT $2`,
        [afterKey, limit],
      );
      return rows.map(
        (r): DjangoTokenRow => ({ key: r.key as string, userId: r.user_id, created: r.created as number }),
      );
    },
    async sessions(afterKey, limit) {
      const rows = await all(
        `SELECT session_key, session_data, ${ms('expire_date')} AS expire_date
         FROM django_session WHERE session_key > $1 ORDER BY session_key LIMIT $2`,
        [afterKey, limit],
      );
      return rows.map(
        (r): DjangoSessionRow => ({
          sessionKey: r.session_key as string,
          sessionData: r.session_data,
          expireDate: r.expire_date as number | null,
        }),
      );
    },
    async refreshTokens(afterId, limit) {
      // Never the `token` column: it holds the whole refresh token.
      const rows = await all(
        `SELECT o.id::float8 AS id, o.user_id::float8 AS user_id, o.jti,
           ${ms('o.created_at')} AS created_at, ${ms('o.expires_at')} AS expires_at,
           EXISTS (SELECT 1 FROM token_blacklist_blacklistedtoken b WHERE b.token_id = o.id) AS blacklisted
         FROM token_blacklist_outstandingtoken o WHERE o.id > $1 ORDER BY o.id LIMIT $2`,
        [afterId, limit],
      );
      return rows.map(
        (r): DjangoRefreshRow => ({
          id: r.id as number,
          userId: r.user_id,
          jti: r.jti,
          createdAt: r.created_at as number | null,
          expiresAt: r.expires_at as number | null,
          blacklisted: r.blacklisted === true,
        }),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.query('COMMIT').catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
