import { randomBytes } from 'node:crypto';
import { StoreUnavailableError } from '../../errors.ts';
import type { RevocationBus, RevocationMessage } from '../types.ts';
import { Confirmations } from './confirmations.ts';
import { Lease } from './lease.ts';
import { type BusFrame, decodeFrame, encodeFrame } from './revocation-message.ts';
import { guardRedis, type RedisClient } from './unavailable.ts';

export interface RedisRevocationBusOptions {
  /** Any connection: PUBLISH is an ordinary command. */
  publisher: RedisClient;
  /** A connection of its own: SUBSCRIBE puts it in subscriber mode for good. */
  subscriber: RedisClient;
  /** E.g. `gh:revocations`. */
  channel: string;
  /** How often this instance sends its heartbeat through the channel (default 100 ms). */
  heartbeatMs?: number;
  /** How long after a heartbeat was sent its round trip lets the cache serve (default 500 ms). */
  leaseMs?: number;
  /** A revocation that has not come back through the channel within this is unconfirmed (default 1000 ms). */
  confirmTimeoutMs?: number;
  /**
   * The longest any instance's cache keeps a copy (`createCachedStores`'s `ttlMs`, default 5000 ms):
   * an unconfirmed revocation waits that long before it answers (see `settleMs`).
   */
  cacheTtlMs?: number;
  /** How often the subscriber connection is PINGed, to drop and reopen a dead one (default 1000 ms). */
  pingMs?: number;
  /** Monotonic milliseconds for the lease (default `performance.now()`). */
  now?: () => number;
}

/**
 * The revocation signal between instances on Redis pub/sub, and the proof a
 * cache needs before it serves: `healthy` is true only while this
 * instance's lease runs (see `Lease`): its own heartbeat, sent every
 * `heartbeatMs`, came back through Redis less than `leaseMs` after it was
 * sent. A Redis that stalls, a dropped subscriber connection or a partition
 * therefore stops this instance's cache within `leaseMs`; when the lease comes
 * back, caches start empty (messages sent in between may be lost).
 *
 * `publish` resolves only when the revocation is in force on every instance:
 * it came back to us, and every instance that may hold a lease acknowledged
 * it (its listeners ran) or has lost that lease (see `Confirmations`). It
 * rejects with StoreUnavailableError when Redis did not take it or it did not
 * come back within `confirmTimeoutMs`; the caller then waits `settleMs`
 * (Revocations does), after which no cache anywhere holds a copy older than
 * the revocation.
 *
 * ```ts
 * const bus = new RedisRevocationBus({ publisher: redis, subscriber: redis.duplicate(), channel: 'gh:revocations' });
 * bus.onHealthChange((healthy) => healthy || cache.clear());
 * await bus.publish({ kind: 'session', keyHash }); // every instance has dropped it
 * ```
 */
export class RedisRevocationBus implements RevocationBus {
  readonly channel: string;
  /** This instance on the channel (random): heartbeats and acknowledgements name it. */
  readonly instanceId = randomBytes(8).toString('hex');
  /** After a failed publish: how long until every cached copy from before it has expired. */
  readonly settleMs: number;
  readonly #publisher: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #listeners = new Set<(message: RevocationMessage) => void>();
  readonly #healthListeners = new Set<(healthy: boolean) => void>();
  readonly #timers: NodeJS.Timeout[];
  readonly #lease: Lease;
  readonly #confirmations: Confirmations;
  readonly #confirmTimeoutMs: number;
  readonly #now: () => number;
  /** Our listeners on the subscriber connection, kept so `close` can detach them. */
  readonly #handlers: Record<string, (channel: string, payload: string) => void>;
  #settleTimer: NodeJS.Timeout | null = null;
  #settleAt = Number.POSITIVE_INFINITY;
  /** SUBSCRIBE acknowledged on the current connection. */
  #subscribed = false;
  /** The last `healthy` reported to the health listeners. */
  #reported = false;
  /** Bumped on every connection loss, so a late SUBSCRIBE reply from a dead connection is ignored. */
  #generation = 0;
  #messages = 0;
  #closed = false;

