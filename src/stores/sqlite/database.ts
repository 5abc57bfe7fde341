import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { guard } from './guard.ts';

export interface OpenSqliteOptions {
  /** How long a statement waits for another connection's lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed, with its parent directory) a SQLite file tuned for
 * a server: WAL so readers never wait for the writer, a busy timeout so short
 * lock contention is waited out rather than failed, foreign keys enforced, and
 * synchronous=NORMAL (durable at every checkpoint, safe against corruption in WAL).
 *
 * ```ts
 * const db = openSqliteDatabase('var/gatehouse.db');
 * const test = openSqliteDatabase(':memory:', { busyTimeoutMs: 50 });
 * ```
 */
export function openSqliteDatabase(path: string, options: OpenSqliteOptions = {}): DatabaseSync {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new RangeError(`busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`);
  }
  if (path !== ':memory:' && !path.startsWith('file:')) {
    mkdirSync(dirname(path), { recursive: true });
  }
  return guard(() => {
    const db = new DatabaseSync(path);
    try {
      // busy_timeout first: switching to WAL itself needs a lock another process may hold.
      db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA foreign_keys = ON');
      db.exec('PRAGMA synchronous = NORMAL');
      // Lookups read the OS page cache through a memory map and keep hot pages
      // in a 64 MiB cache, so a million stored sessions cost about what a thousand do.
      db.exec('PRAGMA mmap_size = 1073741824');
      db.exec('PRAGMA cache_size = -65536');
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  });
}
