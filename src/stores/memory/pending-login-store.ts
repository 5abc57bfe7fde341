import type { PendingLogin, PendingLoginStore } from '../types.ts';

/**
 * A `PendingLoginStore` in process memory: for tests and the library's
 * single-process default. Each verb runs to completion without awaiting, so
 * it is atomic within the process.
 *
 * ```ts
 * const store = new MemoryPendingLoginStore();
 * ```
 */
export class MemoryPendingLoginStore implements PendingLoginStore {
  readonly #records = new Map<string, { record: PendingLogin; expiresAt: number }>();

  async create(record: PendingLogin, expiresAt: number): Promise<void> {
    if (this.#records.has(record.tokenHash)) throw new Error('pending login token hash already exists');
    this.#records.set(record.tokenHash, { record: { ...record }, expiresAt });
  }

  async get(tokenHash: string, now: number): Promise<PendingLogin | null> {
    const entry = this.#alive(tokenHash, now);
    return entry ? { ...entry.record } : null;
  }

  async recordAttempt(
    tokenHash: string,
    { now, maxAttempts }: { now: number; maxAttempts: number },
  ): Promise<PendingLogin | null> {
    const entry = this.#alive(tokenHash, now);
    if (!entry || entry.record.attempts >= maxAttempts) return null;
    entry.record.attempts += 1;
    return { ...entry.record };
  }

  async consume(tokenHash: string, now: number): Promise<PendingLogin | null> {
    const entry = this.#alive(tokenHash, now);
    this.#records.delete(tokenHash);
    return entry ? { ...entry.record } : null;
  }

  async deleteExpired(now: number): Promise<number> {
    let count = 0;
    for (const [hash, entry] of this.#records) {
      if (now >= entry.expiresAt) {
        this.#records.delete(hash);
        count++;
      }
    }
    return count;
  }

  #alive(tokenHash: string, now: number) {
    const entry = this.#records.get(tokenHash);
    if (entry && now >= entry.expiresAt) {
      this.#records.delete(tokenHash);
      return undefined;
    }
    return entry;
  }
}
