import type pg from 'pg';
import { ConfigurationError } from '../../errors.ts';
import {
  emptyImportTarget,
  type ImportChanges,
  type ImportedUser,
  type ImportedUserPatch,
  type ImportKind,
  type ImportTarget,
  type LedgerEntry,
  type StoredRefreshState,
} from '../import-target.ts';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX, withTablePrefix } from '../table-prefix.ts';
import { migrate } from './migrate.ts';
import { createPostgresPool } from './pool.ts';
import { query } from './query.ts';
import { postgresMigrations } from './schema.ts';
import { transaction } from './transaction.ts';

type Row = Record<string, unknown>;

/** The columns an import may change, and the patch keys they come from: the only names spliced into SQL. */
const USER_COLUMNS: readonly [keyof ImportedUserPatch, string][] = [
  ['username', 'username'],
  ['email', 'email'],
  ['password', 'password'],
  ['isActive', 'is_active'],
  ['isStaff', 'is_staff'],
  ['isSuperuser', 'is_superuser'],
  ['dateJoined', 'date_joined'],
  ['lastLogin', 'last_login'],
];

export interface PostgresImportTargetOptions {
  /** Default `gatehouse_`. */
  tablePrefix?: string;
  /** Every connection's `search_path` (as `createPostgresStores`' option). */
  schema?: string;
  /**
   * Read only (a dry run): nothing is migrated; a database without
   * Gatehouse's tables reads as empty, one not migrated to the current
   * schema is refused.
   */
  readOnly?: boolean;
}

/**
 * Where `gatehouse importdjango` writes on PostgreSQL: a small pool of its
 * own (statements may take longer than a request's), each `apply` one
 * transaction in which every kind of row goes in with one statement over
 * arrays (`unnest`), lookups by `= ANY($1)`.
 *
 * ```ts
 * const target = await openPostgresImportTarget('postgres://gh@db/app');
 * await target.apply({ createUsers: users });
 * await target.syncUserIds();
 * ```
 */
export async function openPostgresImportTarget(
  url: string,
  options: PostgresImportTargetOptions = {},
): Promise<ImportTarget> {
  const prefix = checkTablePrefix(options.tablePrefix ?? DEFAULT_TABLE_PREFIX);
  const raw = createPostgresPool(url, { schema: options.schema, poolSize: 2, statementTimeoutMs: 120_000 });
  try {
    if (options.readOnly) {
      const pool = withTablePrefix(raw, prefix);
      const { rows } = await query(pool, "SELECT to_regclass('migrations') IS NOT NULL AS found");
      if (!rows[0].found) {
        await raw.end();
        return emptyImportTarget();
      }
      const applied = (await query(pool, 'SELECT id FROM migrations')).rows.map((r) => r.id as string);
      const missing = postgresMigrations.filter((m) => !applied.includes(m.id));
      if (missing.length > 0) {
        throw new ConfigurationError(
          `the Gatehouse database is not migrated (${missing.map((m) => m.id).join(', ')} pending): run gatehouse migrate first; a dry run writes nothing`,
        );
      }
    } else {
      await migrate(raw, postgresMigrations, { schema: options.schema, tablePrefix: prefix });
    }
  } catch (error) {
    await raw.end().catch(() => {});
    throw error;
  }
  return new PostgresImportTarget(raw, prefix);
}

class PostgresImportTarget implements ImportTarget {
  readonly #raw: pg.Pool;
  readonly #pool: pg.Pool;
  #closing: Promise<void> | undefined;

  constructor(raw: pg.Pool, prefix: string) {
    this.#raw = raw;
    this.#pool = withTablePrefix(raw, prefix);
  }

  async #all(text: string, values: unknown[]): Promise<Row[]> {
    return (await query(this.#pool, text, values)).rows;
  }

  async ledger(kind: ImportKind, refs: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.#all(
      'SELECT ref, fingerprint FROM django_imports WHERE kind = $1 AND ref = ANY($2::text[])',
      [kind, refs],
    );
    return new Map(rows.map((r) => [r.ref as string, r.fingerprint as string]));
  }

