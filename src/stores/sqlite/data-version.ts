import type { DatabaseSync } from 'node:sqlite';
import { guard } from './guard.ts';

/**
 * Reads `PRAGMA data_version` on a connection: a number that changes when
 * another connection (another process, the `gatehouse` CLI, a second server
 * on the same file) has committed since the last read, and stays put for
 * this connection's own commits. WAL mode included. It is the cheap test
 * behind the embedded cache (`VersionWatch`): one statement on the
 * connection, no table read. A closed or failing database throws
 * StoreUnavailableError.
 *
 * ```ts
 * const dataVersion = dataVersionReader(db);
 * const before = dataVersion();
 * // … another process commits …
 * dataVersion() !== before; // true
 * ```
 */
export function dataVersionReader(db: DatabaseSync): () => number {
  const statement = db.prepare('PRAGMA data_version');
  return () => guard(() => (statement.get() as { data_version: number }).data_version);
}
