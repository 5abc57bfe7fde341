import { StoreUnavailableError } from '../../errors.ts';

/**
 * SQLite primary result codes that mean "the database cannot be used right
 * now", as opposed to "this statement was wrong" (a constraint violation is a
 * caller's problem, not an outage). The extended code's low byte is the primary.
 */
const UNAVAILABLE_CODES = new Set([
  5, // SQLITE_BUSY: still locked after busy_timeout
  6, // SQLITE_LOCKED
  7, // SQLITE_NOMEM
  8, // SQLITE_READONLY
  10, // SQLITE_IOERR
  11, // SQLITE_CORRUPT
  13, // SQLITE_FULL
  14, // SQLITE_CANTOPEN
  15, // SQLITE_PROTOCOL
  26, // SQLITE_NOTADB
]);

/**
 * Whether a `node:sqlite` error means the database is unusable (locked, I/O
 * failure, closed), so the request must fail with 503 rather than 500.
 *
 * ```ts
 * isUnavailableError(err); // true for "database is locked", false for a UNIQUE violation
 * ```
 */
export function isUnavailableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  // node:sqlite raises ERR_INVALID_STATE for a closed database or a finalized statement.
  if (code === 'ERR_INVALID_STATE') return true;
  return code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' && UNAVAILABLE_CODES.has(errcode & 0xff);
}

/**
 * Runs one synchronous database call, turning unavailability into
 * `StoreUnavailableError` and letting every other error through unchanged.
 *
 * ```ts
 * const row = guard(() => this.#byId.get(id));
 * ```
 */
export function guard<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isUnavailableError(error)) {
      const message = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(`sqlite unavailable: ${message}`, { cause: error });
    }
    throw error;
  }
}

/**
 * Whether an error is a UNIQUE constraint violation (SQLITE_CONSTRAINT_UNIQUE or a
 * primary key clash).
 *
 * ```ts
 * if (isUniqueViolation(err)) throw new UsernameTakenError(username);
 * ```
 */
export function isUniqueViolation(error: unknown): boolean {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  // 2067 = SQLITE_CONSTRAINT_UNIQUE, 1555 = SQLITE_CONSTRAINT_PRIMARYKEY
  return code === 'ERR_SQLITE_ERROR' && (errcode === 2067 || errcode === 1555);
}
