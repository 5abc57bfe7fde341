/**
 * A server that cannot start says why in one line, never a stack trace: a
 * bad setting (exit status 2) or a service that does not answer (exit 1).
 * The reference server, `npx gatehouse runserver` and the examples share it.
 */
import { ConfigurationError, StoreUnavailableError } from './errors.ts';

/** The line to print and the exit status, for an error that stopped a start. */
export interface StartupFailure {
  message: string;
  /** 2: a setting is wrong (fix the configuration); 1: something did not answer (try again). */
  status: 1 | 2;
}

const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

/**
 * What an error raised while opening the stores or listening means to the
 * operator, or null when it is a bug (let it throw, with its stack).
 *
 * ```ts
 * startupFailure(new ConfigurationError('PORT: …')); // { message: 'PORT: …', status: 2 }
 * startupFailure(listenError); // { message: 'HOST: cannot resolve "nope.invalid" (ENOTFOUND)', status: 2 }
 * ```
 */
export function startupFailure(error: unknown): StartupFailure | null {
  if (error instanceof ConfigurationError) return { message: error.message, status: 2 };
  if (error instanceof StoreUnavailableError) return { message: `cannot start: ${error.message}`, status: 1 };
  const e = (error ?? {}) as NodeJS.ErrnoException & { hostname?: string; address?: string; port?: number };
  if (typeof e.code !== 'string') return null;
  const where = e.address === undefined ? '' : `${e.address}${e.port === undefined ? '' : `:${e.port}`}`;
  if (UNRESOLVED.has(e.code) && e.syscall?.startsWith('getaddrinfo')) {
    return { message: `HOST: cannot resolve ${JSON.stringify(e.hostname ?? where)} (${e.code})`, status: 2 };
  }
  if (e.code === 'EADDRNOTAVAIL')
    return { message: `HOST: ${where || 'the address'} is not an address of this machine`, status: 2 };
  if (e.code === 'EACCES' && e.syscall === 'listen')
    return {
      message: `PORT: not allowed to listen on ${where} (ports below 1024 need privileges)`,
      status: 2,
    };
  if (e.code === 'EADDRINUSE')
    return { message: `cannot start: ${where || 'the address'} is already in use`, status: 1 };
  return null;
}

/**
 * Prints the one line of a start-up failure on stderr and exits with its
 * status; anything else is rethrown (a bug keeps its stack trace).
 *
 * ```ts
 * try {
 *   const gh = await openGatehouse(loadConfig());
 *   …
 * } catch (error) {
 *   exitOnStartupError(error); // gatehouse: DATABASE_URL: database "app" does not exist; …
 * }
 * server.on('error', (error) => exitOnStartupError(error, 'example'));
 * ```
 */
export function exitOnStartupError(error: unknown, program = 'gatehouse'): never {
  const failure = startupFailure(error);
  if (!failure) throw error;
  process.stderr.write(`${program}: ${failure.message}\n`);
  process.exit(failure.status);
}

/**
 * What opening the configured stores created, one line each, as the reference
 * server and every CLI command print it: a generated secret key, a new SQLite
 * file (`createdDatabase`: its path, or null).
 */
export function creationNotices(
  config: { secretKeyGenerated: boolean; secretKeyFile: string | null },
  createdDatabase: string | null,
): string[] {
  const lines: string[] = [];
  if (config.secretKeyGenerated)
    lines.push(
      `Generated a new secret key in ${config.secretKeyFile} (mode 0600): keep that file, or set SECRET_KEY.`,
    );
  if (createdDatabase !== null) lines.push(`Created the database ${createdDatabase}.`);
  return lines;
}
