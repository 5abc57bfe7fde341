import { type Clock, systemClock } from './internal/clock.ts';
import type { RevocationBus, RevocationMessage, Stores } from './stores/types.ts';

/**
 * The one place credentials are ended. Each method changes the durable store
 * first, then publishes on the bus (when there is one) before it returns, so
 * every instance drops its cached copy before the request that caused it answers.
 *
 * ```ts
 * await revocations.endUserCredentials(user.id, { tokens: true }); // logout everywhere
 * ```
 */
export class Revocations {
  readonly #stores: Stores;
  readonly #bus: RevocationBus | null;
  readonly #clock: Clock;

  constructor(deps: { stores: Stores; bus?: RevocationBus | null; clock?: Clock }) {
    this.#stores = deps.stores;
    this.#bus = deps.bus ?? null;
    this.#clock = deps.clock ?? systemClock;
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
    const sessions = await this.#stores.sessions.deleteByUser(userId, options.keepSessionKeyHash);
    const tokens = options.tokens ? await this.#stores.tokens.deleteByUser(userId) : [];
    await this.#stores.refreshTokens.revokeUser(userId);
    await this.#publish([
      ...sessions.map((keyHash): RevocationMessage => ({ kind: 'session', keyHash })),
      ...tokens.map((keyHash): RevocationMessage => ({ kind: 'token', keyHash })),
      { kind: 'user', userId },
    ]);
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
    if (!this.#bus) return;
    await Promise.all(messages.map((m) => this.#bus!.publish(m)));
  }
}