  constructor(options: RedisRevocationBusOptions) {
    this.channel = options.channel;
    this.#publisher = options.publisher;
    this.#subscriber = options.subscriber;
    this.#now = options.now ?? (() => performance.now());
    const leaseMs = options.leaseMs ?? 500;
    const heartbeatMs = options.heartbeatMs ?? 100;
    if (!(heartbeatMs > 0 && leaseMs > heartbeatMs)) {
      throw new RangeError(`leaseMs (${leaseMs}) must be longer than heartbeatMs (${heartbeatMs})`);
    }
    const cacheTtlMs = options.cacheTtlMs ?? 5000;
    // Clocks of two machines tick at rates that differ by far less than 2 %.
    this.settleMs = cacheTtlMs + Math.ceil(cacheTtlMs / 50) + 10;
    this.#confirmTimeoutMs = options.confirmTimeoutMs ?? 1000;
    this.#lease = new Lease({ leaseMs, now: this.#now });
    this.#confirmations = new Confirmations({
      leaseMs,
      marginMs: Math.ceil(leaseMs / 50) + 2,
      now: this.#now,
    });
    this.#handlers = {
      message: (channel: string, payload: string) => channel === this.channel && this.#deliver(payload),
      ready: () => void this.#subscribe(),
      close: () => this.#lost(),
      end: () => this.#lost(),
    };
    for (const [event, handler] of Object.entries(this.#handlers)) this.#subscriber.on(event, handler);
    if (this.#subscriber.status === 'ready') void this.#subscribe();
    this.#timers = [
      setInterval(() => this.#beat(), heartbeatMs).unref(),
      setInterval(() => this.#probe(), options.pingMs ?? 1000).unref(),
    ];
  }

  /** Subscribed, and the lease runs: this instance has heard every revocation published until a lease ago. */
  get healthy(): boolean {
    return this.#subscribed && this.#lease.valid;
  }

  /** Resolves once the revocation is in force everywhere; StoreUnavailableError when that is not known. */
  async publish(message: RevocationMessage): Promise<void> {
    const id = String(++this.#messages);
    const confirmed = this.#confirmations.expect(id);
    confirmed.catch(() => {}); // rejections are read below; never an unhandled one
    const timer = setTimeout(
      () =>
        this.#confirmations.fail(
          id,
          new StoreUnavailableError(`redis: revocation not back within ${this.#confirmTimeoutMs} ms`),
          { unlessEchoed: true },
        ),
      this.#confirmTimeoutMs,
    );
    try {
      const frame: BusFrame = { type: 'revocation', message, id, from: this.instanceId };
      // Published even when our own subscription is down: the others may still hear it.
      await guardRedis(() => this.#publisher.publish(this.channel, encodeFrame(frame)));
      if (!this.#subscribed) {
        throw new StoreUnavailableError('redis: revocation published but not confirmed (not subscribed)');
      }
      await confirmed;
    } catch (error) {
      this.#confirmations.fail(id, error as Error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  subscribe(listener: (message: RevocationMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Called with every change of `healthy`; returns the unsubscribe function. */
  onHealthChange(listener: (healthy: boolean) => void): () => void {
    this.#healthListeners.add(listener);
    return () => void this.#healthListeners.delete(listener);
  }

  /** Resolves once healthy; rejects with StoreUnavailableError after `timeoutMs`. */
  whenHealthy(timeoutMs: number): Promise<void> {
    if (this.healthy) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new StoreUnavailableError(`redis: not subscribed to ${this.channel} after ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onHealthChange((healthy) => {
        if (!healthy) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  /**
   * Stops the cache's lease and the timers, tells the other instances this
   * one is gone (they stop waiting for its acknowledgements), and detaches
   * from the subscriber connection (which the caller closes).
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    if (this.#settleTimer) clearTimeout(this.#settleTimer);
    for (const [event, handler] of Object.entries(this.#handlers)) this.#subscriber.off(event, handler);
    this.#lost();
    this.#confirmations.failAll(new StoreUnavailableError('redis: revocation bus closed'));
    this.#publisher
      .publish(this.channel, encodeFrame({ type: 'bye', from: this.instanceId }))
      .catch(() => {});
  }

  async #subscribe(): Promise<void> {
    const generation = this.#generation;
    try {
      await this.#subscriber.subscribe(this.channel);
    } catch {
      return; // the connection went again; its next 'ready' tries again
    }
    if (generation !== this.#generation || this.#closed) return;
    this.#subscribed = true;
    this.#lease.open();
    this.#confirmations.subscribed();
    this.#beat(); // the first lease, without waiting for the interval
  }

  #lost(): void {
    this.#generation++;
    this.#subscribed = false;
    this.#lease.close();
    this.#confirmations.lost(new StoreUnavailableError('redis: revocation channel connection lost'));
    this.#report();
  }

  /** Sends our heartbeat; also where a lapsed lease is reported (the getter is exact; this tells listeners). */
  #beat(): void {
    this.#report();
    const seq = this.#lease.send();
    if (seq === null || this.#closed) return;
    const frame = encodeFrame({ type: 'beat', from: this.instanceId, seq });
    // A heartbeat that fails simply does not renew the lease.
    this.#publisher.publish(this.channel, frame).catch(() => {});
  }

  /**
   * A subscriber connection only ever reads, so a silently dead peer (a
   * network partition, a frozen server) would never be noticed: a PING that
   * fails or times out drops the connection so ioredis reconnects (its
   * 'close' may come much later: a frozen peer never answers the FIN). The
   * cache has stopped long before, when the lease ran out.
   */
  #probe(): void {
    if (!this.#subscribed) return;
    const generation = this.#generation;
    this.#subscriber.ping().catch(() => {
      if (generation !== this.#generation || this.#closed) return;
      this.#lost();
      this.#subscriber.disconnect(true);
    });
  }

  #deliver(payload: string): void {
    const frame = decodeFrame(payload);
    if (frame === null) {
      this.#missed(); // unreadable: a revocation may have been lost
      return;
    }
    switch (frame.type) {
      case 'beat':
        if (frame.from !== this.instanceId) this.#confirmations.heard(frame.from);
        else if (this.#lease.echo(frame.seq) === 'restored' && this.#reported) this.#flap();
        else this.#report();
        return;
      case 'ack':
        if (frame.to === this.instanceId) this.#confirmations.acked(frame.id, frame.from);
        return;
      case 'bye':
        if (frame.from !== this.instanceId) this.#confirmations.left(frame.from);
        return;
      case 'revocation':
        this.#apply(frame.message);
        if (frame.from === this.instanceId && frame.id) {
          this.#arm(this.#confirmations.echoed(frame.id));
        } else if (frame.from && frame.id) {
          const ack = encodeFrame({ type: 'ack', from: this.instanceId, to: frame.from, id: frame.id });
          // An acknowledgement that fails leaves the revoker waiting out our lease: safe.
          this.#publisher.publish(this.channel, ack).catch(() => {});
        }
    }
  }

  #apply(message: RevocationMessage): void {
    let failed = false;
    for (const listener of this.#listeners) {
      try {
        listener({ ...message });
      } catch {
        failed = true;
      }
    }
    // A listener that threw may not have dropped its entry: every cache clears.
    if (failed) this.#missed();
  }

  /** Something may have been missed: tell the caches (they clear), keeping the lease. */
  #missed(): void {
    if (this.healthy) this.#flap();
  }

  #flap(): void {
    this.#emit(false);
    this.#report();
  }

  #report(): void {
    const healthy = this.healthy;
    if (healthy !== this.#reported) this.#emit(healthy);
  }

  #emit(healthy: boolean): void {
    this.#reported = healthy;
    for (const listener of [...this.#healthListeners]) listener(healthy);
  }

  /** Keeps one timer, for the earliest deadline of an outstanding publish, to `settle` then. */
  #arm(at: number | null): void {
    if (at === null || at >= this.#settleAt) return;
    if (this.#settleTimer) clearTimeout(this.#settleTimer);
    this.#settleAt = at;
    this.#settleTimer = setTimeout(
      () => {
        this.#settleTimer = null;
        this.#settleAt = Number.POSITIVE_INFINITY;
        this.#arm(this.#confirmations.settle());
      },
      Math.max(0, at - this.#now()) + 1,
    );
  }
}
