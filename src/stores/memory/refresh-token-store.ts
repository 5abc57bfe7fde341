import { familyIsLive, type RefreshTokenState, refreshTokenStatus } from '../refresh-family-rule.ts';
import type {
  ConsumeResult,
  RefreshFamily,
  RefreshTokenRecord,
  RefreshTokenStatus,
  RefreshTokenStore,
  UserStore,
} from '../types.ts';

interface Entry {
  record: RefreshTokenRecord;
  state: RefreshTokenState;
}

interface Family {
  userId: number;
  bornAt: number;
  revoked: boolean;
}

/**
 * Refresh-token families held in process memory, beside the memory user
 * store whose `tokensValidAfter` bounds them. Each verb first reads the
 * user's cut-off (the one `await`), then checks and writes with no `await`
 * in between, so on one event loop a consume has one winner and a revocation
 * and a rotation never interleave halfway.
 *
 * ```ts
 * const refreshTokens = new MemoryRefreshTokenStore(users);
 * await refreshTokens.startFamily({ id: familyId, userId, bornAt: now }, { jti, familyId, userId, expiresAt });
 * (await refreshTokens.consume(jti)).status; // 'consumed', then 'spent'
 * ```
 */
export class MemoryRefreshTokenStore implements RefreshTokenStore {
  readonly #users: UserStore;
  readonly #byJti = new Map<string, Entry>();
  readonly #families = new Map<string, Family>();

  constructor(users: UserStore) {
    this.#users = users;
  }

  async startFamily(family: RefreshFamily, first: RefreshTokenRecord): Promise<boolean> {
    if (first.familyId !== family.id || first.userId !== family.userId)
      throw new Error('the first token must belong to the family it starts');
    const cutoff = await this.#cutoff(family.userId);
    if (family.bornAt < cutoff) return false;
    if (this.#families.has(family.id)) throw new Error('refresh family id already exists');
    if (this.#byJti.has(first.jti)) throw new Error('refresh token jti already exists');
    this.#families.set(family.id, { userId: family.userId, bornAt: family.bornAt, revoked: false });
    this.#byJti.set(first.jti, { record: { ...first }, state: 'outstanding' });
    return true;
  }

  async issue(token: RefreshTokenRecord): Promise<boolean> {
    const cutoff = await this.#cutoff(token.userId);
    const family = this.#families.get(token.familyId);
    if (!family || family.userId !== token.userId || !familyIsLive({ ...family, tokensValidAfter: cutoff }))
      return false;
    if (this.#byJti.has(token.jti)) throw new Error('refresh token jti already exists');
    this.#byJti.set(token.jti, { record: { ...token }, state: 'outstanding' });
    return true;
  }

  async consume(jti: string): Promise<ConsumeResult> {
    const cutoff = await this.#cutoffOf(jti);
    const found = this.#status(jti, cutoff);
    if (found.status !== 'outstanding') return found;
    this.#byJti.get(jti)!.state = 'used';
    return { ...found, status: 'consumed' };
  }

  async blacklist(jti: string): Promise<boolean> {
    const cutoff = await this.#cutoffOf(jti);
    if (this.#status(jti, cutoff).status !== 'outstanding') return false;
    this.#byJti.get(jti)!.state = 'blacklisted';
    return true;
  }

  async inspect(jti: string): Promise<RefreshTokenStatus> {
    return this.#status(jti, await this.#cutoffOf(jti));
  }

  async revokeFamily(familyId: string): Promise<number> {
    const family = this.#families.get(familyId);
    if (!family || family.revoked) return 0;
    family.revoked = true;
    return 1;
  }

  async revokeUser(userId: number): Promise<number> {
    let count = 0;
    for (const family of this.#families.values()) {
      if (family.userId === userId && !family.revoked) {
        family.revoked = true;
        count++;
      }
    }
    return count;
  }

  async deleteExpired(now: number): Promise<number> {
    let count = 0;
    const kept = new Set<string>();
    for (const [jti, entry] of this.#byJti) {
      if (entry.record.expiresAt <= now) {
        this.#byJti.delete(jti);
        count++;
      } else kept.add(entry.record.familyId);
    }
    for (const id of this.#families.keys()) if (!kept.has(id)) this.#families.delete(id);
    return count;
  }

  /** The user's "not before": a user who is gone has none left to satisfy. */
  async #cutoff(userId: number): Promise<number> {
    const user = await this.#users.getById(userId);
    return user ? user.tokensValidAfter : Number.POSITIVE_INFINITY;
  }

  /** The cut-off of the user who holds `jti` (any number when the jti is unknown: #status says so). */
  #cutoffOf(jti: string): Promise<number> {
    const entry = this.#byJti.get(jti);
    return entry ? this.#cutoff(entry.record.userId) : Promise.resolve(0);
  }

  /**
   * The verdict on `jti` given its user's cut-off; synchronous, so a caller
   * that acts on it before its next `await` acts on the state it judged.
   */
  #status(jti: string, cutoff: number): RefreshTokenStatus {
    const entry = this.#byJti.get(jti);
    const family = entry && this.#families.get(entry.record.familyId);
    if (!entry || !family) return { status: 'unknown' };
    const status = refreshTokenStatus({ state: entry.state, ...family, tokensValidAfter: cutoff });
    return { status, record: { ...entry.record }, bornAt: family.bornAt };
  }
}
