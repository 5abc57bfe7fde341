/**
 * How long an instance's cache may serve: until `leaseMs` after the send time
 * of its latest heartbeat that came back through the bus.
 *
 * Why that proves "I heard every revocation": Redis delivers what it
 * publishes to a subscriber in the order it ran the PUBLISHes. When our own
 * heartbeat comes back on our subscriber connection, every revocation Redis
 * ran before it has already reached us (and the bus applies revocations
 * synchronously, in order). The heartbeat left us at `sentAt`, so Redis ran
 * it after `sentAt`: the round trip proves nothing about later than `sentAt`,
 * and the lease is counted from there, never from the receipt.
 *
 * Only heartbeats sent while the current subscription is confirmed count:
 * one sent before a reconnection may come back on the new connection, but
 * what was published between the loss and the new SUBSCRIBE never will.
 * Times come from a monotonic `now` (`performance.now()` in the bus).
 *
 * ```ts
 * const lease = new Lease({ leaseMs: 500, now: () => performance.now() });
 * lease.open(); // SUBSCRIBE acknowledged
 * const seq = lease.send(); // publish { kind: 'beat', seq }
 * lease.echo(seq); // 'renewed': lease.valid until 500 ms after the send
 * ```
 */
export class Lease {
  readonly leaseMs: number;
  readonly #now: () => number;
  /** Heartbeats in flight: sequence number → send time, oldest first. */
  readonly #sent = new Map<number, number>();
  #seq = 0;
  #until = Number.NEGATIVE_INFINITY;
  #open = false;

  constructor(options: { leaseMs: number; now: () => number }) {
    this.leaseMs = options.leaseMs;
    this.#now = options.now;
  }

  /** Whether the cache may serve now. */
  get valid(): boolean {
    return this.#now() < this.#until;
  }

  /** When the lease ends (monotonic ms); -Infinity when there is none. */
  get until(): number {
    return this.#until;
  }

  /** The subscription is (re)confirmed: heartbeats sent from now on may renew the lease. */
  open(): void {
    this.#open = true;
    this.#sent.clear();
  }

  /** The connection is lost: the lease ends now, and no heartbeat sent so far counts any more. */
  close(): void {
    this.#open = false;
    this.#sent.clear();
    this.#until = Number.NEGATIVE_INFINITY;
  }

  /** Records a heartbeat about to be published and returns its sequence number; null while closed. */
  send(): number | null {
    if (!this.#open) return null;
    const now = this.#now();
    // A heartbeat older than the lease can renew nothing: forget it.
    for (const [seq, sentAt] of this.#sent) {
      if (sentAt + this.leaseMs > now) break;
      this.#sent.delete(seq);
    }
    const seq = ++this.#seq;
    this.#sent.set(seq, now);
    return seq;
  }

  /**
   * Our heartbeat `seq` came back. `renewed`: the lease was valid and is
   * extended; `restored`: it had lapsed and is valid again, so anything cached
   * before must go first (messages may have been missed while it was lapsed);
   * `stale`: not ours, from before the current subscription, or too old.
   */
  echo(seq: number): 'renewed' | 'restored' | 'stale' {
    const sentAt = this.#sent.get(seq);
    if (sentAt === undefined) return 'stale';
    for (const older of this.#sent.keys()) {
      this.#sent.delete(older);
      if (older === seq) break;
    }
    const lapsed = !this.valid;
    this.#until = Math.max(this.#until, sentAt + this.leaseMs);
    if (!this.valid) return 'stale';
    return lapsed ? 'restored' : 'renewed';
  }
}
