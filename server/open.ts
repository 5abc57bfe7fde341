import {
  type Clock,
  ConfigurationError,
  createGatehouse,
  createSqliteStores,
  type Gatehouse,
  type PasswordHashers,
  type Stores,
} from '#gatehouse';
import type { Config } from './config.ts';

/** Opens the configured stores and a Gatehouse over them: shared by the server and the CLI. */
export async function openGatehouse(
  config: Config,
  options: { clock?: Clock; hashers?: PasswordHashers } = {},
): Promise<{ gh: Gatehouse; stores: Stores; close(): Promise<void> }> {
  if (config.database.kind !== 'sqlite') {
    throw new ConfigurationError('DATABASE_URL: PostgreSQL support is not built yet; use sqlite:PATH');
  }
  const stores = createSqliteStores(config.database.path, { clock: options.clock });
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
