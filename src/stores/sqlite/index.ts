import type { Clock } from '../../internal/clock.ts';
import { MemoryCounterStore } from '../memory/counter-store.ts';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX, withTablePrefix } from '../table-prefix.ts';
import type { Stores } from '../types.ts';
import { dataVersionReader } from './data-version.ts';
import { openSqliteDatabase } from './database.ts';
import { guard } from './guard.ts';
import { migrate } from './migrate.ts';
import { SqlitePasskeyStore } from './passkey-store.ts';
import { SqlitePendingLoginStore } from './pending-login-store.ts';
import { SqliteRecoveryCodeStore } from './recovery-code-store.ts';
import { SqliteRefreshTokenStore } from './refresh-token-store.ts';
import { sqliteMigrations } from './schema.ts';
import { SqliteSessionStore } from './session-store.ts';
import { SqliteTokenStore } from './token-store.ts';
import { SqliteTotpDeviceStore } from './totp-device-store.ts';
import { SqliteUserStore } from './user-store.ts';
import { SqliteWebAuthnChallengeStore } from './webauthn-challenge-store.ts';

export { dataVersionReader } from './data-version.ts';
export { type OpenSqliteOptions, openSqliteDatabase } from './database.ts';
export { isUnavailableError } from './guard.ts';
export { type Migration, migrate } from './migrate.ts';
export { sqliteMigrations } from './schema.ts';
export {
  SqlitePasskeyStore,
  SqlitePendingLoginStore,
  SqliteRecoveryCodeStore,
  SqliteRefreshTokenStore,
  SqliteSessionStore,
  SqliteTokenStore,
  SqliteTotpDeviceStore,
  SqliteUserStore,
  SqliteWebAuthnChallengeStore,
};

export interface SqliteStoresOptions {
  /** Drives the throttle counters' windows (default: the system clock). */
  clock?: Clock;
  /** Passed to `openSqliteDatabase` (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Prepended to every table name (default `gatehouse_`: `gatehouse_users`, …). */
  tablePrefix?: string;
}

/** The SQLite stores, and the file's `PRAGMA data_version` on their connection (see `VersionWatch`). */
export interface SqliteStores extends Stores {
  dataVersion(): number;
}

/**
 * The embedded default: one SQLite file holds users, tokens, sessions,
 * refresh-token families, migrated on open. Throttle counters
 * stay in process memory — one process needs no shared counter, and a
 * counter write per request is not worth a disk write.
 *
 * ```ts
 * const stores = createSqliteStores('var/gatehouse.db');
 * await stores.ping();
 * await stores.close();
 * ```
 */
export function createSqliteStores(path: string, options: SqliteStoresOptions = {}): SqliteStores {
  const prefix = checkTablePrefix(options.tablePrefix ?? DEFAULT_TABLE_PREFIX);
  const raw = openSqliteDatabase(path, { busyTimeoutMs: options.busyTimeoutMs });
  try {
    migrate(raw, sqliteMigrations, { tablePrefix: prefix });
  } catch (error) {
    raw.close();
    throw error;
  }
  const db = withTablePrefix(raw, prefix);
  const ping = db.prepare('SELECT 1');
  return {
    users: new SqliteUserStore(db),
    sessions: new SqliteSessionStore(db),
    tokens: new SqliteTokenStore(db),
    refreshTokens: new SqliteRefreshTokenStore(db),
    counters: new MemoryCounterStore({ clock: options.clock }),
    totpDevices: new SqliteTotpDeviceStore(db),
    recoveryCodes: new SqliteRecoveryCodeStore(db),
    pendingLogins: new SqlitePendingLoginStore(db),
    webauthnChallenges: new SqliteWebAuthnChallengeStore(db),
    passkeys: new SqlitePasskeyStore(db),
    dataVersion: dataVersionReader(raw),
    async ping() {
      guard(() => ping.get());
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
}
