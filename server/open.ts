import {
  type Clock,
  createGatehouse,
  createSqliteStores,
  type Gatehouse,
  type PasswordHashers,
  type Stores,
} from '#gatehouse';
import type { Config } from './config.ts';

/** The durable stores of DATABASE_URL. The PostgreSQL driver is loaded only when it is configured. */
async function openStores(config: Config, clock: Clock | undefined): Promise<Stores> {
  if (config.database.kind === 'sqlite') return createSqliteStores(config.database.path, { clock });
  const { createPostgresStores } = await import('#gatehouse/stores/postgres');
  return createPostgresStores(config.database.url, { clock });
}

/** Opens the configured stores and a Gatehouse over them: shared by the server and the CLI. */
export async function openGatehouse(
  config: Config,
  options: { clock?: Clock; hashers?: PasswordHashers } = {},
): Promise<{ gh: Gatehouse; stores: Stores; close(): Promise<void> }> {
  const stores = await openStores(config, options.clock);
  const gh = createGatehouse({
    stores,
    secretKey: config.secretKey,
    trustedOrigins: config.trustedOrigins,
    allowedHosts: config.allowedHosts,
    secureCookies: config.secureCookies,
    sessionIdleTimeout: config.sessionIdleTimeout,
    sessionAbsoluteTimeout: config.sessionAbsoluteTimeout,
    loginRate: config.loginRate,
    loginAddressRate: config.loginAddressRate,
    jwt: { accessLifetime: config.accessTokenLifetime, refreshLifetime: config.refreshTokenLifetime },
    clock: options.clock,
    hashers: options.hashers,
  });
  return { gh, stores, close: () => stores.close() };
}
