import { existsSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
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
import { openSqliteDatabase } from './database.ts';
import { guard } from './guard.ts';
import { writeImportBatch } from './import-batch.ts';
import { migrate } from './migrate.ts';
import { sqliteMigrations } from './schema.ts';

type Row = Record<string, unknown>;

export interface SqliteImportTargetOptions {
  /** Default `gatehouse_`. */
  tablePrefix?: string;
  /**
   * Read only (a dry run): the file is neither created nor migrated; one that
   * does not exist reads as empty, one not migrated to the current schema is
   * refused.
   */
  readOnly?: boolean;
}

/**
 * Where `gatehouse importdjango` writes on SQLite: a connection of its own
 * to the Gatehouse file (migrated first), each `apply` one `BEGIN IMMEDIATE`
 * transaction with prepared statements, lookups by a JSON array of keys
 * (`json_each`). A running server on the same file sees each commit on its
 * next request (its cache checks `PRAGMA data_version`).
 *
 * ```ts
 * const target = openSqliteImportTarget('var/db.sqlite3');
 * await target.apply({ createUsers: [user] });
 * ```
 */
export function openSqliteImportTarget(path: string, options: SqliteImportTargetOptions = {}): ImportTarget {
  const prefix = checkTablePrefix(options.tablePrefix ?? DEFAULT_TABLE_PREFIX);
  if (options.readOnly) {
    if (!existsSync(path)) return emptyImportTarget();
    const raw = guard(() => new DatabaseSync(path, { readOnly: true }));
    try {
      checkMigrated(raw, prefix);
    } catch (error) {
      raw.close();
      throw error;
    }
    return new SqliteImportTarget(raw, prefix);
  }
  const raw = openSqliteDatabase(path);
  try {
    // A server's memory map and 64 MiB cache speed up lookups; a bulk writer needs neither,
    // and without them its resident memory stays flat however large the file grows.
    raw.exec('PRAGMA mmap_size = 0');
    raw.exec('PRAGMA cache_size = -8192');
    migrate(raw, sqliteMigrations, { tablePrefix: prefix });
  } catch (error) {
    raw.close();
    throw error;
  }
  return new SqliteImportTarget(raw, prefix);
}

function checkMigrated(raw: DatabaseSync, prefix: string): void {
  const db = withTablePrefix(raw, prefix);
  let applied: string[] = [];
  try {
    applied = db
      .prepare('SELECT id FROM migrations')
      .all()
      .map((r) => r.id as string);
  } catch {
    // No migrations table: not a Gatehouse database yet, or someone else's file.
  }
  const missing = sqliteMigrations.filter((m) => !applied.includes(m.id));
  if (missing.length > 0) {
    throw new ConfigurationError(
      `the Gatehouse database is not migrated (${missing.map((m) => m.id).join(', ')} pending): run gatehouse migrate first; a dry run writes nothing`,
    );
  }
}

class SqliteImportTarget implements ImportTarget {
  readonly #raw: DatabaseSync;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(raw: DatabaseSync, prefix: string) {
    this.#raw = raw;
    this.#db = withTablePrefix(raw, prefix);
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #all(sql: string, ...params: (string | number | null)[]): Row[] {
    return guard(() => this.#statement(sql).all(...params)) as Row[];
  }

  async ledger(kind: ImportKind, refs: readonly string[]): Promise<Map<string, string>> {
    const rows = this.#all(
      'SELECT ref, fingerprint FROM django_imports WHERE kind = ? AND ref IN (SELECT value FROM json_each(?))',
      kind,
      JSON.stringify(refs),
    );
    return new Map(rows.map((r) => [r.ref as string, r.fingerprint as string]));
  }

  async ledgerPage(kind: ImportKind, afterRef: string, limit: number): Promise<LedgerEntry[]> {
    return this.#all(
      'SELECT kind, ref, fingerprint FROM django_imports WHERE kind = ? AND ref > ? ORDER BY ref LIMIT ?',
      kind,
      afterRef,
      limit,
    ) as unknown as LedgerEntry[];
  }

  async users(ids: readonly number[]): Promise<Map<number, ImportedUser>> {
    const rows = this.#all(
      'SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))',
      JSON.stringify(ids),
    );
    return new Map(rows.map((r) => [r.id as number, toImportedUser(r)]));
  }

  async userIdsByUsername(usernames: readonly string[]): Promise<Map<string, number>> {
    const rows = this.#all(
      'SELECT id, username FROM users WHERE username IN (SELECT value FROM json_each(?))',
      JSON.stringify(usernames),
    );
    return new Map(rows.map((r) => [r.username as string, r.id as number]));
  }

  async tokenOwners(keyHashes: readonly string[]): Promise<Map<string, number>> {
    return this.#owners('api_tokens', keyHashes);
  }

  async sessionOwners(keyHashes: readonly string[]): Promise<Map<string, number>> {
    return this.#owners('sessions', keyHashes);
  }

  #owners(table: 'api_tokens' | 'sessions', keyHashes: readonly string[]): Map<string, number> {
    const rows = this.#all(
      `SELECT key_hash, user_id FROM ${table} WHERE key_hash IN (SELECT value FROM json_each(?))`,
      JSON.stringify(keyHashes),
    );
    return new Map(rows.map((r) => [r.key_hash as string, r.user_id as number]));
  }

  async refreshTokenStates(jtis: readonly string[]): Promise<Map<string, StoredRefreshState>> {
    const rows = this.#all(
      'SELECT jti, state FROM refresh_tokens WHERE jti IN (SELECT value FROM json_each(?))',
      JSON.stringify(jtis),
    );
    return new Map(rows.map((r) => [r.jti as string, r.state as StoredRefreshState]));
  }

  async apply(changes: ImportChanges): Promise<void> {
    guard(() => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        writeImportBatch((sql) => this.#statement(sql), changes);
        this.#db.exec('COMMIT');
      } catch (error) {
        if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async syncUserIds(): Promise<void> {
    // Nothing to do: an AUTOINCREMENT table's sqlite_sequence moves up to any id inserted explicitly.
  }

  async close(): Promise<void> {
    if (this.#raw.isOpen) this.#raw.close();
  }
}

function toImportedUser(r: Row): ImportedUser {
  return {
    id: r.id as number,
    username: r.username as string,
    email: r.email as string,
    password: r.password as string,
    isActive: r.is_active === 1,
    isStaff: r.is_staff === 1,
    isSuperuser: r.is_superuser === 1,
    dateJoined: r.date_joined as number,
    lastLogin: r.last_login as number | null,
  };
}
