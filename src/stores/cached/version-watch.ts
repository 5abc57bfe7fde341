import type { RevocationMessage } from '../types.ts';
import type { CacheSignal } from './hot-cache.ts';

/**
 * The cache signal of a store with a change counter that moves only when
 * another connection commits, such as SQLite's `PRAGMA data_version`
 * (`createSqliteStores(path).dataVersion`). A cache hit is served only after
 * the counter was read *after* the lookup began: when it moved, the cache is
 * dropped first, so a revocation committed by another process (the
 * `gatehouse` CLI, a second server on the same file) is in force on the very
 * next request. This process's own writes leave the counter alone and go
 * through the cached decorators, which drop their copies themselves.
 *
 * One read serves every lookup that asked before it: `validate()` reads the
 * counter once per event-loop turn (on `setImmediate`), for all the lookups
 * of that turn, so under load the check costs a fraction of a read per
 * request, and it is still read after each of them began.
 *
 * A counter that cannot be read (the database closed or failing) makes the
 * cache read through, and the durable read then answers 503.
 *
 * ```ts
 * const sqlite = createSqliteStores('var/db.sqlite3');
 * const stores = createCachedStores(sqlite, new VersionWatch(sqlite.dataVersion));
 * ```
 */
export class VersionWatch implements CacheSignal {
  readonly #read: () => number;
  readonly #listeners = new Set<(healthy: boolean) => void>();
  #version: number | null = null;
  #batch: Promise<boolean> | null = null;

  constructor(read: () => number) {
    this.#read = read;
    try {
      this.#version = read();
    } catch {
      // Unreadable now: the first lookup that can read it starts from an empty cache anyway.
    }
  }

  /** True unless the counter cannot be read; a moved counter clears the cache first. */
  get healthy(): boolean {
    let version: number;
    try {
      version = this.#read();
    } catch {
      this.#version = null;
      return false;
    }
    if (version !== this.#version) {
      this.#version = version;
      // A gap in what this process knows: every listening cache clears (on any change).
      for (const listener of [...this.#listeners]) listener(false);
      for (const listener of [...this.#listeners]) listener(true);
    }
    return true;
  }

  /** Resolves once the counter has been read after this call: `healthy` then. */
  validate(): Promise<boolean> {
    this.#batch ??= new Promise((resolve) =>
      setImmediate(() => {
        this.#batch = null; // a lookup that asks from here on waits for the next read
        resolve(this.healthy);
      }),
    );
    return this.#batch;
  }

  /** Nothing travels: other processes' commits show in the counter. */
  subscribe(_listener: (message: RevocationMessage) => void): () => void {
    return () => {};
  }

  onHealthChange(listener: (healthy: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
}
