interface Pending {
  echoed: boolean;
  /** Peer → when its lease must have ended (our monotonic ms), for peers that have not acknowledged. */
  waiting: Map<string, number>;
  acked: Set<string>;
  /** Not before this: peers we could not have heard of yet (we subscribed less than a lease ago). */
  floor: number;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * When a revocation this instance published may answer: once it came back to
 * us (so Redis ran it, and we have heard every heartbeat Redis ran before it),
 * and every other instance that may still hold a lease has acknowledged it, or
 * has lost that lease.
 *
 * A peer's lease is renewed only by its own heartbeats, counted from their
 * send time; we heard its latest one at `heardAt`, later than it was sent, so
 * its lease ends before `heardAt + leaseMs` (plus `marginMs` for clock rates).
 * A peer whose heartbeat Redis ran after our revocation received the
 * revocation before that heartbeat, so a lease it holds from it postdates the
 * revocation. Peers we may not have heard of (we subscribed less than a lease
 * ago) are covered by waiting until a lease after our subscription.
 *
 * The owner (the bus) feeds it events, and arms a timer for the deadline
 * `echoed` or `settle` returns, to call `settle` then; no timers here, so a
 * fake clock drives the tests.
 *
 * ```ts
 * const confirmations = new Confirmations({ leaseMs: 500, marginMs: 10, now: () => performance.now() });
 * confirmations.subscribed();
 * const done = confirmations.expect('a1:7'); // then PUBLISH it
 * confirmations.echoed('a1:7'); // a deadline: when to call settle() at the latest
 * confirmations.acked('a1:7', 'b2'); // done resolves once every live peer acknowledged
 * ```
 */
export class Confirmations {
  readonly #leaseMs: number;
  readonly #marginMs: number;
  readonly #now: () => number;
  /** Peer instance → when we heard its latest heartbeat; oldest first. */
  readonly #peers = new Map<string, number>();
  readonly #pending = new Map<string, Pending>();
  #subscribedAt = Number.POSITIVE_INFINITY;

  constructor(options: { leaseMs: number; marginMs: number; now: () => number }) {
    this.#leaseMs = options.leaseMs;
    this.#marginMs = options.marginMs;
    this.#now = options.now;
  }

  /** How many confirmations are outstanding. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Our subscription is (re)confirmed: from now on we hear every heartbeat. */
  subscribed(): void {
    this.#subscribedAt = this.#now();
  }

  /** Our subscription is lost: outstanding revocations can no longer come back to us. */
  lost(error: Error): void {
    this.#subscribedAt = Number.POSITIVE_INFINITY;
    this.#peers.clear();
    for (const [id, pending] of this.#pending) if (!pending.echoed) this.fail(id, error);
  }

  /** A peer's heartbeat arrived. */
  heard(peer: string): void {
    this.#peers.delete(peer);
    this.#peers.set(peer, this.#now());
  }

  /** A peer closed its bus (and stopped its cache first): nothing to wait for from it. */
  left(peer: string): void {
    this.#peers.delete(peer);
    const now = this.#now();
    for (const [id, pending] of this.#pending) {
      if (pending.waiting.delete(peer) && pending.echoed) this.#try(id, pending, now);
    }
  }

  /** Registers a revocation about to be published; settles when it is confirmed, rejects on `fail`. */
  expect(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.set(id, {
        echoed: false,
        waiting: new Map(),
        acked: new Set(),
        floor: 0,
        resolve,
        reject,
      });
    });
  }

  /**
   * Our own revocation came back: from here on, wait for the peers that may
   * hold a lease. Returns when it may be confirmed at the latest (monotonic
   * ms; arm a timer for `settle`), or null when it already is.
   */
  echoed(id: string): number | null {
    const pending = this.#pending.get(id);
    if (!pending || pending.echoed) return null;
    const now = this.#now();
    pending.echoed = true;
    pending.floor = this.#subscribedAt + this.#leaseMs + this.#marginMs;
    for (const [peer, heardAt] of this.#peers) {
      const deadline = heardAt + this.#leaseMs + this.#marginMs;
      if (deadline > now && !pending.acked.has(peer)) pending.waiting.set(peer, deadline);
    }
    return this.#try(id, pending, now);
  }

  /** A peer applied our revocation `id` (confirmed at once if it was the last one awaited). */
  acked(id: string, peer: string): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    pending.acked.add(peer);
    pending.waiting.delete(peer);
    if (pending.echoed) this.#try(id, pending, this.#now());
  }

  /** Gives up on `id` (publish failed; with `unlessEchoed`, no echo in time). */
  fail(id: string, error: Error, options: { unlessEchoed?: boolean } = {}): void {
    const pending = this.#pending.get(id);
    if (!pending || (options.unlessEchoed && pending.echoed)) return;
    this.#pending.delete(id);
    pending.reject(error);
  }

  /** Gives up on everything outstanding (the bus is closing). */
  failAll(error: Error): void {
    for (const id of [...this.#pending.keys()]) this.fail(id, error);
  }

  /** Resolves everything confirmed by now; returns the next time something may be (monotonic ms), or null. */
  settle(): number | null {
    const now = this.#now();
    let next = Number.POSITIVE_INFINITY;
    for (const [id, pending] of this.#pending) {
      if (pending.echoed) next = Math.min(next, this.#try(id, pending, now) ?? Number.POSITIVE_INFINITY);
    }
    // Peers silent for longer than a lease hold none: forget them.
    for (const [peer, heardAt] of this.#peers) {
      if (heardAt + this.#leaseMs + this.#marginMs > now) break;
      this.#peers.delete(peer);
    }
    return next === Number.POSITIVE_INFINITY ? null : next;
  }

  /** Resolves `pending` if nothing is left to wait for; else returns its next deadline. */
  #try(id: string, pending: Pending, now: number): number | null {
    let next = pending.floor > now ? pending.floor : Number.POSITIVE_INFINITY;
    for (const [peer, deadline] of pending.waiting) {
      if (deadline <= now) pending.waiting.delete(peer);
      else next = Math.min(next, deadline);
    }
    if (next !== Number.POSITIVE_INFINITY) return next;
    this.#pending.delete(id);
    pending.resolve();
    return null;
  }
}
