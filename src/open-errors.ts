/**
 * What `openGatehouse` turns into a one-line ConfigurationError (exit status
 * 2 in the server and the CLI): problems only the operator can fix — a
 * SQLite path that cannot be written, a PostgreSQL database or role that does
 * not exist, a driver that is not installed. An outage (PostgreSQL down, a
 * locked SQLite file) stays a StoreUnavailableError: trying again may work.
 *
 * ```ts
 * try { stores = createSqliteStores(path); } catch (error) { throw sqliteOpenError(path, error); }
 * ```
 */
import { fileProblem } from './config.ts';
import { ConfigurationError, StoreUnavailableError } from './errors.ts';

/** A SQLite file that cannot be opened or created: a ConfigurationError naming the path and the reason. */
export function sqliteOpenError(path: string, error: unknown): unknown {
  if (error instanceof ConfigurationError) return error; // already one line (a foreign table)
  const cause = error instanceof StoreUnavailableError ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  // Another process holding the lock past the busy timeout is an outage, not a configuration.
  if (/database is locked/i.test(message)) return error;
  const reason = (cause as NodeJS.ErrnoException | null)?.code?.startsWith('E')
    ? fileProblem(cause)
    : message;
  return new ConfigurationError(`DATABASE_URL: cannot open the SQLite database ${path} (${reason})`);
}

/**
 * SQLSTATEs of a connection that reached PostgreSQL and was refused for good:
 * no such database, no such role, a wrong password, no pg_hba.conf entry, no
 * right to create the schema.
 */
const CONFIGURATION_SQLSTATES: Record<string, string> = {
  '3D000': 'create it (createdb) or fix DATABASE_URL',
  '28000': 'fix the user in DATABASE_URL or pg_hba.conf',
  '28P01': 'fix the password in DATABASE_URL',
  '3F000': 'create the schema or fix the configuration',
  '42501': 'grant the user the right to create tables',
};

/** A PostgreSQL connection refused for good: a ConfigurationError with PostgreSQL's words (never the URL). */
export function postgresOpenError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(code in CONFIGURATION_SQLSTATES)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConfigurationError(`DATABASE_URL: ${message}; ${CONFIGURATION_SQLSTATES[code]}`);
}

/** A driver the configuration needs but the application did not install: say which package to add. */
export function missingDriverError(error: unknown, driver: string, variable: string): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' || typeof message !== 'string' || !message.includes(`'${driver}'`))
    return error;
  return new ConfigurationError(`${variable} needs the ${driver} package: npm install ${driver}`);
}
