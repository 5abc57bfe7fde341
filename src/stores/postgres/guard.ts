import { StoreUnavailableError } from '../../errors.ts';

/**
 * SQLSTATEs that mean "the database cannot answer now", as opposed to "this
 * statement was wrong". A constraint violation is the caller's problem, not an
 * outage; a deadlock or serialization failure is a retry, not a 503.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57014', // query_canceled: statement_timeout fired
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '57P05', // idle_session_timeout
  '55P03', // lock_not_available: lock_timeout fired
  '25006', // read_only_sql_transaction: connected to a standby after a failover
  '53300', // too_many_connections: "sorry, too many clients already"
]);

/** SQLSTATE classes that are wholly unavailability. */
const UNAVAILABLE_CLASSES = ['08', '53', '58']; // connection exception, insufficient resources, system error

/** Socket-level failures Node reports before PostgreSQL says anything. */
const UNAVAILABLE_SYSCALL_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOENT', // a Unix socket that is not there
]);

/**
 * `pg` and `pg-pool` raise these as plain Errors without a code: the socket
 * ended, a connect or read timed out, or the pool was ended.
 */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end)/;

/**
 * Whether a `pg` error means PostgreSQL cannot answer (down, unreachable,
 * overloaded, timed out), so the request must fail with 503 rather than 500.
 *
 * ```ts
 * isUnavailableError(err); // true for ECONNREFUSED or 57014, false for a unique violation (23505)
 * ```
 */
export function isUnavailableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SYSCALL_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_CLASSES.includes(code.slice(0, 2))) return true;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  // Node's happy-eyeballs connect (a host with several addresses) fails with an AggregateError.
  return Array.isArray(errors) && errors.length > 0 && errors.every(isUnavailableError);
}

/**
 * Whether an error is PostgreSQL's unique_violation (23505), optionally on one constraint.
 *
 * ```ts
 * if (isUniqueViolation(err, 'users_username_key')) throw new UsernameTakenError(username);
 * ```
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** An AggregateError (several addresses, all refused) has no message of its own: use the first. */
function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error && error.message ? error.message : String(error);
}

/**
 * Awaits one database call, turning unavailability into `StoreUnavailableError`
 * and letting every other error through unchanged.
 *
 * ```ts
 * const { rows } = await guard(() => pool.query('SELECT * FROM users WHERE id = $1', [id]));
 * ```
 */
export async function guard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUnavailableError(error)) {
      throw new StoreUnavailableError(`postgres unavailable: ${messageOf(error)}`, { cause: error });
    }
    throw error;
  }
}