  async ledgerPage(kind: ImportKind, afterRef: string, limit: number): Promise<LedgerEntry[]> {
    // COLLATE "C": byte order, the same on every server, so paging never skips or repeats an entry.
    return (await this.#all(
      `SELECT kind, ref, fingerprint FROM django_imports
       WHERE kind = $1 AND ref COLLATE "C" > $2 ORDER BY ref COLLATE "C" LIMIT $3`,
      [kind, afterRef, limit],
    )) as unknown as LedgerEntry[];
  }

  async users(ids: readonly number[]): Promise<Map<number, ImportedUser>> {
    const rows = await this.#all('SELECT * FROM users WHERE id = ANY($1::bigint[])', [ids]);
    return new Map(rows.map((r) => [r.id as number, toImportedUser(r)]));
  }

  async userIdsByUsername(usernames: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.#all('SELECT id, username FROM users WHERE username = ANY($1::text[])', [
      usernames,
    ]);
    return new Map(rows.map((r) => [r.username as string, r.id as number]));
  }

  async tokenOwners(keyHashes: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.#all(
      'SELECT key_hash, user_id FROM api_tokens WHERE key_hash = ANY($1::text[])',
      [keyHashes],
    );
    return new Map(rows.map((r) => [r.key_hash as string, r.user_id as number]));
  }

  async sessionOwners(keyHashes: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.#all('SELECT key_hash, user_id FROM sessions WHERE key_hash = ANY($1::text[])', [
      keyHashes,
    ]);
    return new Map(rows.map((r) => [r.key_hash as string, r.user_id as number]));
  }

  async refreshTokenStates(jtis: readonly string[]): Promise<Map<string, StoredRefreshState>> {
    const rows = await this.#all('SELECT jti, state FROM refresh_tokens WHERE jti = ANY($1::text[])', [jtis]);
    return new Map(rows.map((r) => [r.jti as string, r.state as StoredRefreshState]));
  }

  apply(changes: ImportChanges): Promise<void> {
    return transaction(this.#pool, (client) => write(client, changes));
  }

  async syncUserIds(): Promise<void> {
    await transaction(this.#pool, async (client) => {
      // No insert is half-way through taking an id while the lock is held, so the sequence never
      // moves back past an id handed out meanwhile; it only ever moves forward.
      await client.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
      await client.query(
        `SELECT setval(seq, top) FROM (
           SELECT seq, GREATEST(coalesce((SELECT max(id) FROM users), 0), coalesce(pg_sequence_last_value(seq), 0)) AS top
           FROM (SELECT pg_get_serial_sequence('users', 'id')::regclass AS seq) s
         ) t WHERE top > 0`,
      );
    });
  }

  close(): Promise<void> {
    this.#closing ??= this.#raw.end();
    return this.#closing;
  }
}

