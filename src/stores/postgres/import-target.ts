import type pg from 'pg';
import { ConfigurationError } from '../../errors.ts';
import {
  emptyImportTarget,
  type ImportChanges,
  type ImportedUser,
  type ImportKind,
  type ImportTarget,
  type LedgerEntry,
  type StoredRefreshState,
} from '../import-target.ts';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX, withTablePrefix } from '../table-prefix.ts';
import { writeImportBatch } from './import-batch.ts';
import { migrate } from './migrate.ts';
import { createPostgresPool } from './pool.ts';
import { query } from './query.ts';
import { postgresMigrations } from './schema.ts';
import { transaction } from './transaction.ts';

type Row = Record<string, unknown>;

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
    return transaction(this.#pool, (client) => writeImportBatch(client, changes));
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
