import type { ConsumeResult, RefreshTokenRecord, RefreshTokenStore } from '../types.ts';

type State = 'outstanding' | 'used' | 'blacklisted';
interface Entry {
  record: RefreshTokenRecord;
  state: State;
}

/**
 * Refresh-token families held in process memory. `consume` checks and flips
 * the state with no `await` in between, so on one event loop of two
 * concurrent consumes exactly one wins.
 *
 * ```ts
 * const refreshTokens = new MemoryRefreshTokenStore();
 * await refreshTokens.issue({ jti, familyId, userId, expiresAt });
 * (await refreshTokens.consume(jti)).status; // 'consumed', then 'spent'
 * ```
 */
export class MemoryRefreshTokenStore implements RefreshTokenStore {
  readonly #byJti = new Map<string, Entry>();

  async issue(token: RefreshTokenRecord): Promise<void> {
    if (this.#byJti.has(token.jti)) throw new Error('refresh token jti already exists');
    this.#byJti.set(token.jti, { record: { ...token }, state: 'outstanding' });
  }

  async consume(jti: string): Promise<ConsumeResult> {
    const entry = this.#byJti.get(jti);
    if (!entry) return { status: 'unknown' };
    if (entry.state !== 'outstanding') return { status: 'spent', record: { ...entry.record } };
    entry.state = 'used';
    return { status: 'consumed', record: { ...entry.record } };
  }

  async blacklist(jti: string): Promise<boolean> {
    const entry = this.#byJti.get(jti);
    if (entry?.state !== 'outstanding') return false;
    entry.state = 'blacklisted';
    return true;
  }

  async isSpent(jti: string): Promise<boolean> {
    const state = this.#byJti.get(jti)?.state;
    return state === 'used' || state === 'blacklisted';
  }

  async revokeFamily(familyId: string): Promise<number> {
    return this.#revokeWhere((r) => r.familyId === familyId);
  }

  async revokeUser(userId: number): Promise<number> {
    return this.#revokeWhere((r) => r.userId === userId);
  }

  async deleteExpired(now: number): Promise<number> {
    let count = 0;
    for (const [jti, entry] of this.#byJti) {
      if (entry.record.expiresAt <= now) {
        this.#byJti.delete(jti);
        count++;
      }
    }
    return count;
  }

  /** Blacklists the outstanding tokens matching `test`; returns how many changed. */
  #revokeWhere(test: (record: RefreshTokenRecord) => boolean): number {
    let count = 0;
    for (const entry of this.#byJti.values()) {
      if (entry.state === 'outstanding' && test(entry.record)) {
        entry.state = 'blacklisted';
        count++;
      }
    }
    return count;
  }
}
