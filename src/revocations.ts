import { setTimeout as sleep } from 'node:timers/promises';
import { StoreUnavailableError } from './errors.ts';
import { type Clock, systemClock } from './internal/clock.ts';
import type { RevocationBus, RevocationMessage, Stores } from './stores/types.ts';

/** The default cache TTL (5 s) and a margin: used when the bus does not say how long to settle. */
const DEFAULT_SETTLE_MS = 5_110;

/**
 * The one place credentials are ended. Each method changes the durable store
 * first, then publishes on the bus (when there is one) and returns only when
 * the revocation is in force on every instance, so no instance accepts the
 * credential once the request that ended it has answered:
 *
 * - the bus confirmed it: every instance's cache applied it (or provably
 *   stopped serving); or
 * - the bus could not (Redis down, stalled, or this instance cut off from it,
 *   while the others may still be serving): it waits `settleMs` from the
 *   durable change, after which every copy any cache read before that change
 *   has expired, and then returns as done. The durable change stands and is
 *   now in force everywhere, so the request answers as it would have (200, 204),
 *   and its security event is written.
 *
 * ```ts
 * await revocations.endUserCredentials(user.id, { tokens: true }); // logout everywhere
 * ```
 */
export class Revocations {
  readonly #stores: Stores;
  readonly #bus: RevocationBus | null;
  readonly #clock: Clock;
  readonly #settleMs: number | undefined;

  /** `settleMs` overrides the bus's own (`bus.settleMs`, else 5.11 s: the default cache TTL and a margin). */
  constructor(deps: { stores: Stores; bus?: RevocationBus | null; clock?: Clock; settleMs?: number }) {
    this.#stores = deps.stores;
    this.#bus = deps.bus ?? null;
    this.#clock = deps.clock ?? systemClock;
    this.#settleMs = deps.settleMs;
  }

  /**
   * Ends every session (but `keepSessionKeyHash`), every refresh token and,
   * with `tokens`, every API token of a user, and advances the user's "not
   * before" so access JWTs issued until now die too.
   */
  async endUserCredentials(
    userId: number,
    options: { tokens: boolean; keepSessionKeyHash?: string },
  ): Promise<void> {
    await this.#advanceNotBefore(userId);
    const ended: RevocationMessage[] = [];
    try {
      const sessions = await this.#stores.sessions.deleteByUser(userId, options.keepSessionKeyHash);
      ended.push(...sessions.map((keyHash): RevocationMessage => ({ kind: 'session', keyHash })));
      const tokens = options.tokens ? await this.#stores.tokens.deleteByUser(userId) : [];
      ended.push(...tokens.map((keyHash): RevocationMessage => ({ kind: 'token', keyHash })));
      await this.#stores.refreshTokens.revokeUser(userId);
    } finally {
      // Also when a later step failed (the request answers 503): what did change is in force
      // everywhere before it answers. The user message drops every cached copy of theirs.
      await this.#publish([...ended, { kind: 'user', userId }]);
    }
  }

  /**
   * Moves the user's "not before" past every check that could have missed it.
   * Millisecond precision: access tokens carry their issue time in their
   * time-ordered jti (see jwt/time-ordered-jti.ts), and every token is stamped
   * with an instant taken before the check that allowed it (a refresh's
   * consume, an obtain's re-read of the user). A check that read the user
   * before the first write committed was stamped before that commit, so a
   * cut-off taken after the commit outdates it: when the clock has moved
   * past the first value meanwhile, it is written once more (issue 8.2).
   */
  async #advanceNotBefore(userId: number): Promise<void> {
    const first = this.#clock.now() + 1;
    await this.#stores.users.update(userId, { tokensValidAfter: first });
    const committed = this.#clock.now();
    if (committed >= first) await this.#stores.users.update(userId, { tokensValidAfter: committed + 1 });
  }

  /** The user record changed (deactivated, password, staff flag): cached copies must go. */
  userChanged(userId: number): Promise<void> {
    return this.#publish([{ kind: 'user', userId }]);
  }

  sessionEnded(keyHash: string): Promise<void> {
    return this.#publish([{ kind: 'session', keyHash }]);
  }

  tokenRevoked(keyHash: string): Promise<void> {
    return this.#publish([{ kind: 'token', keyHash }]);
  }

  async #publish(messages: RevocationMessage[]): Promise<void> {
    const bus = this.#bus;
    if (!bus) return;
    // The durable change has committed: a copy read before it was read before now.
    const started = performance.now();
    try {
      await Promise.all(messages.map((m) => bus.publish(m)));
    } catch (error) {
      const settleMs = this.#settleMs ?? bus.settleMs ?? DEFAULT_SETTLE_MS;
      const left = started + settleMs - performance.now();
      if (left > 0) await sleep(left);
      // A bug (not an outage) still surfaces, but only once the revocation is in force.
      if (!(error instanceof StoreUnavailableError)) throw error;
    }
  }
}
