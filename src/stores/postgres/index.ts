import type { Clock } from '../../internal/clock.ts';
import { checkTablePrefix, DEFAULT_TABLE_PREFIX, withTablePrefix } from '../table-prefix.ts';
import type { Stores } from '../types.ts';
import { PostgresCounterStore } from './counter-store.ts';
import { migrate } from './migrate.ts';
import { PostgresPasskeyStore } from './passkey-store.ts';
import { PostgresPendingLoginStore } from './pending-login-store.ts';
import { createPostgresPool, type PostgresPoolOptions } from './pool.ts';
import { query } from './query.ts';
import { PostgresRecoveryCodeStore } from './recovery-code-store.ts';
import { PostgresRefreshTokenStore } from './refresh-token-store.ts';
import { postgresMigrations } from './schema.ts';
import { PostgresSessionStore } from './session-store.ts';
import { PostgresTokenStore } from './token-store.ts';
import { PostgresTotpDeviceStore } from './totp-device-store.ts';
import { PostgresUserStore } from './user-store.ts';
import { PostgresWebAuthnChallengeStore } from './webauthn-challenge-store.ts';

export { isUnavailableError, isUniqueViolation } from './guard.ts';
export { type Migration, migrate } from './migrate.ts';
export { createPostgresPool, type PostgresPoolOptions } from './pool.ts';
export { postgresMigrations } from './schema.ts';
export {
  PostgresCounterStore,
  PostgresPasskeyStore,
  PostgresPendingLoginStore,
  PostgresRecoveryCodeStore,
  PostgresRefreshTokenStore,
  PostgresSessionStore,
  PostgresTokenStore,
  PostgresTotpDeviceStore,
  PostgresUserStore,
  PostgresWebAuthnChallengeStore,
};

export interface PostgresStoresOptions extends PostgresPoolOptions {
  /** Drives the throttle counters' windows (default: the system clock). */
  clock?: Clock;
  /** Prepended to every table name (default `gatehouse_`: `gatehouse_users`, …). */
  tablePrefix?: string;
}

/**
 * Every store on one PostgreSQL pool, the schema migrated before it resolves.
 * Any operation that cannot reach the database rejects with
 * `StoreUnavailableError` (503) within the connect or statement timeout, and
 * the same stores work again once the database is back: nothing to recreate.
 * Throttle counters live in PostgreSQL too, as a fallback; with Redis, prefer
 * its counter store.
 *
 * ```ts
 * const stores = await createPostgresStores('postgres://app@db:5432/app', { schema: 'gatehouse' });
 * await stores.ping();
 * await stores.close();
 * ```
 */
export async function createPostgresStores(
  url: string,
  options: PostgresStoresOptions = {},
): Promise<Stores> {
  const prefix = checkTablePrefix(options.tablePrefix ?? DEFAULT_TABLE_PREFIX);
  const raw = createPostgresPool(url, options);
  try {
    await migrate(raw, postgresMigrations, { schema: options.schema, tablePrefix: prefix });
  } catch (error) {
    await raw.end().catch(() => {});
    throw error;
  }
  const pool = withTablePrefix(raw, prefix);
  let closing: Promise<void> | undefined;
  return {
    users: new PostgresUserStore(pool),
    sessions: new PostgresSessionStore(pool),
    tokens: new PostgresTokenStore(pool),
    refreshTokens: new PostgresRefreshTokenStore(pool),
    counters: new PostgresCounterStore(pool, { clock: options.clock }),
    totpDevices: new PostgresTotpDeviceStore(pool),
    recoveryCodes: new PostgresRecoveryCodeStore(pool),
    pendingLogins: new PostgresPendingLoginStore(pool),
    webauthnChallenges: new PostgresWebAuthnChallengeStore(pool),
    passkeys: new PostgresPasskeyStore(pool),
    async ping() {
      await query(pool, 'SELECT 1');
    },
    close() {
      // pg-pool rejects a second end(); closing twice is harmless here, as with SQLite.
      closing ??= pool.end();
      return closing;
    },
  };
}