/** One batch, one statement per kind of row. */
async function write(client: pg.PoolClient, c: ImportChanges): Promise<void> {
  const users = c.createUsers ?? [];
  if (users.length) {
    await client.query(
      `INSERT INTO users (id, username, email, password, is_active, is_staff, is_superuser, date_joined, last_login)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::bool[], $7::bool[],
         $8::bigint[], $9::bigint[])`,
      [
        users.map((u) => u.id),
        users.map((u) => u.username),
        users.map((u) => u.email),
        users.map((u) => u.password),
        users.map((u) => u.isActive),
        users.map((u) => u.isStaff),
        users.map((u) => u.isSuperuser),
        users.map((u) => u.dateJoined),
        users.map((u) => u.lastLogin),
      ],
    );
  }
  for (const { id, patch } of c.updateUsers ?? []) {
    const values: unknown[] = [id];
    const sets: string[] = [];
    for (const [key, column] of USER_COLUMNS) {
      if (patch[key] === undefined) continue;
      values.push(patch[key]);
      sets.push(`${column} = $${values.length}`);
    }
    if (sets.length) await client.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $1`, values);
  }
  const tokens = c.createTokens ?? [];
  if (tokens.length) {
    await client.query(
      `INSERT INTO api_tokens (id, key_hash, user_id, name, created_at, last_used_at, expires_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[])`,
      [
        tokens.map((t) => t.id),
        tokens.map((t) => t.keyHash),
        tokens.map((t) => t.userId),
        tokens.map((t) => t.name),
        tokens.map((t) => t.createdAt),
        tokens.map((t) => t.lastUsedAt),
        tokens.map((t) => t.expiresAt),
      ],
    );
  }
  if (c.deleteTokens?.length) {
    await client.query('DELETE FROM api_tokens WHERE key_hash = ANY($1::text[])', [c.deleteTokens]);
  }
  const sessions = c.createSessions ?? [];
  if (sessions.length) {
    await client.query(
      `INSERT INTO sessions (key_hash, id, user_id, auth_hash, created_at, last_seen_at, ip, user_agent, expires_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::text[],
         $8::text[], $9::bigint[])`,
      [
        sessions.map((s) => s.keyHash),
        sessions.map((s) => s.id),
        sessions.map((s) => s.userId),
        sessions.map((s) => s.authHash),
        sessions.map((s) => s.createdAt),
        sessions.map((s) => s.lastSeenAt),
        sessions.map((s) => s.ip),
        sessions.map((s) => s.userAgent),
        sessions.map((s) => s.expiresAt ?? null),
      ],
    );
  }
  const updated = c.updateSessions ?? [];
  if (updated.length) {
    await client.query(
      `UPDATE sessions SET auth_hash = u.auth_hash, expires_at = u.expires_at
       FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u (key_hash, auth_hash, expires_at)
       WHERE sessions.key_hash = u.key_hash`,
      [updated.map((s) => s.keyHash), updated.map((s) => s.authHash), updated.map((s) => s.expiresAt)],
    );
  }
  if (c.deleteSessions?.length) {
    await client.query('DELETE FROM sessions WHERE key_hash = ANY($1::text[])', [c.deleteSessions]);
  }
  const refresh = c.createRefreshTokens ?? [];
  if (refresh.length) {
    await client.query(
      `INSERT INTO refresh_families (id, user_id, born_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) ON CONFLICT (id) DO NOTHING`,
      [refresh.map((r) => r.familyId), refresh.map((r) => r.userId), refresh.map((r) => r.bornAt)],
    );
    await client.query(
      `INSERT INTO refresh_tokens (jti, family_id, user_id, expires_at, state)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[]) ON CONFLICT (jti) DO NOTHING`,
      [
        refresh.map((r) => r.jti),
        refresh.map((r) => r.familyId),
        refresh.map((r) => r.userId),
        refresh.map((r) => r.expiresAt),
        refresh.map((r) => r.state),
      ],
    );
  }
  if (c.blacklistRefreshTokens?.length) {
    await client.query(
      "UPDATE refresh_tokens SET state = 'blacklisted' WHERE jti = ANY($1::text[]) AND state = 'outstanding'",
      [c.blacklistRefreshTokens],
    );
  }
  const ledger = c.ledger ?? [];
  if (ledger.length) {
    await client.query(
      `INSERT INTO django_imports (kind, ref, fingerprint)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (kind, ref) DO UPDATE SET fingerprint = excluded.fingerprint`,
      [ledger.map((e) => e.kind), ledger.map((e) => e.ref), ledger.map((e) => e.fingerprint)],
    );
  }
  const forget = c.forget ?? [];
  if (forget.length) {
    await client.query(
      `DELETE FROM django_imports d USING unnest($1::text[], $2::text[]) AS f (kind, ref)
       WHERE d.kind = f.kind AND d.ref = f.ref`,
      [forget.map((e) => e.kind), forget.map((e) => e.ref)],
    );
  }
}

function toImportedUser(r: Row): ImportedUser {
  return {
    id: r.id as number,
    username: r.username as string,
    email: r.email as string,
    password: r.password as string,
    isActive: r.is_active === true,
    isStaff: r.is_staff === true,
    isSuperuser: r.is_superuser === true,
    dateJoined: r.date_joined as number,
    lastLogin: r.last_login as number | null,
  };
}
