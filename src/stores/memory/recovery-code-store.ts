import type { RecoveryCodeSet, RecoveryCodeStore } from '../types.ts';

/**
 * Recovery-code sets in process memory, one per user. `markUsed` checks and
 * flips the bit with no `await` in between: of two concurrent uses of one
 * code, one wins.
 *
 * ```ts
 * const codes = new MemoryRecoveryCodeStore();
 * await codes.replace({ userId: 1, sealedCodes, createdAt: now });
 * await codes.markUsed(1, { sealedCodes, index: 3, now }); // true, then false
 * ```
 */
export class MemoryRecoveryCodeStore implements RecoveryCodeStore {
  readonly #byUser = new Map<number, RecoveryCodeSet>();

  async get(userId: number): Promise<RecoveryCodeSet | null> {
    const set = this.#byUser.get(userId);
    return set ? { ...set } : null;
  }

  async replace({
    userId,
    sealedCodes,
    createdAt,
  }: {
    userId: number;
    sealedCodes: string;
    createdAt: number;
  }): Promise<void> {
    this.#byUser.set(userId, { userId, sealedCodes, usedMask: 0, createdAt, lastUsedAt: null });
  }

  async markUsed(
    userId: number,
    { sealedCodes, index, now }: { sealedCodes: string; index: number; now: number },
  ): Promise<boolean> {
    const set = this.#byUser.get(userId);
    if (!set || set.sealedCodes !== sealedCodes) return false;
    const bit = 2 ** index;
    if (Math.floor(set.usedMask / bit) % 2 === 1) return false;
    set.usedMask += bit;
    set.lastUsedAt = now;
    return true;
  }

  async reseal(userId: number, from: string, to: string): Promise<boolean> {
    const set = this.#byUser.get(userId);
    if (!set || set.sealedCodes !== from) return false;
    set.sealedCodes = to;
    return true;
  }

  async delete(userId: number): Promise<boolean> {
    return this.#byUser.delete(userId);
  }
}
